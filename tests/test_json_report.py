"""The JSON report's shape is a promise to scripts: this test pins it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ddblint.cli import main
from ddblint.findings import Suppression
from ddblint.report import ReportOptions
from ddblint.report.json_report import FORMAT_VERSION, json_document
from ddblint.report.sarif import FINGERPRINT_KEY, sarif_text
from tests.ci_repo import git_repo, write_module

FINDING_KEYS = {
    "rule",
    "name",
    "severity",
    "message",
    "file",
    "span",
    "address",
    "evidence",
    "callers",
    "fingerprint",
    "suppressed",
    "suppression",
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = git_repo(tmp_path)
    write_module(repo / "stacks" / "slots")
    return repo


def test_the_document_shape_is_pinned(repo: Path, lint_dir: Any) -> None:
    document = json_document(lint_dir(repo / "stacks"))
    assert set(document) == {"version", "tool", "findings", "internal_errors", "summary"}
    assert document["version"] == FORMAT_VERSION == 1
    assert set(document["tool"]) == {"name", "version"} and document["tool"]["name"] == "ddblint"
    assert document["internal_errors"] == []
    (first,) = document["findings"]
    assert set(first) == FINDING_KEYS
    assert {k: first[k] for k in FINDING_KEYS - {"message", "fingerprint"}} == {
        "rule": "DDB001",
        "name": "too-many-items",
        "severity": "warning",
        "file": "stacks/slots/main.tf",
        "span": {"line": 11, "column": 1, "end_line": 16, "end_column": 2},
        "address": "aws_dynamodb_table_item.slots",
        "evidence": [],
        "callers": [],
        "suppressed": False,
        "suppression": None,
    }
    assert first["message"].startswith("`aws_dynamodb_table_item.slots` writes 12 items")
    assert len(first["fingerprint"]) == 32 and int(first["fingerprint"], 16) >= 0
    assert document["summary"] == {
        "findings": 1,
        "suppressed": 0,
        "by_severity": {"error": 0, "warning": 1, "note": 0},
        "by_rule": {"DDB001": 1},
        "files_seen": 1,
        "modules_seen": 1,
        "modules_parsed": 1,
        "item_sets": 1,
    }


def test_suppressed_findings_carry_their_suppression(repo: Path, lint_dir: Any) -> None:
    result = lint_dir(repo / "stacks")
    comment = Suppression("inSource", "seed data, reviewed", f"{result.findings[0].span.path}:10")
    result.findings[0] = result.findings[0].suppressed_by(comment)
    document = json_document(result)
    first = document["findings"][0]
    assert first["suppressed"] is True
    assert first["suppression"] == {
        "kind": "inSource",
        "justification": "seed data, reviewed",
        "origin": "stacks/slots/main.tf:10",
    }
    assert document["summary"]["findings"] == 0 and document["summary"]["suppressed"] == 1
    assert document["summary"]["by_rule"] == {}


def test_fingerprints_match_sarif_and_do_not_depend_on_the_starting_directory(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cli_json(args: list[str], cwd: Path) -> dict[str, Any]:
        monkeypatch.chdir(cwd)
        out = tmp_path / "out.json"
        with pytest.raises(SystemExit) as stopped:
            main([*args, "--format", "json", "--no-cache", "-q", "-o", str(out)])
        assert stopped.value.code == 1
        document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return document

    from_root = cli_json(["."], repo)
    from_below = cli_json([".."], repo / "stacks")
    places = [(f["file"], f["fingerprint"]) for f in from_root["findings"]]
    assert places == [(f["file"], f["fingerprint"]) for f in from_below["findings"]]
    assert [file for file, _ in places] == ["stacks/slots/main.tf"]


def test_json_and_sarif_fingerprints_agree(repo: Path, lint_dir: Any) -> None:
    result = lint_dir(repo / "stacks")
    sarif = json.loads(sarif_text(result, ReportOptions(cwd=str(repo))))
    sarif_prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in sarif["runs"][0]["results"]]
    assert [f["fingerprint"] for f in json_document(result)["findings"]] == sarif_prints


def test_json_on_stdout_is_pure_json_with_the_summary_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_module(tmp_path / "stack", broken=True)
    with pytest.raises(SystemExit) as stopped:
        main([str(tmp_path / "stack"), "--format", "json", "--no-cache"])
    captured = capsys.readouterr()
    assert stopped.value.code == 1
    document = json.loads(captured.out)
    assert [f["rule"] for f in document["findings"]] == ["DDB000", "DDB001"]
    assert captured.err == "ddblint: 2 problems (1 error, 1 warning) in 2 files\n"
