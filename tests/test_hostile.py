"""Input written to hurt: every case ends in a clear finding or message, quickly, never a crash or a hang."""

from __future__ import annotations

import functools
import gc
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ddblint.api import lint
from ddblint.cli import main
from ddblint.config.settings import Settings
from ddblint.evaluate.analysis import ItemSet
from ddblint.evaluate.values import Unknown
from ddblint.result import Result
from ddblint.untrusted.safe_yaml import UnsafeYaml, load_yaml

TABLE = """\
resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
"""


def item(name: str, meta: str) -> str:
    return (
        f'resource "aws_dynamodb_table_item" "{name}" {{\n  {meta}\n'
        '  table_name = aws_dynamodb_table.t.name\n  hash_key   = "id"\n'
        '  item       = jsonencode({ id = { S = "x" } })\n}\n'
    )


def module(root: Path, files: dict[str, str | bytes], name: str = "app") -> Path:
    directory = root / name
    directory.mkdir(parents=True, exist_ok=True)
    for file_name, content in files.items():
        target = directory / file_name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
    return directory


def run(path: Path, **settings: object) -> Result:
    started = time.monotonic()
    result = lint([str(path)], Settings(cache=False, **settings), keep_analysis=True)  # type: ignore[arg-type]
    assert time.monotonic() - started < 60
    assert not result.internal_errors, result.internal_errors
    return result


def messages(result: Result, rule: str) -> list[str]:
    return [f.message for f in result.findings if f.rule_id == rule]


def item_set(result: Result, name: str) -> ItemSet:
    assert result.analysis is not None
    return next(s for s in result.analysis.item_sets if s.resource.name == name)


DEPTH = 2000


def test_deeply_nested_expressions_and_blocks_end_in_findings(tmp_path: Path) -> None:
    blocks = "".join("dynamic {\n" for _ in range(DEPTH)) + "}\n" * DEPTH
    directory = module(
        tmp_path,
        {
            "main.tf": TABLE + item("tuple", "count = 1").replace('{ S = "x" }', "[" * DEPTH + "1" + "]" * DEPTH),
            "ops.tf": f"locals {{\n  sum = {'1 + ' * DEPTH}1\n  obj = {'{a = ' * DEPTH}1{'}' * DEPTH}\n}}\n",
            "blocks.tf": 'resource "aws_s3_bucket" "b" {\n' + blocks + "}\n",
            "deep.tf.json": '{"locals": {"deep": ' + "[" * DEPTH + "]" * DEPTH + "}}",
            "data.json": "[" * DEPTH + "]" * DEPTH,
            "data.tf": item("from_data", 'for_each = toset(jsondecode(file("${path.module}/data.json")))'),
        },
    )
    result = run(directory)
    assert [f.rule_id for f in result.findings] == ["DDB002"]  # all of it parses; only data.json is a finding
    assert item_set(result, "tuple").instances[0].value == Unknown("nests too deeply to evaluate")
    # Whether json decodes 2,000 levels depends on the Python version; either way the count is unknown.
    assert "nests too deeply" in item_set(result, "from_data").count.unknown
    assert run(directory, jobs=2).findings == result.findings  # deep results travel back from workers too


def test_nesting_past_what_the_parser_can_hold_is_a_finding(tmp_path: Path) -> None:
    directory = module(
        tmp_path,
        {"main.tf": TABLE + item("deep", "count = 1"), "deep.tf": f"locals {{\n  x = {'[' * 20000}{']' * 20000}\n}}\n"},
    )
    assert messages(run(directory), "DDB000") == ["expressions nest too deeply to analyse; skipped"]


def test_a_100_mb_file_is_skipped_with_a_finding_without_being_read(tmp_path: Path) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + item("one", "count = 1")})
    huge = directory / "generated.tf"
    with open(huge, "wb") as handle:
        handle.write(b'resource "aws_dynamodb_table_item" "x" {}\n')
        handle.truncate(100 * 1024 * 1024)
    result = run(directory)
    assert messages(result, "DDB000") == ["file is larger than the 5,242,880-byte limit (max-file-size); skipped"]
    assert result.findings[0].span.path == str(huge)


def test_the_size_limit_is_configurable(tmp_path: Path) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + item("one", "count = 50")})
    assert messages(run(directory, max_file_size=100), "DDB000") == [
        "file is larger than the 100-byte limit (max-file-size); skipped"
    ]
    assert messages(run(directory), "DDB000") == []


