"""What CI runs agrees with what the project declares and what the README tells users to run."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PROJECT = Path(__file__).resolve().parent.parent
CI_RUN = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
README = (PROJECT / "README.md").read_text(encoding="utf-8")
PROJECT_TABLE = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def ci_pythons() -> list[str]:
    match = re.search(r"^supported=\(([^)]*)\)", CI_RUN, re.MULTILINE)
    assert match, ".ci/run names its Pythons in `supported=(...)`"
    return match.group(1).split()


def test_ci_tests_every_python_the_classifiers_name_and_no_other() -> None:
    prefix = "Programming Language :: Python :: "
    classified = [c[len(prefix) :] for c in PROJECT_TABLE["classifiers"] if re.fullmatch(r"3\.\d+", c[len(prefix) :])]
    assert classified == ci_pythons() == ["3.10", "3.11", "3.12", "3.13"]
    assert PROJECT_TABLE["requires-python"] == f">={classified[0]}"


def readme_test_commands() -> set[tuple[str, ...]]:
    section = README[README.index("## Development") :]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block
    commands = {tuple(shlex.split(line.split("#")[0])) for line in block.group(1).splitlines()}
    return {c for c in commands if c[:3] == ("python", "-m", "pytest")}


def test_ci_runs_the_readmes_test_commands() -> None:
    run_tests = CI_RUN[CI_RUN.index("run_tests() {") :]
    assert 'python -m pytest "$@"' in run_tests.split("}\n")[0]
    extra = [tuple(shlex.split(c)) for c in re.findall(r"run_tests( [^\n&|]*)?$", CI_RUN, re.MULTILINE)]
    assert {("python", "-m", "pytest", *e) for e in extra} == readme_test_commands()
