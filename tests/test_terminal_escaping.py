"""Injection into CI logs and terminals: text from the scanned tree or a baseline is printed inert."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ddblint.cli import main
from ddblint.report.escape import github_data, markup, plain

COUNTED = """resource "aws_dynamodb_table_item" "slots" {
  count       = 50
  table_name  = "slots"
  hash_key    = "slot"
  description = ":x: [bold]boom[/bold] :warning: \\u001b[31mred"
  item        = jsonencode({ slot = { N = tostring(count.index) } })
}
"""
HOSTILE_NAME = "evil\n::error file=main.tf,line=1::INJECTED\x1b[2J\u202e.tf"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main([*args, "--no-cache"])
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def _runner_commands(log: str) -> list[str]:
    """Lines the GitHub runner would act on: ``::`` after leading spaces, or ``##[`` anywhere."""
    return [line for line in log.splitlines() if line.lstrip().startswith("::") or "##[" in line]


def test_injection_into_ci_logs_and_terminals_escapes_control_characters_and_runner_markers() -> None:
    assert plain("a\nb\r\x1b[31m\x9b\u202e\u2028\x00") == "a\\x0ab\\x0d\\x1b[31m\\x9b\\u202e\\u2028\\x00"
    assert plain("::error::x ##[error]y") == ":\\x3aerror:\\x3ax #\\x23[error]y"
    assert plain("bad-\udcff.tf") == "bad-\\xff.tf"  # the byte a non-UTF-8 file name holds
    assert plain("tab\tstays") == "tab\tstays"
    assert github_data("line\nnext \x1b[0m") == "line%0Anext \\x1b[0m"
    assert markup("[bold]x[/bold]") == "\\[bold]x\\[/bold]"


def test_injection_into_ci_logs_through_a_stale_baseline_notice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "main.tf").write_text(COUNTED)
    hostile = "\n::error file=main.tf,line=1::INJECTED\n##[error]AGAIN"
    entry = {"file": "main.tf", "rule": "DDB001", "address": hostile, "fingerprint": "0" * 32, "message": "m"}
    (tmp_path / "base.json").write_text(json.dumps({"version": 1, "findings": [entry]}))
    monkeypatch.chdir(tmp_path)
    code, _, err = _run([".", "--baseline", "base.json", "--format", "github"], capsys)
    assert code == 1
    assert "no longer matches" in err
    assert _runner_commands(err) == []
    assert "INJECTED" in err and len(err.splitlines()) == 3  # the notice, its one entry, the summary


def test_injection_into_ci_logs_through_file_names_in_github_annotations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / HOSTILE_NAME).write_text(COUNTED)
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run([".", "--format", "github"], capsys)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("::warning file=evil%0A%3A")
    assert "\x1b" not in out and "\u202e" not in out


def test_injection_into_terminals_through_file_names_in_the_concise_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / HOSTILE_NAME).write_text(COUNTED)
    non_utf8 = tmp_path / os.fsdecode(b"d\xff")  # a module of its own, so its finding is one of its own
    non_utf8.mkdir()
    (non_utf8 / "main.tf").write_text(COUNTED)
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run([".", "--format", "concise"], capsys)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("d\\xff/main.tf:1:1: DDB001 ")
    assert lines[1].startswith("evil\\x0a:\\x3aerror file=main.tf,line=1:\\x3aINJECTED\\x1b[2J\\u202e.tf:1:1: DDB001 ")
    assert _runner_commands(out) == []


def test_injection_into_terminals_through_rich_markup_and_emoji_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = tmp_path / "[bold]mod:x:"
    module.mkdir()
    (module / "main.tf").write_text(COUNTED)
    code, out, _ = _run([str(tmp_path), "--format", "full"], capsys)
    assert code == 1
    assert ':x: [bold]boom[/bold] :warning: \\u001b[31mred"' in out  # the source line, as written
    assert "[bold]mod:x:/main.tf" in out
    assert "\u274c" not in out and "\u26a0" not in out and "\x1b" not in out


@pytest.mark.parametrize("format_name", ["json", "sarif"])
def test_injection_into_terminals_through_json_reports_is_escaped_by_json(
    format_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / HOSTILE_NAME).write_text(COUNTED)
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run([".", "--format", format_name], capsys)
    assert code == 1
    assert out.isascii() and not [c for c in out if ord(c) < 0x20 and c != "\n"]
    if format_name == "json":  # the name itself, unchanged, for a script that reads it
        assert [f["file"] for f in json.loads(out)["findings"]] == [HOSTILE_NAME]


def test_injection_into_ci_logs_through_junit_failure_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI server prints a failure's text into its log, so it is as inert as a concise line."""
    (tmp_path / HOSTILE_NAME).write_text(COUNTED.replace('table_name  = "slots"', 'table_name  = "t\\n::error::X"'))
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run([".", "--format", "junit"], capsys)
    assert code == 1
    assert _runner_commands(out) == [] and "\x1b" not in out