def test_an_oversized_file_in_an_otherwise_irrelevant_module_is_still_reported(tmp_path: Path) -> None:
    """The prefilter cannot see past the limit, so it does not call such a module irrelevant."""
    directory = module(tmp_path, {"main.tf": "# " + "x" * 300 + "\n" + item("late", "count = 2")})
    assert len(messages(run(directory, max_file_size=200), "DDB000")) == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'resource "aws_dynamodb_table_item" "x" {}\n\x00\x01\x02\xff', "binary file (contains NUL bytes)"),
        (bytes(range(256)) * 4 + b"aws_dynamodb_table_item", "binary file (contains NUL bytes)"),
        (b'# aws_dynamodb_table_item\nlocals {\n  name = "caf\xe9"\n}\n', "not UTF-8 text (byte 0xe9)"),
        (b"\xef\xbb\xbf# aws_dynamodb_table_item\n" + b"\xc3\x28" * 3, "not UTF-8 text (byte 0xc3)"),
    ],
)
def test_binary_and_non_utf8_files_are_findings(tmp_path: Path, content: bytes, expected: str) -> None:
    result = run(module(tmp_path, {"main.tf": content}))
    assert len(messages(result, "DDB000")) == 1
    assert expected in messages(result, "DDB000")[0]


def test_a_non_utf8_file_is_located_to_its_line(tmp_path: Path) -> None:
    result = run(module(tmp_path, {"main.tf": b'# aws_dynamodb_table_item\nlocals {\n  name = "caf\xe9"\n}\n'}))
    finding = result.findings[0]
    assert (finding.span.line, finding.span.column) == (3, 14)


def test_symlink_loops_are_walked_once(tmp_path: Path) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + item("listed", 'for_each = fileset(path.module, "**/*.json")')})
    (directory / "data").mkdir()
    (directory / "data" / "a.json").write_text("{}")
    os.symlink("..", directory / "data" / "up")
    os.symlink("..", directory / "data" / "again")
    os.symlink(directory, tmp_path / "app-link")
    result = run(tmp_path)
    assert result.modules_seen == 1
    assert item_set(result, "listed").count.exact == 1  # data/a.json, not one per way round the loops


def test_symlinks_out_of_the_scanned_directory_are_not_followed(tmp_path: Path) -> None:
    elsewhere = module(tmp_path, {"main.tf": TABLE + item("outside", "count = 500")}, "elsewhere")
    scanned = tmp_path / "scanned"
    inside = module(scanned, {"main.tf": TABLE + item("inside", "count = 1")})
    os.symlink(elsewhere, scanned / "linked-module")
    os.symlink(elsewhere / "main.tf", inside / "linked.tf")
    result = run(scanned)
    assert result.findings == []
    assert result.modules_seen == 1


def test_file_and_templatefile_outside_the_scanned_directory_are_unknown(tmp_path: Path) -> None:
    (tmp_path / "users.json").write_text(json.dumps([f"u{i}" for i in range(500)]))
    scanned = tmp_path / "repo"
    directory = module(
        scanned,
        {
            "main.tf": TABLE
            + item("relative", 'for_each = toset(jsondecode(file("../../users.json")))')
            + item("absolute", f'for_each = toset(jsondecode(templatefile("{tmp_path / "users.json"}", {{}})))'),
        },
    )
    result = run(directory.parent)
    assert not any("500" in f.message for f in result.findings)
    for name in ("relative", "absolute"):
        counted = item_set(result, name).count
        assert counted.exact is None and "is outside the scanned directory" in counted.unknown


def test_huge_ranges_and_maps_are_sized_not_built(tmp_path: Path) -> None:
    directory = module(
        tmp_path,
        {
            "main.tf": TABLE
            + item("trillion", "count = length(range(1e12))")
            + item("million", 'for_each = { for i in range(1000000) : "k${i}" => i }')
            + item("merged", "for_each = merge({ for i in range(200000) : tostring(i) => i }, { extra = 1 })"),
        },
    )
    result = run(directory)
    assert item_set(result, "trillion").count.exact == 10**12
    assert item_set(result, "million").count.exact == 10**6
    assert item_set(result, "merged").count.exact is None  # not built: unknown, and not a guess
    assert "1,000,000,000,000" in messages(result, "DDB001")[0]


def test_strings_blown_up_by_format_or_templates_are_cut_off(tmp_path: Path) -> None:
    copies = (
        'locals {\n  big = file("${path.module}/big.txt")\n  copies = [for i in range(1000) : "${local.big}${i}"]\n}\n'
    )
    directory = module(
        tmp_path,
        {
            "main.tf": TABLE
            + item("wide", "count = 1").replace('{ S = "x" }', '{ S = format("%0999999999d", 1) }')
            + copies
            + item("copies", "for_each = toset(local.copies)"),
            "big.txt": "x" * 1_000_000,  # a thousand copies would be a gigabyte
        },
    )
    started = time.monotonic()
    result = run(directory)
    assert time.monotonic() - started < 30
    wide = item_set(result, "wide").instances[0].value
    assert wide == Unknown("format(): a width of 999,999,999 is too large to evaluate")
    assert "string budget exceeded" in item_set(result, "copies").count.unknown


