"""The command line as a user meets it: output, exit codes and errors without tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ddblint.cli import main
from ddblint.parse import compat
from tests.conftest import FIXTURES


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "ddblint", *args], cwd=cwd, env=environment, capture_output=True, text=True
    )


def test_findings_exit_1_and_concise_paths_are_relative_to_cwd() -> None:
    result = run_cli("count_50", "--format", "concise", cwd=FIXTURES)
    assert result.returncode == 1
    assert result.stdout.startswith("count_50/main.tf:13:1: DDB001 ")
    assert result.stderr == ""


def test_fail_on_error_passes_warnings_and_never_passes_everything() -> None:
    assert run_cli(str(FIXTURES / "count_50"), "--fail-on", "error").returncode == 0
    assert run_cli(str(FIXTURES / "broken_beside_misuse"), "--fail-on", "error").returncode == 1
    assert run_cli(str(FIXTURES / "broken_beside_misuse"), "--fail-on", "never").returncode == 0


def test_max_items_option_moves_the_threshold() -> None:
    assert run_cli(str(FIXTURES / "count_50"), "--max-items", "50").returncode == 0
    assert run_cli(str(FIXTURES / "count_50"), "--max-items", "49").returncode == 1


def test_full_output_has_no_colour_when_not_a_terminal() -> None:
    result = run_cli(str(FIXTURES / "count_50"))
    assert "\x1b[" not in result.stdout
    assert "DDB001" in result.stdout and "too-many-items" in result.stdout
    assert '13 | resource "aws_dynamodb_table_item" "slots"' in result.stdout
    assert "Found 1 problem" in result.stdout


def test_repository_without_items_says_so_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n')
    result = run_cli(str(tmp_path))
    assert result.returncode == 0
    assert result.stdout.strip().splitlines() == [
        "No aws_dynamodb_table_item in 1 Terraform files (1 modules): nothing to check."
    ]


def test_nonexistent_path_is_a_usage_error() -> None:
    result = run_cli("does/not/exist")
    assert result.returncode == 2
    assert "does/not/exist: no such file or directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_option_is_a_usage_error() -> None:
    result = run_cli(".", "--format", "xml")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_rule_command_explains_a_rule_and_rejects_unknown_ids() -> None:
    explained = run_cli("rule", "DDB001")
    assert explained.returncode == 0
    for heading in ("What it does", "Why it matters", "Example", "Use instead", "How to fix", "max-items"):
        assert heading in explained.stdout
    by_name = run_cli("rule", "too-many-items")
    assert by_name.returncode == 0 and "DDB001" in by_name.stdout
    unknown = run_cli("rule", "DDB0001")
    assert unknown.returncode == 2 and "did you mean DDB001" in unknown.stderr


def test_rules_command_lists_the_catalog() -> None:
    listed = run_cli("rules")
    assert listed.returncode == 0 and "too-many-items" in listed.stdout


def test_a_directory_named_like_a_subcommand_is_linted_with_a_dot_slash(tmp_path: Path) -> None:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "main.tf").write_text((FIXTURES / "count_50" / "main.tf").read_text())
    result = run_cli("./rules", "--format", "concise", cwd=tmp_path)
    assert result.returncode == 1 and "rules/main.tf" in result.stdout


def test_foreign_hcl2_stops_with_advice(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(compat, "_installed_distributions", lambda: {"python-hcl2": "8.1.4", "bc-python-hcl2": "0.4.3"})
    compat.hcl2_parser.cache_clear()
    try:
        with pytest.raises(SystemExit) as stopped:
            main([str(FIXTURES / "count_50"), "--no-cache"])  # a cached parse would not need the parser
    finally:
        compat.hcl2_parser.cache_clear()
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "bc-python-hcl2" in err and "pipx install ddblint" in err and "Traceback" not in err


def test_wrong_hcl2_major_version_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compat, "_installed_distributions", lambda: {"python-hcl2": "4.3.0"})
    with pytest.raises(compat.ForeignHcl2Error, match="needs python-hcl2 8.x, found 4.3.0"):
        compat.check_hcl2()


def test_a_crashing_rule_is_an_internal_error_with_its_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ddblint.rules import REGISTRY, RegisteredCheck, load_checks

    load_checks()
    original = REGISTRY["DDB002"]

    def explode(subject: object, options: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setitem(REGISTRY, "DDB002", RegisteredCheck("DDB002", original.subject, explode))
    with pytest.raises(SystemExit) as stopped:
        main([str(FIXTURES / "count_50"), "--format", "concise", "--no-cache"])  # cached findings skip the rule
    captured = capsys.readouterr()
    assert stopped.value.code == 2
    assert "internal error in rule DDB002 while checking" in captured.err
    assert "count_50/main.tf" in captured.err and "RuntimeError: boom" in captured.err
    assert "Traceback" not in captured.err
    assert "DDB001" in captured.out  # the other checks still ran
