"""Inline suppressions, config ``suppress`` entries, and the rules about them (DDB090, DDB091)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from ddblint.api import lint
from ddblint.catalog.entries import load_catalog
from ddblint.config.settings import PathSuppression, Settings
from ddblint.filter.suppressions import parse_directive
from ddblint.findings import Finding
from ddblint.result import Result
from tests.plans_module import plans_tf, resource_line, write_module

RULES = tuple(load_catalog())
REASON = "seed catalogue, moving to the billing service (PLAT-12)"


def _lint(directory: Path, today: datetime.date | None = None, **settings: object) -> Result:
    return lint([str(directory)], Settings(cache=False, **settings), today=today)  # type: ignore[arg-type]


def _only(result: Result, rule_id: str) -> Finding:
    found = [f for f in result.findings if f.rule_id == rule_id]
    assert len(found) == 1, result.findings
    return found[0]


def _active_rules(result: Result) -> list[str]:
    return sorted(f.rule_id for f in result.findings if not f.suppressed)


# -- reading a directive ------------------------------------------------------


@pytest.mark.parametrize(
    "comment",
    [
        f"# ddblint:ignore DDB001,DDB002 until=2025-06-30 -- {REASON}",
        f"// ddblint:ignore DDB001 DDB002 until=2025-06-30 -- {REASON}",
        f"/* ddblint:ignore DDB001, DDB002 until=2025-06-30 -- {REASON} */",
    ],
)
def test_a_directive_reads_the_same_in_every_comment_style(comment: str) -> None:
    directive = parse_directive("main.tf", 3, comment, RULES)
    assert directive is not None
    assert (directive.scope, directive.rules, directive.reason) == ("block", ("DDB001", "DDB002"), REASON)
    assert directive.until == datetime.date(2025, 6, 30)
    assert not directive.problem and not directive.unknown_rules


def test_ignore_file_covers_the_file_and_a_missing_reason_is_empty() -> None:
    directive = parse_directive("main.tf", 1, "# ddblint:ignore-file DDB010", ("DDB010",))
    assert directive is not None
    assert (directive.scope, directive.rules, directive.reason) == ("file", ("DDB010",), "")


def test_prose_that_mentions_ddblint_is_not_a_directive() -> None:
    assert parse_directive("main.tf", 1, "# see ddblint: it finds item misuse", RULES) is None


@pytest.mark.parametrize(
    ("comment", "problem"),
    [
        ("# ddblint:ignor DDB001 -- x", "did you mean `ddblint:ignore`?"),
        ("# ddblint:ignore -- everything please", "names no rule"),
        ("# ddblint:ignore DDB001 until=2025-13-01 -- x", "until=2025-13-01 is not a date"),
    ],
)
def test_a_malformed_directive_says_what_is_wrong(comment: str, problem: str) -> None:
    directive = parse_directive("main.tf", 1, comment, RULES)
    assert directive is not None
    assert problem in directive.problem


def test_prefixes_and_unknown_ids_are_not_rules() -> None:
    directive = parse_directive("main.tf", 1, "# ddblint:ignore DDB00 DDB0001 -- x", RULES)
    assert directive is not None
    assert directive.rules == ()
    assert directive.unknown_rules == ("DDB00", "DDB0001")


# -- what a comment covers ----------------------------------------------------


def test_ignore_on_the_line_above_suppresses_the_block_with_its_reason(tmp_path: Path) -> None:
    text = plans_tf(above=f"# ddblint:ignore DDB001 -- {REASON}")
    write_module(tmp_path, text)
    finding = _only(_lint(tmp_path), "DDB001")
    assert finding.suppression is not None
    assert finding.suppression.kind == "inSource"
    assert finding.suppression.justification == REASON
    assert finding.suppression.origin.endswith(f"main.tf:{resource_line(text) - 1}")
    assert _active_rules(_lint(tmp_path)) == []


def test_ignore_on_the_first_line_of_the_block_suppresses_it(tmp_path: Path) -> None:
    text = plans_tf().replace(
        'resource "aws_dynamodb_table_item" "plans" {',
        f'resource "aws_dynamodb_table_item" "plans" {{ // ddblint:ignore DDB001 -- {REASON}',
    )
    write_module(tmp_path, text)
    assert _only(_lint(tmp_path), "DDB001").suppressed
    assert _active_rules(_lint(tmp_path)) == []


def test_stacked_comments_above_one_block_all_cover_it(tmp_path: Path) -> None:
    above = f"# ddblint:ignore DDB001 -- {REASON}\n/* ddblint:ignore DDB002 -- {REASON} */"
    write_module(tmp_path, plans_tf(above=above))
    result = _lint(tmp_path)
    assert _only(result, "DDB001").suppressed
    assert [f.message for f in result.findings if f.rule_id == "DDB090"] == [
        "`ddblint:ignore DDB002`: no DDB002 finding here to suppress; remove DDB002 from it."
    ]


def test_a_comment_separated_from_the_block_covers_nothing_and_says_so(tmp_path: Path) -> None:
    write_module(tmp_path, plans_tf(above=f"# ddblint:ignore DDB001 -- {REASON}\n"))
    result = _lint(tmp_path)
    assert not _only(result, "DDB001").suppressed
    assert "suppresses nothing: it is neither on the first line of a block" in _only(result, "DDB090").message


def test_ignore_covers_only_its_own_block(tmp_path: Path) -> None:
    first = plans_tf(above=f"# ddblint:ignore DDB001 -- {REASON}", name="first", table="first")
    write_module(tmp_path, first + plans_tf(name="second", table="second"))
    result = _lint(tmp_path)
    assert _active_rules(result) == ["DDB001"]
    assert "second" in next(f.address for f in result.findings if not f.suppressed)


def test_ignore_file_suppresses_the_rule_anywhere_in_its_file(tmp_path: Path) -> None:
    write_module(tmp_path, f"// ddblint:ignore-file DDB001 -- {REASON}\n" + plans_tf())
    result = _lint(tmp_path)
    assert _only(result, "DDB001").suppressed
    assert _active_rules(result) == []


def test_ignore_file_does_not_reach_other_files(tmp_path: Path) -> None:
    write_module(tmp_path, plans_tf())
    write_module(tmp_path, f"# ddblint:ignore-file DDB001 -- {REASON}\n", name="other.tf")
    result = _lint(tmp_path)
    assert _active_rules(result) == ["DDB001", "DDB090"]


# -- expiry ---------------------------------------------------------------------


def test_a_suppression_holds_through_its_until_day(tmp_path: Path) -> None:
    write_module(tmp_path, plans_tf(above=f"# ddblint:ignore DDB001 until=2025-06-30 -- {REASON}"))
    assert _active_rules(_lint(tmp_path, today=datetime.date(2025, 6, 30))) == []


def test_after_its_until_day_the_finding_returns_and_says_the_suppression_expired(tmp_path: Path) -> None:
    text = plans_tf(above=f"# ddblint:ignore DDB001 until=2025-06-30 -- {REASON}")
    write_module(tmp_path, text)
    result = _lint(tmp_path, today=datetime.date(2025, 7, 1))
    finding = _only(result, "DDB001")
    assert not finding.suppressed
    assert finding.message.endswith(f"main.tf:{resource_line(text) - 1} expired on 2025-06-30.")
    assert "; the suppression at " in finding.message
    assert _active_rules(result) == ["DDB001"]  # an expired suppression that matches is not also "unused"


def test_an_expired_suppression_that_matches_nothing_is_unused(tmp_path: Path) -> None:
    write_module(tmp_path, plans_tf(count=2, above=f"# ddblint:ignore DDB001 until=2020-01-01 -- {REASON}"))
    result = _lint(tmp_path, today=datetime.date(2025, 1, 1))
    assert "expired on 2020-01-01" in _only(result, "DDB090").message


# -- reasons and unused suppressions -------------------------------------------


def test_a_suppression_without_reason_still_works_and_is_reported(tmp_path: Path) -> None:
    write_module(tmp_path, plans_tf(above="# ddblint:ignore DDB001"))
    result = _lint(tmp_path)
    assert _only(result, "DDB001").suppressed
    assert _active_rules(result) == ["DDB091"]


def test_missing_reasons_can_be_allowed_by_ignoring_ddb091(tmp_path: Path) -> None:
    write_module(tmp_path, plans_tf(above="# ddblint:ignore DDB001"))
    assert _active_rules(_lint(tmp_path, ignore=("DDB091",))) == []


def test_an_unknown_rule_id_is_reported_with_the_closest_id(tmp_path: Path) -> None:
    write_module(tmp_path, plans_tf(above=f"# ddblint:ignore DDB001,DDB0001 -- {REASON}"))
    result = _lint(tmp_path)
    assert _only(result, "DDB001").suppressed
    assert "`DDB0001`, which is not a ddblint rule (did you mean DDB001?)" in _only(result, "DDB090").message


def test_a_stale_suppression_is_reported_but_not_for_a_rule_that_is_not_selected(tmp_path: Path) -> None:
    write_module(tmp_path, plans_tf(count=3, above=f"# ddblint:ignore DDB001 -- {REASON}"))
    assert "no DDB001 finding here" in _only(_lint(tmp_path), "DDB090").message
    assert _active_rules(_lint(tmp_path, ignore=("DDB001",))) == []


def test_a_comment_cannot_silence_the_rules_about_comments(tmp_path: Path) -> None:
    write_module(
        tmp_path,
        "# ddblint:ignore-file DDB090 -- quiet please\n" + plans_tf(count=2, above="# ddblint:ignore DDB001 -- x"),
    )
    assert _active_rules(_lint(tmp_path)) == ["DDB090", "DDB090"]


# -- config suppressions (how .tf.json files are suppressed) -----------------


JSON_ITEMS = """{
  "resource": {
    "aws_dynamodb_table_item": {
      "plans": {
        "for_each": "${{ for i in range(40) : \\"plan-${i}\\" => i }}",
        "table_name": "plans",
        "hash_key": "pk",
        "item": "${jsonencode({ pk = { S = each.key } })}"
      }
    }
  }
}
"""


def _config_entry(config: Path, paths: tuple[str, ...], rules: tuple[str, ...], reason: str) -> PathSuppression:
    return PathSuppression(paths, rules, reason, f"{config.name}:4", str(config), 4)


def test_a_config_entry_suppresses_findings_in_a_json_file(tmp_path: Path) -> None:
    write_module(tmp_path, JSON_ITEMS, name="generated.tf.json")
    config = tmp_path / ".ddblint.yaml"
    entry = _config_entry(config, ("*.tf.json",), ("DDB00",), "generated from the product feed")
    result = _lint(tmp_path, suppress=(entry,), base_dir=str(tmp_path))
    finding = _only(result, "DDB001")
    assert finding.suppression is not None
    assert finding.suppression.kind == "external"
    assert finding.suppression.justification == "generated from the product feed"
    assert _active_rules(result) == []


def test_an_unused_config_entry_is_reported_at_its_line(tmp_path: Path) -> None:
    write_module(tmp_path, plans_tf(count=2))
    config = tmp_path / ".ddblint.yaml"
    result = _lint(tmp_path, suppress=(_config_entry(config, ("main.tf",), ("DDB001",), "x"),), base_dir=str(tmp_path))
    finding = _only(result, "DDB090")
    assert (finding.span.path, finding.span.line) == (str(config), 4)


def test_a_config_entry_for_files_outside_the_run_is_not_judged(tmp_path: Path) -> None:
    write_module(tmp_path, plans_tf(count=2))
    config = tmp_path / ".ddblint.yaml"
    entry = _config_entry(config, ("legacy/**",), ("DDB001",), "legacy stacks keep their seed items")
    assert _active_rules(_lint(tmp_path, suppress=(entry,), base_dir=str(tmp_path))) == []


def test_a_config_entry_without_reason_is_reported(tmp_path: Path) -> None:
    write_module(tmp_path, plans_tf())
    config = tmp_path / ".ddblint.yaml"
    entry = _config_entry(config, ("main.tf",), ("DDB001",), "")
    result = _lint(tmp_path, suppress=(entry,), base_dir=str(tmp_path))
    assert _only(result, "DDB001").suppressed
    assert "give" in _only(result, "DDB091").message and "`reason:`" in _only(result, "DDB091").message
