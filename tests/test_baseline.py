"""Baselines: record today's findings, hide them later, and notice what changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ddblint.api import lint
from ddblint.cli import main
from ddblint.config.settings import Settings
from ddblint.filter.baseline import BaselineError, read_baseline, write_baseline
from ddblint.result import Result
from tests.plans_module import plans_tf, write_module


def _lint(directory: Path, baseline: Path | None = None) -> Result:
    return lint([str(directory)], Settings(cache=False, baseline=str(baseline) if baseline else None))


def _record(directory: Path, baseline: Path) -> None:
    write_baseline(str(baseline), _lint(directory).findings)


def _active(result: Result) -> list[str]:
    return [f.rule_id for f in result.findings if not f.suppressed]


def test_the_file_is_sorted_indented_json_with_a_version_and_no_lines(tmp_path: Path) -> None:
    write_module(tmp_path / "b", plans_tf(name="second", table="second"))
    write_module(tmp_path / "a", plans_tf())
    baseline = tmp_path / "baseline.json"
    _record(tmp_path, baseline)
    text = baseline.read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["version"] == 1
    assert [(e["file"], e["rule"], e["address"]) for e in document["findings"]] == [
        ("a/main.tf", "DDB001", "aws_dynamodb_table_item.plans"),
        ("b/main.tf", "DDB001", "aws_dynamodb_table_item.second"),
    ]
    assert all(set(e) == {"file", "rule", "address", "fingerprint", "message"} for e in document["findings"])
    assert text == json.dumps(document, indent=2, sort_keys=True) + "\n"
    _record(tmp_path, baseline)
    assert baseline.read_text(encoding="utf-8") == text  # a rewrite of the same findings changes nothing


def test_baselined_findings_are_kept_but_suppressed(tmp_path: Path) -> None:
    write_module(tmp_path, plans_tf())
    baseline = tmp_path / "baseline.json"
    _record(tmp_path, baseline)
    result = _lint(tmp_path, baseline)
    [finding] = result.findings
    assert finding.suppression is not None
    assert finding.suppression.kind == "external"
    assert finding.suppression.justification.startswith("in baseline ")
    assert finding.suppression.justification.endswith("baseline.json")
    assert result.stale_baseline == []


def test_lines_inserted_above_do_not_resurrect_a_finding(tmp_path: Path) -> None:
    main_tf = write_module(tmp_path, plans_tf())
    baseline = tmp_path / "baseline.json"
    _record(tmp_path, baseline)
    main_tf.write_text("# a new comment\n\n" * 5 + main_tf.read_text(encoding="utf-8"), encoding="utf-8")
    result = _lint(tmp_path, baseline)
    assert _active(result) == []
    assert result.stale_baseline == []


def test_a_grown_for_each_is_a_new_finding_and_its_old_entry_is_stale(tmp_path: Path) -> None:
    main_tf = write_module(tmp_path, plans_tf(count=40))
    baseline = tmp_path / "baseline.json"
    _record(tmp_path, baseline)
    main_tf.write_text(plans_tf(count=41), encoding="utf-8")
    result = _lint(tmp_path, baseline)
    assert _active(result) == ["DDB001"]
    assert "41 items" in result.findings[0].message
    assert [(e.file, e.rule) for e in result.stale_baseline] == [("main.tf", "DDB001")]


def test_a_fixed_finding_leaves_a_stale_entry_but_files_outside_the_run_are_not_judged(tmp_path: Path) -> None:
    write_module(tmp_path / "a", plans_tf())
    fixed = write_module(tmp_path / "b", plans_tf(name="second", table="second"))
    baseline = tmp_path / "baseline.json"
    _record(tmp_path, baseline)
    assert _lint(tmp_path / "a", baseline).stale_baseline == []
    fixed.write_text(plans_tf(count=2, name="second", table="second"), encoding="utf-8")
    assert [e.file for e in _lint(tmp_path, baseline).stale_baseline] == ["b/main.tf"]
    assert _lint(tmp_path / "a", baseline).stale_baseline == []


def test_each_entry_hides_one_finding(tmp_path: Path) -> None:
    """Two equal findings need two entries: a copy of baselined code is new code."""
    write_module(tmp_path / "a", plans_tf())
    baseline = tmp_path / "baseline.json"
    _record(tmp_path, baseline)
    document = json.loads(baseline.read_text(encoding="utf-8"))
    assert len(read_baseline(str(baseline)).entries) == len(document["findings"]) == 1
    doubled = {**document, "findings": document["findings"] * 2}
    baseline.write_text(json.dumps(doubled), encoding="utf-8")
    assert [e.file for e in _lint(tmp_path, baseline).stale_baseline] == ["a/main.tf"]


def test_suppressed_findings_are_not_recorded(tmp_path: Path) -> None:
    write_module(tmp_path, plans_tf(above="# ddblint:ignore DDB001 -- seed data the tests rely on"))
    baseline = tmp_path / "baseline.json"
    _record(tmp_path, baseline)
    assert json.loads(baseline.read_text(encoding="utf-8"))["findings"] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"version": 1,\n "findings": [\n}', "baseline.json:3: invalid JSON"),
        ('{"version": 7, "findings": []}', "baseline version 7 is not 1"),
        ('{"findings": {}}', "not a ddblint baseline"),
        ('{"version": 1, "findings": [{"file": "main.tf"}]}', "finding #1 needs string fields"),
    ],
)
def test_a_broken_baseline_names_the_problem(text: str, message: str, tmp_path: Path) -> None:
    write_module(tmp_path, plans_tf())
    baseline = tmp_path / "baseline.json"
    baseline.write_text(text, encoding="utf-8")
    with pytest.raises(BaselineError, match="baseline") as error:
        _lint(tmp_path, baseline)
    assert message in str(error.value)


# -- the command line -----------------------------------------------------------


def _cli(
    args: list[str], cwd: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    monkeypatch.chdir(cwd)
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--no-cache", "--format", "concise"])
    return int(exit_info.value.code or 0), capsys.readouterr().err


def test_write_then_use_a_baseline_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    main_tf = write_module(tmp_path, plans_tf())
    assert _cli(["."], tmp_path, capsys, monkeypatch)[0] == 1
    code, err = _cli([".", "--write-baseline", "ddblint-baseline.json"], tmp_path, capsys, monkeypatch)
    assert (code, err) == (0, "ddblint: recorded 1 finding in ddblint-baseline.json\n")
    assert _cli([".", "--baseline", "ddblint-baseline.json"], tmp_path, capsys, monkeypatch) == (0, "")
    main_tf.write_text(plans_tf(count=41), encoding="utf-8")
    code, err = _cli([".", "--baseline", "ddblint-baseline.json"], tmp_path, capsys, monkeypatch)
    assert code == 1
    assert "1 entry no longer matches a finding in baseline ddblint-baseline.json" in err
    assert "  main.tf: DDB001 aws_dynamodb_table_item.plans" in err


def test_the_config_names_the_baseline_relative_to_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    write_module(tmp_path / "stacks" / "app", plans_tf())
    (tmp_path / ".ddblint.yaml").write_text("baseline: ci/baseline.json\n", encoding="utf-8")
    (tmp_path / "ci").mkdir()
    _record(tmp_path, tmp_path / "ci" / "baseline.json")
    assert _cli(["."], tmp_path / "stacks" / "app", capsys, monkeypatch) == (0, "")
    assert _cli([".", "--isolated"], tmp_path / "stacks" / "app", capsys, monkeypatch)[0] == 1


def test_a_broken_baseline_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    write_module(tmp_path, plans_tf())
    (tmp_path / "baseline.json").write_text("[]", encoding="utf-8")
    code, err = _cli([".", "--baseline", "baseline.json"], tmp_path, capsys, monkeypatch)
    assert code == 2
    assert err == 'ddblint: error: baseline.json: not a ddblint baseline (expected {"version": 1, "findings": [...]})\n'


def test_a_new_caller_of_a_baselined_shared_module_does_not_resurrect_it(tmp_path: Path) -> None:
    seed = tmp_path / "modules" / "seed"
    write_module(seed, plans_tf(count=40))
    calls = {name: f'module "{name}" {{\n  source = "./modules/seed"\n}}\n' for name in ("a", "b", "c")}
    root = tmp_path / "main.tf"
    root.write_text(calls["b"] + calls["c"], encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    _record(tmp_path, baseline)
    root.write_text(calls["a"] + calls["b"] + calls["c"], encoding="utf-8")  # a caller whose copy now comes first
    result = _lint(tmp_path, baseline)
    assert [f.rule_id for f in result.findings] == ["DDB001"]
    assert _active(result) == [] and result.stale_baseline == []
    assert "module.a." in result.findings[0].message  # the kept copy did change
