"""What CI runs agrees with what the project declares and what the README tells users to run."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ddblint.report import FORMATS

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


def readme_block(heading: str, language: str = "yaml") -> str:
    """The first ``language`` code block under ``heading`` in the README."""
    section = README[README.index(f"\n{heading}\n") :]
    match = re.search(rf"```{language}\n(.*?)```", section, re.DOTALL)
    assert match, f"no {language} block under {heading!r}"
    return match.group(1)


def schema_problems(text: str, builtin_schema: str, tmp_path: Path) -> str:
    """What check-jsonschema says about ``text`` against one of the schemas it ships; empty when valid."""
    document = tmp_path / "document.yml"
    document.write_text(text, encoding="utf-8")
    completed = subprocess.run(
        # Python's regex dialect: on Python 3.10 pip picks an older ECMAScript regex library, under which
        # check-jsonschema rejects a pattern in its own vendored Azure schema.
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--regex-variant",
            "python",
            "--builtin-schema",
            builtin_schema,
            str(document),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return "" if completed.returncode == 0 else completed.stdout + completed.stderr


def github_workflow() -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load(readme_block("### GitHub Actions"))
    return workflow


@pytest.mark.parametrize(
    ("heading", "schema"),
    [
        ("### GitHub Actions", "vendor.github-workflows"),
        ("### Jenkins, Azure DevOps and other JUnit readers", "vendor.azure-pipelines"),
        ("### GitLab CI", "vendor.gitlab-ci"),
    ],
)
def test_readme_ci_snippets_are_valid_for_their_ci(heading: str, schema: str, tmp_path: Path) -> None:
    assert schema_problems(readme_block(heading), schema, tmp_path) == ""


def test_the_workflow_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = readme_block("### GitHub Actions").replace("security-events: write", "security-events: always")
    assert "security-events" in schema_problems(broken, "vendor.github-workflows", tmp_path)


def test_the_workflow_uses_current_actions_and_the_permissions_private_repositories_need() -> None:
    workflow = github_workflow()
    assert workflow["permissions"] == {"actions": "read", "contents": "read", "security-events": "write"}
    steps = workflow["jobs"]["ddblint"]["steps"]
    used = {step["uses"].split("@")[0]: step["uses"].split("@")[1] for step in steps if "uses" in step}
    assert used == {"actions/checkout": "v6", "actions/setup-python": "v6", "github/codeql-action/upload-sarif": "v4"}
    python = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] in ci_pythons()


def test_the_workflow_uploads_when_the_lint_fails_and_annotates_pull_requests_from_forks() -> None:
    steps = github_workflow()["jobs"]["ddblint"]["steps"]
    names = [step.get("name", step.get("uses")) for step in steps]
    lint = names.index("Lint Terraform")
    upload = next(i for i, step in enumerate(steps) if step.get("uses", "").startswith("github/codeql-action/"))
    annotate = next(i for i, step in enumerate(steps) if "--format github" in step.get("run", ""))
    assert lint < upload < annotate
    assert "--format sarif" in steps[lint]["run"] and "if" not in steps[lint]
    assert (
        steps[upload]["if"].startswith("always() &&")
        and "!github.event.pull_request.head.repo.fork" in steps[upload]["if"]
    )
    assert steps[annotate]["if"] == "always() && github.event.pull_request.head.repo.fork"
    assert "Pull requests from forks" in README


def test_the_readme_shows_every_report_format() -> None:
    section = README[README.index("## CI and code scanning") : README.index("### GitHub Actions")]
    shown = set(re.findall(r"--format (\w+)", section))
    assert shown == set(FORMATS) - {"full", "concise"}
