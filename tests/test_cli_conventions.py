"""What users of ruff and tflint expect from a command line: help, version, colour, completion,
statistics, machine-readable listings, and the same reporting options on ``state`` as on ``check``."""

from __future__ import annotations

import json
import re

import pytest

from tests.cli_run import run_cli
from tests.conftest import FIXTURES, PROJECT

ESC = "\x1b["
STATE = PROJECT / "tests" / "data" / "state" / "terraform.tfstate"
COMMANDS = ["check", "rule", "rules", "config", "migrate", "state"]


@pytest.mark.parametrize("flag", ["-h", "--help"])
@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_works_everywhere_and_has_no_markup_artifacts(flag: str, command: str | None) -> None:
    result = run_cli(*([command] if command else []), flag, env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert "Usage: ddblint" in result.stdout
    assert "\\[" not in result.stdout, "an escaped bracket reached the help"
    assert "``" not in result.stdout and ":func:" not in result.stdout, "reStructuredText reached the help"


def test_check_help_shows_its_default_format_plainly() -> None:
    result = run_cli("check", "--help", env={"COLUMNS": "200"})
    assert "[default: full]" in result.stdout


@pytest.mark.parametrize(
    "line",
    [["-V"], ["--version"], ["check", ".", "-V"], [str(FIXTURES / "count_50"), "--version"], ["state", "x", "-V"]],
)
def test_version_is_answered_anywhere_on_the_line(line: list[str]) -> None:
    result = run_cli(*line)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"ddblint \d+\.\d+\.\d+\S*\n", result.stdout)


def test_color_always_never_and_auto_with_no_color_and_force_color() -> None:
    target = str(FIXTURES / "count_50")
    assert ESC in run_cli(target, "--color", "always").stdout
    assert ESC not in run_cli(target, "--color", "never", env={"FORCE_COLOR": "1"}).stdout
    assert ESC not in run_cli(target).stdout, "a pipe is not coloured by default"
    assert ESC in run_cli(target, env={"FORCE_COLOR": "1"}).stdout
    assert ESC not in run_cli(target, env={"FORCE_COLOR": ""}).stdout, "an empty FORCE_COLOR is unset"
    yellow = f"{ESC}33m"  # warnings
    assert yellow not in run_cli(target, "--color", "auto", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert yellow in run_cli(target, env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout, "an empty NO_COLOR is unset"
    assert run_cli(target, "--color", "sometimes").returncode == 2


def test_shell_completion_is_offered_and_completes() -> None:
    script = run_cli("--show-completion", "bash")
    assert script.returncode == 0 and "_DDBLINT_COMPLETE" in script.stdout
    words = run_cli(env={"_DDBLINT_COMPLETE": "complete_bash", "COMP_WORDS": "ddblint ch", "COMP_CWORD": "1"})
    assert words.stdout.split() == ["check"]
    options = run_cli(env={"_DDBLINT_COMPLETE": "complete_bash", "COMP_WORDS": "ddblint check --fo", "COMP_CWORD": "2"})
    assert "--format" in options.stdout.split()
    assert "--install-completion" in run_cli("--help", env={"COLUMNS": "200"}).stdout


def test_statistics_count_findings_per_rule_without_printing_them() -> None:
    result = run_cli(str(FIXTURES / "example"), "--statistics")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [["1", "DDB001"], ["1", "DDB002"], ["1", "DDB003"]]
    assert "resource" not in result.stdout and "products" not in result.stdout
    clean = run_cli(str(FIXTURES / "legit"), "--statistics")
    assert (clean.returncode, clean.stdout) == (0, "No problems.\n")


def test_rules_lists_the_catalog_as_json() -> None:
    result = run_cli("rules", "--format", "json")
    assert result.returncode == 0
    listed = json.loads(result.stdout)
    ids = [rule["id"] for rule in listed["rules"]]
    assert ids == sorted(p.stem for p in (PROJECT / "rules").glob("DDB*.yaml"))
    too_many = next(rule for rule in listed["rules"] if rule["id"] == "DDB001")
    assert too_many["name"] == "too-many-items" and too_many["options"] == {"max-items": 10}


def test_state_takes_the_reporting_options_of_check() -> None:
    concise = run_cli("state", str(STATE), "--format", "concise")
    assert concise.returncode == 1 and "DDB001" in concise.stdout
    assert run_cli("state", str(STATE), "--fail-on", "error").returncode == 0
    assert run_cli("state", str(STATE), "--fail-on", "never").returncode == 0
    loud = run_cli("state", str(STATE), "--format", "json")
    quiet = run_cli("state", str(STATE), "--format", "json", "-q")
    assert "ddblint:" in loud.stderr and quiet.stderr == ""
    assert json.loads(quiet.stdout)["summary"]["by_rule"] == {"DDB001": 1}


def test_state_reads_standard_input() -> None:
    text = STATE.read_text()
    piped = run_cli("state", "-", "--format", "concise", stdin=text)
    assert piped.returncode == 1
    assert piped.stdout.startswith("<stdin>:") and "DDB001" in piped.stdout
    chart = run_cli("state", "-", stdin=text)
    assert chart.returncode == 1 and "shop-app" in chart.stdout
    broken = run_cli("state", "-", stdin="{not json")
    assert broken.returncode == 2 and "<stdin>:1:2: not JSON" in broken.stderr
