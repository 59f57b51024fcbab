"""The full report: one frame per resource, marked lines, cuts, wrapping that keeps its indent.

The snapshots in ``tests/snapshots`` pin the whole report of the shipped
example at 80 and 160 columns. Refresh them with ``DDBLINT_UPDATE_SNAPSHOTS=1
python -m pytest tests/test_full_report.py`` and read the diff before committing.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from ddblint.api import lint
from ddblint.config.settings import Settings
from ddblint.filter.redact import Redactor
from ddblint.report import ReportOptions
from ddblint.report.frame import fold_source, frame_lines, hanging
from ddblint.report.full import render
from ddblint.result import Result
from tests.cli_run import run_cli

PROJECT = Path(__file__).resolve().parent.parent
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def _report(result: Result, width: int) -> str:
    stream = io.StringIO()
    render(result, stream, ReportOptions(cwd=str(PROJECT), width=width, color=False))
    return stream.getvalue()


def _lint(name: str) -> Result:
    return lint([str(PROJECT / "fixtures" / name)], Settings(cache=False))


@pytest.mark.parametrize("width", [80, 160])
def test_the_example_report_matches_its_snapshot(width: int) -> None:
    text = _report(_lint("example"), width)
    snapshot = SNAPSHOTS / f"full_example_{width}.txt"
    if os.environ.get("DDBLINT_UPDATE_SNAPSHOTS"):
        snapshot.write_text(text, encoding="utf-8")
    assert text == snapshot.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [60, 80, 120, 160])
def test_no_row_is_wider_than_the_console_unless_one_word_is(width: int) -> None:
    for name in ("example", "content_app_data", "keys", "secrets"):
        for row in _report(_lint(name), width).splitlines():
            if len(row) > width:
                assert max(len(word) for word in row.split()) > width - 12, row


def test_one_frame_per_resource_with_every_finding_under_it() -> None:
    text = _report(_lint("example"), 160)
    assert text.count('resource "aws_dynamodb_table_item" "products" {') == 1
    block = text.split("aws_dynamodb_table_item.products\n", 1)[1].split("\n\n", 1)[0]
    assert "warning DDB001 too-many-items" in block and "warning DDB002 items-from-data-file" in block


def test_the_key_line_is_marked_and_cuts_are_shown() -> None:
    text = _report(_lint("example"), 160)
    marked = [row for row in text.splitlines() if row.startswith("  > ")]
    assert any("for_each" in row for row in marked), marked
    assert re.search(r"^\s+\.\.\. \| \d+ lines?$", text, re.MULTILINE), "a cut frame says so"
    secrets = _report(_lint("secrets"), 160)
    assert any("db_password" in row for row in secrets.splitlines() if row.startswith("  > "))
    assert "Tr0ub4dor" not in secrets, "secrets stay masked in frames"


def test_wrapped_source_rows_keep_the_gutter() -> None:
    text = _report(_lint("example"), 80)
    rows = text.splitlines()
    start = next(i for i, row in enumerate(rows) if "for_each" in row)
    continuation = rows[start + 1]
    assert re.match(r"^ {4} {3} \| ", continuation), continuation


def test_messages_wrap_at_words_under_a_hanging_indent() -> None:
    message = "`aws_dynamodb_table_item.products` writes 120 items into `aws_dynamodb_table.app` " * 3
    rows = hanging(message, 60, 6)
    assert all(row.startswith(" " * 6) and not row.startswith(" " * 7) for row in rows)
    words = set(message.split())
    assert all(word in words for row in rows for word in row.split()), "no word is cut"


def test_folding_source_cuts_at_spaces_and_keeps_the_indent() -> None:
    line = "  for_each = { for p in jsondecode(file(var.path)) : p.sku => p if p.active }"
    rows = fold_source(line, 40)
    assert len(rows) > 1 and all(len(row) <= 40 for row in rows)
    assert all(row.startswith("    ") for row in rows[1:])
    assert " ".join(rows).split() == line.split(), "nothing lost, no token cut"


def test_frames_show_the_first_lines_the_marked_ones_and_the_last() -> None:
    assert frame_lines(10, 40, {30}, 100) == [10, 11, 12, 13, 14, 15, 30, 40]
    assert frame_lines(10, 12, set(), 100) == [10, 11, 12]
    assert frame_lines(10, 40, set(), 20) == [10, 11, 12, 13, 14, 15, 20], "a file shorter than the span"


def test_rationale_and_fix_are_printed_once_per_rule_that_fired() -> None:
    text = _report(_lint("content_app_data"), 120)
    assert text.count("\nDDB010 app-data-content: ") == 1
    assert text.count("  why  ") == len({"DDB001", "DDB010"}) and text.count("  fix  ") == 2


def test_the_footer_names_a_rule_that_fired_and_how_to_select_it() -> None:
    text = _report(_lint("example"), 160)
    footer = text.rstrip().splitlines()[-1]
    assert "`ddblint rule DDB001`" in footer and "`--select DDB001`" in footer
    text = _report(_lint("var_no_default"), 160)
    assert "`ddblint rule DDB003`" in text and "--select DDB003" in text and "DDB001`" not in text


SECRET = "R3allyS3cretPassw0rd-991"
CLI_TIMEOUT = 20  # seconds: the report used to block forever on a pipe and read /dev/zero without end


def _items(count: int, secret: str = SECRET) -> str:
    """A table and ``count`` items naming it by a literal (one DDB025 frame each); the first holds ``secret``."""
    table = 'resource "aws_dynamodb_table" "services" {\n  name     = "services"\n  hash_key = "service"\n}\n'
    items = [
        f'resource "aws_dynamodb_table_item" "item{index}" {{\n'
        '  table_name = "services"\n'
        "  hash_key   = aws_dynamodb_table.services.hash_key\n"
        "  item = jsonencode({\n"
        f'    service = {{ S = "svc{index}" }}\n'
        + (f'    password = {{ S = "{secret}" }}\n' if index == 0 else "")
        + "  })\n}\n"
        for index in range(count)
    ]
    return "\n".join([table, *items])


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes and /dev/zero are POSIX")
@pytest.mark.parametrize("kind", ["named pipe", "symlink to /dev/zero"])
def test_a_pipe_or_device_named_like_a_tf_file_gets_its_finding_but_no_frame(tmp_path: Path, kind: str) -> None:
    good = tmp_path / "good"
    good.mkdir()
    (good / "main.tf").write_text(_items(1), encoding="utf-8")
    bad = tmp_path / "bad"
    bad.mkdir()
    if kind == "named pipe":
        os.mkfifo(bad / "main.tf")
    else:
        os.symlink("/dev/zero", bad / "main.tf")
    completed = run_cli(str(tmp_path), "--no-cache", "--format", "full", env={"COLUMNS": "120"}, timeout=CLI_TIMEOUT)
    out = completed.stdout
    bad_part, good_part = out.split("good/main.tf", 1)
    assert "bad/main.tf" in bad_part and "DDB000" in bad_part, out
    assert "not a regular file" in bad_part, out
    assert " | " not in bad_part, "no code frame for a file that is not a regular file"
    assert "\\x00" not in out and len(out) < 20_000, "nothing of /dev/zero is printed"
    assert "DDB025" in good_part and "DDB024" in good_part, out
    assert 'table_name = "services"' in good_part, "the regular file still gets its frame"
    assert SECRET not in out


def test_each_source_line_is_redacted_at_most_once_however_many_frames_show_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Redactor.source_line
    for count in (10, 80):
        source = tmp_path / f"items{count}" / "main.tf"
        source.parent.mkdir()
        source.write_text(_items(count), encoding="utf-8")
        result = lint([str(source.parent)], Settings(cache=False))
        redacted: list[int] = []

        def counting(
            redactor: Redactor, path: str, lines: Sequence[str], number: int, redacted: list[int] = redacted
        ) -> str:
            redacted.append(number)
            return real(redactor, path, lines, number)

        monkeypatch.setattr(Redactor, "source_line", counting)
        text = _report(result, 120)
        assert text.count("DDB025") >= count, "one frame per item"
        lines = len(source.read_text(encoding="utf-8").splitlines())
        assert len(redacted) <= lines + 5, f"{len(redacted)} redactions of a {lines}-line file with {count} frames"
        assert SECRET not in text and SECRET in source.read_text(encoding="utf-8")