def test_a_regular_expression_python_would_backtrack_on_runs_on_re2(tmp_path: Path) -> None:
    evil = 'replace("${join("", [for i in range(40) : "a"])}!", "/(a+)+$/", "")'
    directory = module(
        tmp_path, {"main.tf": TABLE + item("evil", "count = 1").replace('{ S = "x" }', f"{{ S = {evil} }}")}
    )
    started = time.monotonic()
    value = item_set(run(directory), "evil").instances[0].value
    assert time.monotonic() - started < 30
    assert value == {"id": {"S": "a" * 40 + "!"}}  # no match, as in Terraform: the text is unchanged


def test_deduplicating_a_large_list_is_not_quadratic(tmp_path: Path) -> None:
    directory = module(
        tmp_path,
        {
            "main.tf": TABLE
            + item("distinct", "for_each = toset(distinct([for i in range(99999) : tostring(i % 50000)]))")
            + item("set", "for_each = toset([for i in range(99999) : tostring(i)])"),
        },
    )
    started = time.monotonic()
    result = run(directory)
    assert time.monotonic() - started < 20
    assert item_set(result, "distinct").count.exact == 50000
    assert item_set(result, "set").count.exact == 99999


def test_locals_in_a_cycle_are_unknown(tmp_path: Path) -> None:
    directory = module(
        tmp_path,
        {"main.tf": TABLE + "locals {\n  a = local.b\n  b = local.a\n}\n" + item("ring", "for_each = local.a")},
    )
    counted = item_set(run(directory), "ring").count
    assert counted.exact is None and "cycle (local.a -> local.b -> local.a)" in counted.unknown


def test_a_module_that_calls_itself_is_linted_and_reported(tmp_path: Path) -> None:
    directory = module(
        tmp_path, {"main.tf": TABLE + item("many", "count = 50") + 'module "again" {\n  source = "./"\n}\n'}
    )
    result = run(directory)
    assert messages(result, "DDB000") == ["module.again calls itself (. -> .); not followed"]
    assert len(messages(result, "DDB001")) == 1  # the module is not skipped as someone's callee


def test_modules_that_call_each_other_are_linted_once(tmp_path: Path) -> None:
    module(tmp_path, {"main.tf": TABLE + item("a", "count = 50") + 'module "b" {\n  source = "../b"\n}\n'}, "a")
    module(tmp_path, {"main.tf": 'module "a" {\n  source = "../a"\n}\n'}, "b")
    result = run(tmp_path)
    assert len(messages(result, "DDB001")) == 1
    assert any("calls itself" in m for m in messages(result, "DDB000"))


LINES = "".join(f'  v{i} = ["a", "b", {{ k = {i} }}]\n' for i in range(20000))


def stalling_parser(monkeypatch: pytest.MonkeyPatch, stall: Callable[[], None]) -> None:
    """Lark never ends on a file that says ``# stall`` (the fast parser leaves it to Lark): only the
    parse-timeout can stop it. Forked parser workers inherit the patch, so ``--jobs 2`` meets it too.
    """
    from ddblint.parse import file

    fast, lark = file.parse_subset, file.parse_body_with_lark

    def parse_subset(text: str) -> Any:
        return None if "# stall" in text else fast(text)

    def parse_body_with_lark(text: str) -> Any:
        if "# stall" in text:
            stall()
        return lark(text)

    monkeypatch.setattr(file, "parse_subset", parse_subset)
    monkeypatch.setattr(file, "parse_body_with_lark", parse_body_with_lark)


