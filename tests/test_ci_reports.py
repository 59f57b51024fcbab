"""The JUnit XML and GitLab Code Quality reports, validated against the schemas their readers publish."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ElementTree
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import xmlschema

from ddblint.cli import main
from ddblint.findings import InternalError, Suppression
from ddblint.report import FORMATS, ReportOptions, get_reporter
from ddblint.result import Result
from tests.ci_repo import git_repo, write_module
from tests.conftest import PROJECT, fixture_dirs

SCHEMAS = Path(__file__).parent / "schemas"
JUNIT_SCHEMA = xmlschema.XMLSchema10(str(SCHEMAS / "junit-10.xsd"))
GITLAB_ISSUE_SCHEMA = json.loads((SCHEMAS / "gitlab-codeclimate.json").read_text(encoding="utf-8"))
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}  # from GitLab's description of the format
OPTIONS = ReportOptions(cwd=str(PROJECT))


def report(result: Result, name: str, options: ReportOptions = OPTIONS) -> str:
    stream = io.StringIO()
    get_reporter(name)(result, stream, options)
    return stream.getvalue()


def junit(result: Result, options: ReportOptions = OPTIONS) -> ElementTree.Element:
    text = report(result, "junit", options)
    JUNIT_SCHEMA.validate(text)
    return ElementTree.fromstring(text)


def gitlab(result: Result) -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = json.loads(report(result, "gitlab"))
    assert isinstance(issues, list)
    for issue in issues:
        jsonschema.Draft7Validator(GITLAB_ISSUE_SCHEMA).validate(issue)
        assert issue["severity"] in GITLAB_SEVERITIES
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["lines"]["begin"] >= 1
    return issues


def test_both_formats_are_choices_of_the_command_line() -> None:
    assert {"junit", "gitlab"} <= set(FORMATS)


@pytest.mark.parametrize("fixture", fixture_dirs(), ids=lambda p: p.name)
def test_every_fixture_gives_a_valid_junit_report_with_one_case_per_finding_grouped_by_file(
    fixture: Path, lint_dir: Any
) -> None:
    result = lint_dir(fixture)
    root = junit(result)
    active = [f for f in result.findings if not f.suppressed]
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(active) == int(root.get("tests", "-1"))
    suites = [suite.get("name") for suite in root.findall("testsuite")]
    assert len(suites) == len(set(suites))
    for suite in root.findall("testsuite"):
        assert {case.get("classname") for case in suite.findall("testcase")} == {suite.get("name")}
    files = {shown_path(f.span.path) for f in active}
    assert set(suites) == files


def shown_path(path: str) -> str:
    return Path(path).resolve().relative_to(PROJECT).as_posix()


@pytest.mark.parametrize("fixture", fixture_dirs(), ids=lambda p: p.name)
def test_every_fixture_gives_valid_gitlab_issues_with_unique_fingerprints(fixture: Path, lint_dir: Any) -> None:
    result = lint_dir(fixture)
    issues = gitlab(result)
    active = [f for f in result.findings if not f.suppressed]
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        (f.rule_id, shown_path(f.span.path), f.span.line) for f in active
    ]
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_junit_parse_errors_and_internal_errors_are_errors_and_suppressed_findings_skipped(
    tmp_path: Path, lint_dir: Any
) -> None:
    main_tf = write_module(git_repo(tmp_path) / "stack", broken=True)
    result = lint_dir(main_tf.parent)
    result.findings[:] = [
        f.suppressed_by(Suppression("inSource", "reviewed", f"{main_tf}:11")) if f.rule_id == "DDB001" else f
        for f in result.findings
    ]
    result.internal_errors.append(InternalError(str(main_tf), "DDB010", "boom", "Traceback ..."))
    root = junit(result)
    outcomes = {case.get("name"): [child.tag for child in case] for case in root.iter("testcase")}
    assert outcomes == {"DDB000 parse-error: line 2": ["error"], "DDB010 internal error": ["error"]}
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("2", "0", "2")

    shown = junit(result, replace(OPTIONS, show_suppressed=True))
    skipped = [case for case in shown.iter("testcase") if case.find("skipped") is not None]
    assert [case.find("skipped").get("message") for case in skipped] == ["suppressed: reviewed"]  # type: ignore[union-attr]
    suite = shown.find("testsuite[@name='stack/main.tf']")
    assert suite is not None and suite.get("skipped") == "1"


def test_junit_failure_says_where_and_what(tmp_path: Path, lint_dir: Any) -> None:
    main_tf = write_module(git_repo(tmp_path) / "stack")
    (finding,) = lint_dir(main_tf.parent).findings
    root = junit(Result(root=str(main_tf.parent), findings=[finding]))
    (case,) = root.iter("testcase")
    assert case.get("name") == "DDB001 too-many-items: aws_dynamodb_table_item.slots (line 11)"
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "DDB001 warning"
    assert failure.get("message") == finding.message
    assert failure.text == f"stack/main.tf:11:1: DDB001 [warning] {finding.message}"


def test_characters_xml_cannot_hold_are_written_out_and_the_report_stays_valid(tmp_path: Path, lint_dir: Any) -> None:
    main_tf = write_module(git_repo(tmp_path) / "stack")
    (finding,) = lint_dir(main_tf.parent).findings
    hostile = replace(finding, message="items \x1b[31mred\x00 & <b>\ufffe", address='aws_dynamodb_table_item.x["\x07"]')
    root = junit(Result(root=str(main_tf.parent), findings=[hostile]))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "items \\x1b[31mred\\x00 & <b>\\ufffe"
    assert root.find("testsuite/testcase").get("name").endswith('x["\\x07"] (line 11)')  # type: ignore[union-attr]


def test_an_empty_run_is_a_valid_junit_report_with_no_tests(tmp_path: Path) -> None:
    root = junit(Result(root=str(tmp_path)))
    assert (root.tag, root.get("tests"), list(root)) == ("testsuites", "0", [])


def test_gitlab_issue_fields(tmp_path: Path, lint_dir: Any) -> None:
    main_tf = write_module(git_repo(tmp_path) / "stack", broken=True)
    result = lint_dir(main_tf.parent)
    by_rule = {issue["check_name"]: issue for issue in gitlab(result)}
    items = by_rule["DDB001"]
    finding = next(f for f in result.findings if f.rule_id == "DDB001")
    assert items == {
        "type": "issue",
        "check_name": "DDB001",
        "description": f"DDB001 too-many-items: {finding.message}",
        "fingerprint": finding.fingerprint("stack/main.tf"),
        "severity": "major",
        "location": {"path": "stack/main.tf", "lines": {"begin": 11, "end": 16}},
    }
    assert by_rule["DDB000"]["severity"] == "critical"
    assert by_rule["DDB000"]["location"]["path"] == "stack/broken.tf"


def test_gitlab_leaves_suppressed_findings_out(tmp_path: Path, lint_dir: Any) -> None:
    main_tf = write_module(git_repo(tmp_path) / "stack")
    result = lint_dir(main_tf.parent)
    result.findings[:] = [f.suppressed_by(Suppression("external", "known", "b.json")) for f in result.findings]
    assert gitlab(result) == []


@pytest.mark.parametrize("name", ["junit", "gitlab"])
def test_a_report_to_a_file_keeps_the_gate_and_tells_the_log(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_repo(tmp_path)
    write_module(repo / "stack")
    monkeypatch.chdir(repo)
    out = tmp_path / f"report.{name}"
    with pytest.raises(SystemExit) as stopped:
        main(["stack", "--format", name, "-o", str(out), "--no-cache"])
    assert stopped.value.code == 1
    assert capsys.readouterr().err == f"ddblint: 1 problem (1 warning) in 1 file; report written to {out}\n"
    text = out.read_text(encoding="utf-8")
    if name == "junit":
        JUNIT_SCHEMA.validate(text)
    else:
        assert [issue["check_name"] for issue in json.loads(text)] == ["DDB001"]


def test_the_junit_schema_check_rejects_a_broken_report() -> None:
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        JUNIT_SCHEMA.validate('<testsuites><testsuite name="x"><testcase/></testsuite></testsuites>')
