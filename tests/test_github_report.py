"""GitHub workflow commands: the right command per severity, and escaping the runner undoes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from ddblint.cli import main
from ddblint.findings import Finding, Severity, Suppression
from ddblint.report import ReportOptions
from ddblint.report.escape import github_data as escape_data
from ddblint.report.escape import github_property as escape_property
from ddblint.report.github import annotation, render
from ddblint.result import Result
from ddblint.span import Span
from tests.ci_repo import git_repo, write_module

COMMAND = re.compile(r"^::(?P<command>\w+) (?P<properties>[^:]*)::(?P<data>.*)$")


def unescape(text: str) -> str:
    """What the Actions runner does with a value, in reverse order of the escaping."""
    for escaped, plain in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    properties = dict(pair.split("=", 1) for pair in match["properties"].split(","))
    return match["command"], {k: unescape(v) for k, v in properties.items()}, unescape(match["data"])


def test_data_escapes_percent_and_line_breaks() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"


def test_properties_also_escape_colon_and_comma() -> None:
    assert escape_property("C:\\x,y%\n") == "C%3A\\x%2Cy%25%0A"


def test_escaping_is_undone_exactly_by_the_runner() -> None:
    message = "50% of items\r\nline two: with, commas %0A literal"
    finding = Finding("DDB001", Severity.ERROR, message, Span("/r/a,b:c.tf", 3, 5, 7, 2))
    command, properties, data = parse(annotation(finding, "odd,dir/a:b.tf"))
    assert command == "error"
    assert data == message
    assert properties == {
        "file": "odd,dir/a:b.tf",
        "line": "3",
        "endLine": "7",
        "col": "5",
        "endColumn": "2",
        "title": "DDB001",
    }


@pytest.mark.parametrize(
    ("severity", "command"), [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.NOTE, "notice")]
)
def test_each_severity_has_its_command(severity: Severity, command: str) -> None:
    finding = Finding("DDB010", severity, "m", Span("/r/main.tf", 1, 1, 1, 5), rule_name="app-data-content")
    line = annotation(finding, "main.tf")
    expected = f"::{command} file=main.tf,line=1,endLine=1,col=1,endColumn=5,title=DDB010 app-data-content::m"
    assert line == expected


def test_the_cli_prints_one_annotation_per_active_finding_relative_to_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path)
    write_module(repo / "infra", broken=True)
    monkeypatch.chdir(repo / "infra")
    with pytest.raises(SystemExit) as stopped:
        main([".", "--format", "github", "--no-cache"])
    captured = capsys.readouterr()
    assert stopped.value.code == 1
    lines = captured.out.splitlines()
    assert [parse(line)[0] for line in lines] == ["error", "warning"]
    assert lines[0].startswith("::error file=infra/broken.tf,line=")
    assert lines[1].startswith("::warning file=infra/main.tf,line=11,endLine=16,col=1,endColumn=2,title=DDB001 ")
    assert "too-many-items::`aws_dynamodb_table_item.slots` writes 12 items" in lines[1]
    assert captured.err.startswith("ddblint: 2 problems")


def test_suppressed_findings_are_not_annotated() -> None:
    span = Span("/r/main.tf", 1, 1, 1, 2)
    shown = Finding("DDB001", Severity.WARNING, "shown", span)
    hidden = Finding("DDB002", Severity.WARNING, "hidden", span).suppressed_by(Suppression("external", "", "b"))
    stream = io.StringIO()
    render(Result(root="/r", findings=[shown, hidden]), stream, ReportOptions(cwd="/r"))
    assert [parse(line)[2] for line in stream.getvalue().splitlines()] == ["shown"]
