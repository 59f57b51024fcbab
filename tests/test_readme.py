"""The README works when pasted: every example it marks runnable is run against a fresh tree.

A fenced block preceded by ``<!-- runnable: FILE -->`` is written to FILE in a
temporary repository and linted there; ``<!-- runnable: sh -->`` runs each
command line of the block in such a repository. The README also lists what
discovery skips and keeps each section once.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ddblint.discover.files import SKIPPED_DIRS
from tests.conftest import FIXTURES, PROJECT

README = (PROJECT / "README.md").read_text(encoding="utf-8")
_RUNNABLE = re.compile(r"<!-- runnable: (?P<target>\S+) -->\n```[a-z]*\n(?P<body>.*?)\n```", re.DOTALL)
SEED = FIXTURES / "legit"


def _examples(target: str | None = None) -> list[str]:
    return [m.group("body") for m in _RUNNABLE.finditer(README) if target in (None, m.group("target"))]


def _ddblint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "ddblint", *args], cwd=cwd, env=environment, capture_output=True, text=True
    )


def _repository(tmp_path: Path, seed: Path | None = None) -> Path:
    root = tmp_path / "repo"
    if seed is not None:
        shutil.copytree(seed, root)
    root.mkdir(exist_ok=True)
    (root / ".git").mkdir()
    return root


def test_the_readme_marks_its_config_suppression_and_baseline_examples_runnable() -> None:
    targets = [m.group("target") for m in _RUNNABLE.finditer(README)]
    assert {".ddblint.yaml", "main.tf", "sh"} <= set(targets)


def test_the_config_example_runs_as_pasted(tmp_path: Path) -> None:
    [config] = _examples(".ddblint.yaml")
    root = _repository(tmp_path, SEED)
    (root / ".ddblint.yaml").write_text(config + "\n", encoding="utf-8")
    run = _ddblint(".", cwd=root)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stderr == ""
    shown = _ddblint("config", ".", cwd=root)
    assert shown.returncode == 0, shown.stderr
    assert re.search(r"max-items.*25.*\.ddblint\.yaml:\d+", shown.stdout), shown.stdout


def test_the_suppression_example_runs_as_pasted_and_suppresses(tmp_path: Path) -> None:
    [hcl] = _examples("main.tf")
    root = _repository(tmp_path)
    (root / "main.tf").write_text(hcl + "\n", encoding="utf-8")
    run = _ddblint(".", "--format", "json", cwd=root)
    assert run.returncode == 0, run.stdout + run.stderr
    findings = json.loads(run.stdout)["findings"]
    assert [(f["rule"], f["suppressed"]) for f in findings] == [("DDB001", True)]


def test_the_suppression_example_stays_valid_for_a_year() -> None:
    dates = re.findall(r"until=(\d{4}-\d{2}-\d{2})", "\n".join(_examples()))
    assert dates
    for written in dates:
        days_left = (datetime.date.fromisoformat(written) - datetime.date.today()).days
        assert days_left > 365, f"until={written} expires soon: move it further out"


def test_the_baseline_commands_run_as_pasted(tmp_path: Path) -> None:
    root = _repository(tmp_path, FIXTURES / "count_50")
    commands = [line.split("#")[0].strip() for block in _examples("sh") for line in block.splitlines()]
    assert commands
    for command in filter(None, commands):
        argv = command.split()
        assert argv[0] == "ddblint", command
        run = _ddblint(*argv[1:], cwd=root)
        assert run.returncode == 0, f"{command}: {run.stdout}{run.stderr}"


def test_no_section_appears_twice() -> None:
    headings = re.findall(r"^#{2,3} .+$", README, re.MULTILINE)
    assert len(headings) == len(set(headings)), sorted(h for h in headings if headings.count(h) > 1)


def test_the_skipped_directories_are_listed() -> None:
    section = README.split("### What ddblint reads", 1)[1].split("\n### ", 1)[0]
    for name in SKIPPED_DIRS:
        assert f"`{name}/`" in section, name


def test_installs_outside_ci_name_a_clone_and_the_pre_commit_pin_is_a_commit() -> None:
    start = README.index("## Installing")
    install = README[start : README.index("## Usage", start)]
    assert "not on PyPI" in install
    for command in ("pip install .", "pipx install .", "uv tool install ."):
        assert command in install
    assert "pipx install ddblint" not in install and "uv tool install ddblint" not in install
    hook = README.split("## pre-commit", 1)[1]
    assert re.search(r"rev: [0-9a-f]{40}\s+# pin a full commit SHA", hook)


@pytest.mark.parametrize(
    "command", ["pip install . && ddblint fixtures/example", 'pip install ".[test]" && python -m pytest']
)
def test_the_quick_start_keeps_its_two_commands(command: str) -> None:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert f"```sh\n{command}\n```" in quick