def forever() -> None:
    while True:
        time.sleep(0.001)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_the_parser_takes_long_on_is_cut_off(
    tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    stalling_parser(monkeypatch, forever)
    directory = module(tmp_path, {"main.tf": TABLE + item("one", "count = 1"), "slow.tf": "# stall\n"})
    result = run(directory, parse_time_budget=0.2, jobs=jobs)
    assert messages(result, "DDB000") == ["parsing took longer than 0.2s (parse-timeout); skipped"]
    assert result.findings[0].span.path.endswith("slow.tf")
    assert "Exception ignored" not in capfd.readouterr().err


class _SlowFinaliser:
    """Garbage whose finaliser outlasts the parse-timeout: the alarm lands inside it."""

    def __init__(self) -> None:
        self.cycle = self

    def __del__(self) -> None:
        time.sleep(0.3)


def test_a_parse_timeout_landing_in_a_finaliser_is_not_lost_and_prints_nothing(
    capfd: pytest.CaptureFixture[str],
) -> None:
    from ddblint.parse.file import TimeoutProblem, parse_text

    def collect_then_stall() -> None:
        _SlowFinaliser()
        gc.collect()  # the finaliser runs inside a collection, past the budget
        _SlowFinaliser().cycle = None  # and once more by reference counting
        forever()

    ignored: list[object] = []  # what Python would print as "Exception ignored in ..."
    with pytest.MonkeyPatch.context() as patch:
        stalling_parser(patch, collect_then_stall)
        patch.setattr(sys, "unraisablehook", ignored.append)
        parsed = parse_text("slow.tf", "# stall\n", time_budget=0.1)
    assert isinstance(parsed.problem, TimeoutProblem)
    assert ignored == []
    assert "Exception ignored" not in capfd.readouterr().err


def test_the_parse_timeout_leaves_no_alarm_behind() -> None:
    from ddblint.parse.file import parse_text

    before = signal.getsignal(signal.SIGALRM)
    assert parse_text("main.tf", "locals {\n  a = 1\n}\n", time_budget=0.05).problem is None
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before
    time.sleep(0.2)  # an alarm left running would interrupt this


def test_the_fast_parser_is_cut_off_too() -> None:
    from ddblint.parse.file import parse_text

    parsed = parse_text("main.tf", "locals {\n" + LINES * 3 + "}\n", time_budget=0.01)
    assert parsed.problem is not None and "parse-timeout" in parsed.problem.message


def test_building_the_parser_does_not_count_against_the_first_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from ddblint.parse import compat
    from ddblint.parse.file import parse_text

    real = compat.hcl2_parser.__wrapped__

    def slow_build() -> object:
        time.sleep(0.3)
        return real()

    monkeypatch.setattr(compat, "hcl2_parser", functools.lru_cache(maxsize=1)(slow_build))
    monkeypatch.setattr("ddblint.parse.file.hcl2_parser", compat.hcl2_parser)
    monkeypatch.setattr("ddblint.parse.hcl._parser", lambda: compat.hcl2_parser())
    # a splat: the fast parser leaves it to Lark, which is built first
    assert parse_text("main.tf", "locals {\n  a = b.*.c\n}\n", time_budget=0.2).problem is None


BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_a_yaml_bomb_is_refused() -> None:
    started = time.monotonic()
    with pytest.raises(UnsafeYaml, match="YAML bomb") as refused:
        load_yaml(BOMB)
    assert time.monotonic() - started < 5
    assert refused.value.line > 1


def test_a_config_holding_a_yaml_bomb_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".ddblint.yaml").write_text(BOMB)
    module(tmp_path, {"main.tf": TABLE})
    with pytest.raises(SystemExit) as stopped:
        main([str(tmp_path), "--no-cache"])
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert ".ddblint.yaml" in err and "YAML bomb" in err and "Traceback" not in err


def test_a_yaml_bomb_read_by_yamldecode_is_unknown(tmp_path: Path) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + item("y", 'for_each = yamldecode(file("${path.module}/b.yaml"))')})
    (directory / "b.yaml").write_text(BOMB)
    assert "YAML bomb" in item_set(run(directory), "y").count.unknown


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_files_and_directories_by_mode(tmp_path: Path) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + item("one", "count = 1")})
    locked = module(tmp_path, {"main.tf": TABLE}, "locked")
    (directory / "main.tf").chmod(0)
    locked.chmod(0)
    try:
        problems = messages(run(tmp_path), "DDB000")
    finally:
        (directory / "main.tf").chmod(0o644)
        locked.chmod(0o755)
    assert any("cannot read file" in p for p in problems) and any("cannot read directory" in p for p in problems)


def test_unreadable_files_and_directories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root can read anything, so the refusal is simulated where the operating system would give it."""
    module(tmp_path, {"main.tf": TABLE + item("one", "count = 1"), "secret.tf": "# aws_dynamodb_table_item"})
    locked = module(tmp_path, {"main.tf": TABLE}, "locked")
    real_open, real_scandir = os.open, os.scandir

    def guarded_open(path: str, flags: int, *args: int, **kwargs: int) -> int:
        if str(path).endswith("secret.tf"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    def guarded_scandir(path: object) -> object:
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(os, "scandir", guarded_scandir)
    problems = messages(run(tmp_path), "DDB000")
    assert "cannot read file: Permission denied" in problems
    assert "cannot read directory: Permission denied" in problems


def test_a_named_pipe_is_not_opened(tmp_path: Path) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + item("one", "count = 50")})
    os.mkfifo(directory / "pipe.tf")
    os.mkfifo(directory / "terraform.tfvars")
    result = run(directory)
    assert len(messages(result, "DDB001")) == 1
    assert messages(result, "DDB000") == ["not a regular file (a named pipe, socket or device); not read"] * 2


def test_a_path_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ddblint", str(tmp_path / "missing")], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr == f"ddblint: error: {tmp_path / 'missing'}: no such file or directory\n"
