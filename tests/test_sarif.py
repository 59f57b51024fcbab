"""The SARIF report: valid for the OASIS schema and GitHub, stable across commits, within upload limits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ddblint.catalog.entries import load_catalog
from ddblint.cli import main
from ddblint.filter.baseline import BaselineEntry
from ddblint.findings import Finding, InternalError, Severity, Suppression
from ddblint.report import ReportOptions
from ddblint.report.sarif import (
    FINGERPRINT_KEY,
    GITHUB_LIMITS,
    UploadLimits,
    gzipped_size,
    rule_descriptor,
    sarif_text,
)
from ddblint.result import Result
from ddblint.span import Span
from tests.ci_repo import TWELVE_ITEMS, git_repo, write_module
from tests.conftest import FIXTURES, PROJECT, fixture_dirs

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
OPTIONS = ReportOptions(cwd=str(PROJECT))


def sarif_of(result: Result, options: ReportOptions = OPTIONS, limits: UploadLimits = GITHUB_LIMITS) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(sarif_text(result, options, limits))
    return log


def run_of(log: dict[str, Any]) -> dict[str, Any]:
    run: dict[str, Any] = log["runs"][0]
    return run


def cli_sarif(args: list[str], cwd: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.chdir(cwd)
    with pytest.raises(SystemExit):
        main([*args, "--format", "sarif", "--no-cache", "--quiet", "-o", str(out)])
    log: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return log


def synthetic(count: int, severity: Severity, root: str, rule_id: str = "DDB001") -> list[Finding]:
    """Findings built directly, for volumes no fixture should have to produce."""
    return [
        Finding(
            rule_id,
            severity,
            f"item set {i} is too big",
            Span(os.path.join(root, f"m{i % 50}", "main.tf"), i % 400 + 1, 1, i % 400 + 3, 2),
            address=f"aws_dynamodb_table_item.t{i}",
            identity=f"{severity.label}-{i}",
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("fixture", fixture_dirs(), ids=lambda p: p.name)
def test_every_fixture_validates_against_the_oasis_schema(fixture: Path, lint_dir: Any) -> None:
    result = lint_dir(fixture)
    log = sarif_of(result, replace(OPTIONS, sarif_category="ddblint/fixtures"))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert len(run_of(log)["results"]) == sum(not f.suppressed for f in result.findings)
    with_suppressed = sarif_of(result, replace(OPTIONS, show_suppressed=True))
    jsonschema.Draft4Validator(SCHEMA).validate(with_suppressed)
    assert len(run_of(with_suppressed)["results"]) == len(result.findings)


def test_the_schema_check_rejects_a_broken_log(lint_dir: Any) -> None:
    log = sarif_of(lint_dir(FIXTURES / "count_50"))
    run_of(log)["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_tool_and_every_catalog_rule_are_described(lint_dir: Any) -> None:
    driver = run_of(sarif_of(lint_dir(FIXTURES / "count_50")))["tool"]["driver"]
    assert driver["name"] == "ddblint"
    assert driver["version"] == driver["semanticVersion"]
    assert driver["informationUri"].startswith("https://")
    catalog = load_catalog()
    assert [rule["id"] for rule in driver["rules"]] == list(catalog)
    for rule in driver["rules"]:
        doc = catalog[rule["id"]]
        assert rule["name"] == doc.name
        assert rule["shortDescription"]["text"] == doc.summary
        assert rule["fullDescription"]["text"]
        assert doc.summary in rule["help"]["text"] and f"# {doc.id} {doc.name}" in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] == doc.severity.label
        assert set(doc.tags) <= set(rule["properties"]["tags"])
        assert ("security-severity" in rule["properties"]) == (doc.security_severity is not None)


def test_security_severity_is_a_string_and_marks_the_rule_as_security() -> None:
    doc = replace(load_catalog()["DDB001"], security_severity="7.5", tags=("drift",))
    properties = rule_descriptor(doc)["properties"]
    assert properties["security-severity"] == "7.5"
    assert properties["tags"] == ["drift", "security"]


def test_long_descriptions_are_cut_to_what_github_shows() -> None:
    doc = replace(load_catalog()["DDB001"], description="word " * 400)
    text = rule_descriptor(doc)["fullDescription"]["text"]
    assert len(text) <= 1024 and text.endswith("…")


def test_results_point_at_their_rule_place_and_resource(lint_dir: Any) -> None:
    result = lint_dir(FIXTURES / "nested_modules")
    run = run_of(sarif_of(result))
    index = next(i for i, f in enumerate(result.findings) if f.rule_id == "DDB001")
    finding, entry = result.findings[index], run["results"][index]
    assert run["tool"]["driver"]["rules"][entry["ruleIndex"]]["id"] == entry["ruleId"] == "DDB001"
    assert entry["level"] == "warning"
    assert entry["message"]["text"].startswith(finding.message)
    location = entry["locations"][0]
    region = location["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
        finding.span.line,
        finding.span.column,
        finding.span.end_line,
        finding.span.end_column,
    )
    assert location["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert location["logicalLocations"] == [
        {"fullyQualifiedName": "module.outer.module.inner.aws_dynamodb_table_item.entry", "kind": "resource"}
    ]
    assert len(entry["partialFingerprints"][FINGERPRINT_KEY]) == 32
    assert entry["suppressions"] == []


def test_unparsable_files_are_results_and_tool_notifications(tmp_path: Path, lint_dir: Any) -> None:
    write_module(tmp_path / "stack", broken=True)
    run = run_of(sarif_of(lint_dir(tmp_path / "stack")))
    (broken,) = [r for r in run["results"] if r["ruleId"] == "DDB000"]
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert notification["associatedRule"] == {"id": "DDB000", "index": broken["ruleIndex"]}
    assert notification["message"] == broken["message"]
    assert notification["locations"] == broken["locations"]
    assert run["invocations"][0]["executionSuccessful"] is True


def test_an_internal_error_makes_the_execution_unsuccessful(lint_dir: Any) -> None:
    result = lint_dir(FIXTURES / "count_50")
    result.internal_errors.append(InternalError(result.findings[0].span.path, "DDB002", "RuntimeError: boom", ""))
    invocation = run_of(sarif_of(result))["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "DDB002" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_suppressed_findings_are_left_out_by_default_and_counted_in_a_note(tmp_path: Path, lint_dir: Any) -> None:
    main_tf = write_module(git_repo(tmp_path) / "stack", broken=True)
    result = lint_dir(main_tf.parent)
    items = next(f for f in result.findings if f.rule_id == "DDB001")
    result.findings[:] = [
        f.suppressed_by(Suppression("external", "known", "b.json")) if f is items else f for f in result.findings
    ]
    run = run_of(sarif_of(result))
    assert [r["ruleId"] for r in run["results"]] == ["DDB000"]
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"] if n["level"] == "note"]
    assert notes == [
        "1 suppressed or baselined finding is left out: GitHub code scanning does not act on SARIF suppressions "
        "and would show them as open alerts. Run ddblint with --show-suppressed to include them with their "
        "suppressions."
    ]


def test_with_show_suppressed_suppressed_findings_stay_with_their_suppression(tmp_path: Path, lint_dir: Any) -> None:
    main_tf = write_module(git_repo(tmp_path) / "stack")
    result = lint_dir(main_tf.parent)
    (finding,) = result.findings
    comment = Suppression("inSource", "seed data reviewed", f"{main_tf}:11")
    other = replace(finding, identity="another item set")
    result.findings[:] = [finding.suppressed_by(comment), other.suppressed_by(Suppression("external", "", "b.json"))]
    run = run_of(sarif_of(result, replace(OPTIONS, show_suppressed=True)))
    inline, external = run["results"]
    assert inline["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "seed data reviewed",
            "properties": {"origin": "stack/main.tf:11"},
        }
    ]
    assert external["suppressions"] == [{"kind": "external", "status": "accepted", "properties": {"origin": "b.json"}}]
    assert run["invocations"][0]["toolExecutionNotifications"] == []


EXPIRED = TWELVE_ITEMS.replace("slots", "legacy").replace(
    'resource "aws_dynamodb_table_item"',
    '# ddblint:ignore DDB001 until=2020-01-31 -- seed plans\nresource "aws_dynamodb_table_item"',
)


def test_baselined_findings_are_left_out_while_stale_entries_and_expired_suppressions_surface(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git_repo(tmp_path)
    main_tf = write_module(repo / "stack")
    baseline = repo / "baseline.json"
    monkeypatch.chdir(repo)
    with pytest.raises(SystemExit):
        main(["stack", "--no-cache", "--quiet", "--write-baseline", str(baseline)])
    (repo / "stack" / "fixed.tf").write_text(TWELVE_ITEMS.replace("slots", "gone"), encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["stack", "--no-cache", "--quiet", "--write-baseline", str(baseline)])
    (repo / "stack" / "fixed.tf").write_text(
        TWELVE_ITEMS.replace("slots", "gone").replace("= 12", "= 2"), encoding="utf-8"
    )
    (repo / "stack" / "expired.tf").write_text(EXPIRED, encoding="utf-8")

    log = cli_sarif(["stack", "--baseline", str(baseline)], repo, tmp_path / "out.sarif", monkeypatch)
    jsonschema.validate(log, SCHEMA)
    run = run_of(log)
    assert [(r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]) for r in run["results"]] == [
        ("DDB001", "aws_dynamodb_table_item.legacy")
    ]
    assert run["results"][0]["suppressions"] == []
    assert "expired on 2020-01-31" in run["results"][0]["message"]["text"]
    texts = [(n["level"], n["message"]["text"]) for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert texts == [
        (
            "warning",
            "The baseline entry for DDB001 aws_dynamodb_table_item.gone in stack/fixed.tf no longer matches a "
            "finding (fixed, or changed into a new finding); refresh the baseline with --write-baseline.",
        ),
        ("note", texts[1][1]),
    ]
    assert texts[1][1].startswith("1 suppressed or baselined finding is left out")
    included = run_of(
        cli_sarif(
            ["stack", "--baseline", str(baseline), "--show-suppressed"], repo, tmp_path / "all.sarif", monkeypatch
        )
    )
    assert [r["suppressions"][0]["kind"] for r in included["results"] if r["suppressions"]] == ["external"]
    assert main_tf.exists()


def test_help_links_to_the_rules_page_in_the_repository() -> None:
    for doc in load_catalog().values():
        uri = rule_descriptor(doc)["helpUri"]
        prefix = "https://github.com/ddblint/ddblint/blob/main/"
        assert uri.startswith(prefix)
        page = PROJECT / uri[len(prefix) :]
        assert page.name == f"{doc.id}.md" and f"# {doc.id} {doc.name}" in page.read_text(encoding="utf-8")


def test_category_sets_automation_details(lint_dir: Any) -> None:
    result = lint_dir(FIXTURES / "count_50")
    assert "automationDetails" not in run_of(sarif_of(result))
    run = run_of(sarif_of(result, replace(OPTIONS, sarif_category="ddblint/infra")))
    assert run["automationDetails"] == {"id": "ddblint/infra"}


def test_uris_are_relative_to_the_repository_and_percent_encoded(tmp_path: Path, lint_dir: Any) -> None:
    repo = git_repo(tmp_path)
    write_module(repo / "infra stacks" / "tablés")
    run = run_of(sarif_of(lint_dir(repo / "infra stacks")))
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "infra%20stacks/tabl%C3%A9s/main.tf", "uriBaseId": "%SRCROOT%"}


def test_the_same_repository_gives_the_same_uris_from_any_starting_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git_repo(tmp_path)
    write_module(repo / "stacks" / "a")
    write_module(repo / "stacks" / "b")
    from_root = cli_sarif(["."], repo, tmp_path / "a.sarif", monkeypatch)
    from_below = cli_sarif([".."], repo / "stacks", tmp_path / "b.sarif", monkeypatch)
    one_stack = cli_sarif(["stacks/b"], repo, tmp_path / "c.sarif", monkeypatch)

    def places(log: dict[str, Any]) -> list[tuple[str, str]]:
        results = run_of(log)["results"]
        uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
        return list(zip(uris, [r["partialFingerprints"][FINGERPRINT_KEY] for r in results]))

    assert places(from_root) == places(from_below)
    assert [uri for uri, _ in places(from_root)] == ["stacks/a/main.tf", "stacks/b/main.tf"]
    assert places(one_stack) == places(from_root)[1:]
    assert places(from_root)[0][1] != places(from_root)[1][1]


def test_fingerprints_survive_lines_inserted_above(tmp_path: Path, lint_dir: Any) -> None:
    main_tf = write_module(git_repo(tmp_path) / "stack")
    (before,) = run_of(sarif_of(lint_dir(main_tf.parent)))["results"]
    unrelated = '# Logs bucket.\n\nresource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n\n'
    main_tf.write_text(unrelated + main_tf.read_text(encoding="utf-8"), encoding="utf-8")
    (after,) = run_of(sarif_of(lint_dir(main_tf.parent)))["results"]
    assert after["partialFingerprints"] == before["partialFingerprints"]
    line_before = before["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert after["locations"][0]["physicalLocation"]["region"]["startLine"] == line_before + unrelated.count("\n")


def test_beyond_the_result_limit_the_most_severe_are_kept_and_the_rest_counted(tmp_path: Path) -> None:
    root = str(tmp_path)
    findings = synthetic(3, Severity.NOTE, root) + synthetic(2, Severity.ERROR, root)
    findings += synthetic(3, Severity.WARNING, root)
    run = run_of(sarif_of(Result(root=root, findings=findings), limits=UploadLimits(max_results=4)))
    assert [r["level"] for r in run["results"]] == ["error", "error", "warning", "warning"]
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "warning"
    assert notification["message"]["text"].startswith("4 of 8 results were left out")


def test_suppressed_results_go_before_active_ones_of_any_level(tmp_path: Path) -> None:
    root = str(tmp_path)
    hidden = [f.suppressed_by(Suppression("external", "known", "b.json")) for f in synthetic(2, Severity.ERROR, root)]
    findings = hidden + synthetic(2, Severity.NOTE, root)
    options = replace(OPTIONS, show_suppressed=True)
    run = run_of(sarif_of(Result(root=root, findings=findings), options, limits=UploadLimits(max_results=2)))
    assert [(r["suppressions"], r["level"]) for r in run["results"]] == [([], "note"), ([], "note")]


def test_beyond_the_size_limit_results_are_dropped_until_the_gzipped_log_fits(tmp_path: Path) -> None:
    root = str(tmp_path)
    findings = synthetic(2000, Severity.WARNING, root) + synthetic(10, Severity.ERROR, root)
    whole = sarif_text(Result(root=root, findings=findings), OPTIONS)
    limit = gzipped_size(whole) // 2
    text = sarif_text(Result(root=root, findings=findings), OPTIONS, UploadLimits(max_gzip_bytes=limit))
    run = run_of(json.loads(text))
    assert gzipped_size(text) <= limit
    assert 10 < len(run["results"]) < 2010
    assert sum(r["level"] == "error" for r in run["results"]) == 10
    dropped = 2010 - len(run["results"])
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].startswith(f"{dropped:,} of 2,010")


def test_github_result_limit_with_real_numbers_still_fails_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = str(tmp_path)
    findings = synthetic(10, Severity.ERROR, root) + synthetic(25_000, Severity.WARNING, root)
    findings += synthetic(5, Severity.NOTE, root)
    monkeypatch.setattr("ddblint.api.lint", lambda paths, settings, **_: Result(root=root, findings=findings))
    out = tmp_path / "big.sarif"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stopped:
        main([".", "--format", "sarif", "-o", str(out), "--quiet"])
    assert stopped.value.code == 1
    text = out.read_text(encoding="utf-8")
    run = run_of(json.loads(text))
    assert len(run["results"]) == 25_000
    assert sum(r["level"] == "error" for r in run["results"]) == 10
    assert not any(r["level"] == "note" for r in run["results"])
    message = run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert message.startswith("15 of 25,015 results were left out")
    assert gzipped_size(text) <= 10_000_000


def test_a_report_written_to_a_file_prints_a_summary_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_module(tmp_path / "stack", broken=True)
    out = tmp_path / "out.sarif"
    with pytest.raises(SystemExit) as stopped:
        main([str(tmp_path / "stack"), "--format", "sarif", "-o", str(out), "--no-cache"])
    captured = capsys.readouterr()
    assert stopped.value.code == 1
    assert captured.out == ""
    assert captured.err == f"ddblint: 2 problems (1 error, 1 warning) in 2 files; report written to {out}\n"
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"
    with pytest.raises(SystemExit):
        main([str(tmp_path / "stack"), "--format", "sarif", "-o", str(out), "--no-cache", "--quiet"])
    assert capsys.readouterr().err == ""


def test_an_unwritable_output_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([str(FIXTURES / "count_50"), "--format", "sarif", "-o", str(tmp_path / "missing" / "x.sarif")])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "cannot write the report to" in err and "Traceback" not in err


# The SARIF multitool: Microsoft's validator, with GitHub's ingestion rules ("Gh").


def multitool() -> Path | None:
    configured = os.environ.get("DDBLINT_SARIF_MULTITOOL")
    if configured:
        return Path(configured)
    executable = "Sarif.Multitool.exe" if sys.platform == "win32" else "Sarif.Multitool"
    candidate = PROJECT / ".ci" / "node" / "node_modules" / "@microsoft" / f"sarif-multitool-{sys.platform}"
    return candidate / executable if (candidate / executable).exists() else None


def require_multitool() -> Path:
    tool = multitool()
    if tool is not None and os.access(tool, os.X_OK):
        return tool
    reason = (
        "the SARIF multitool is not installed: run .ci/run, or `npm install --prefix .ci/node "
        "@microsoft/sarif-multitool@5`, or point DDBLINT_SARIF_MULTITOOL at its binary"
    )
    if tool is not None:
        reason = f"the SARIF multitool at {tool} is not executable"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


def validation_problems(tool: Path, logs: list[Path], out: Path) -> list[tuple[str, str, str]]:
    """(level, validation rule, file) for every error and warning the multitool reports."""
    environment = {**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"}
    command = [str(tool), "validate", "--rule-kind", "Sarif;Gh", "--level", "Error;Warning", "-o", str(out)]
    completed = subprocess.run(
        [*command, *map(str, logs)], capture_output=True, text=True, env=environment, timeout=600
    )
    assert out.exists(), f"the multitool wrote no log (exit {completed.returncode}): {completed.stdout[-2000:]}"
    validation = json.loads(out.read_text(encoding="utf-8-sig"))
    run = validation["runs"][0]
    failures = [n for n in run["invocations"][0].get("toolExecutionNotifications", []) if n.get("level") == "error"]
    assert not failures, failures
    return [
        (r.get("level", "warning"), r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in run["results"]
        if r.get("level", "warning") in ("error", "warning")
    ]


@pytest.mark.slow
def test_the_multitool_finds_no_error_or_warning_in_any_fixture_report(tmp_path: Path, lint_dir: Any) -> None:
    tool = require_multitool()
    logs = []
    for fixture in fixture_dirs():
        path = tmp_path / f"{fixture.name}.sarif"
        path.write_text(sarif_text(lint_dir(fixture), replace(OPTIONS, sarif_category="ddblint/ci")), encoding="utf-8")
        logs.append(path)
    special_repo = git_repo(tmp_path)
    main_tf = write_module(special_repo / "my stacks" / "é", broken=True)
    special = lint_dir(special_repo)
    special.findings[-1] = special.findings[-1].suppressed_by(Suppression("inSource", "reviewed", f"{main_tf}:11"))
    special.stale_baseline = [BaselineEntry("my stacks/é/old.tf", "DDB001", "aws_dynamodb_table_item.old", "0" * 32)]
    with_suppressed = tmp_path / "special-suppressed.sarif"
    with_suppressed.write_text(sarif_text(special, replace(OPTIONS, show_suppressed=True)), encoding="utf-8")
    trimmed = tmp_path / "special-trimmed.sarif"
    trimmed.write_text(sarif_text(special, OPTIONS, UploadLimits(max_results=1)), encoding="utf-8")
    control = tmp_path / "control.sarif"
    broken = sarif_of(lint_dir(FIXTURES / "count_50"))
    del broken["$schema"]
    control.write_text(json.dumps(broken), encoding="utf-8")

    checked = [json.loads(log.read_text(encoding="utf-8"))["runs"][0] for log in [*logs, with_suppressed]]
    results = [result for run in checked for result in run["results"]]
    assert any(result.get("relatedLocations") for result in results), "no log with callers as relatedLocations"
    assert any(result["suppressions"] for result in results), "no log with a suppressed result"
    assert any(result["ruleId"] == "DDB000" for result in results), "no log with a parse error"
    problems = validation_problems(tool, [*logs, with_suppressed, trimmed, control], tmp_path / "validation.sarif")
    assert problems, "the multitool found nothing wrong with a log without $schema: is it validating?"
    assert {file for _, _, file in problems} == {control.as_uri()}, problems
