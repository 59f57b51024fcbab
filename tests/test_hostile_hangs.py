"""Input written to hang a run or exhaust its memory: each finishes quickly, in bounded memory.

Patterns from the scanned code run on RE2 (linear time, as in Terraform);
budgets are shared by the whole run (tests/test_run_budget.py); named pipes
and devices are never read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ddblint.cli import main
from ddblint.evaluate.secret_values import classify
from ddblint.evaluate.values import Unknown
from ddblint.state.read import read_state
from tests.peak_memory import PEAK_KB_SOURCE
from tests.test_hostile import TABLE, item, item_set, module, run
from tests.test_hostile_evaluation import count_of, value_of

FAST = 10.0  # seconds; each case took minutes or for ever before


def quickly(started: float) -> bool:
    return time.monotonic() - started < FAST


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("/^(a|a)*$/", "a" * 40 + "!", "a" * 40 + "!"),
        ("/" + "a?" * 34 + "a" * 34 + "/", "a" * 34, "x"),
        ("/a*a*a*a*a*a*b/", "a" * 5000, "a" * 5000),
    ],
)
def test_regexes_python_backtracks_on_run_in_linear_time(
    tmp_path: Path, pattern: str, text: str, expected: str
) -> None:
    started = time.monotonic()
    assert value_of(tmp_path, f'replace("{text}", "{pattern}", "x")') == expected
    assert quickly(started)


def test_format_widths_of_50000_digits_are_unknown(tmp_path: Path) -> None:
    started = time.monotonic()
    value = value_of(tmp_path, f'format("%{"0" * 50_000}5d", 1)')
    assert value == "00001"  # flags given 50,000 times are one flag
    value = value_of(tmp_path / "wide", f'format("%{"9" * 50_000}d", 1)')
    assert isinstance(value, Unknown) and "too large" in value.reason
    assert quickly(started)


def test_the_secret_scanners_url_pattern_on_200000_characters() -> None:
    started = time.monotonic()
    assert classify("note", "x://" + "a" * 200_000) is None
    assert classify("url", "postgres://admin:s3cretValue@db") == ("a password inside a URL", "s3cretValue")
    assert quickly(started)


def test_fileset_globs_with_many_stars_against_long_names(tmp_path: Path) -> None:
    files = {"a" * 200 + str(n): "" for n in range(50)}
    started = time.monotonic()
    count = count_of(tmp_path, f'for_each = fileset(path.module, "{"*a" * 60}b")', files)
    assert count.exact == 0 and quickly(started)


def test_the_pyproject_line_finder_on_a_line_of_5000_spaces(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + item("x", "count = 50")})
    (directory / "pyproject.toml").write_text("[tool.ddblint]\nfail-on = 'never'\n[" + " " * 5000 + "x\n")
    started = time.monotonic()
    with pytest.raises(SystemExit) as stopped:
        main([str(directory), "--no-cache"])
    assert stopped.value.code == 2 and "invalid TOML" in capsys.readouterr().err
    assert quickly(started)


@pytest.mark.parametrize("double", ["flatten([local.a{n}, local.a{n}])", "concat(local.a{n}, local.a{n})"])
def test_locals_doubling_40_times_are_unknown(tmp_path: Path, double: str) -> None:
    steps = "".join(f"  a{n + 1} = {double.format(n=n)}\n" for n in range(40))
    shared = "".join(f"  b{n + 1} = [local.b{n}, local.b{n}]\n" for n in range(40))  # cheap to build, huge to copy
    local = f'locals {{\n  a0 = ["x"]\n  b0 = ["x"]\n{steps}{shared}}}\n'
    started = time.monotonic()
    assert isinstance(value_of(tmp_path, "tostring(length(local.a40))", {"l.tf": local}), Unknown)
    assert isinstance(value_of(tmp_path / "json", "jsonencode(local.b40)", {"l.tf": local}), Unknown)
    assert quickly(started)


def test_file_of_a_named_pipe_is_never_opened(tmp_path: Path) -> None:
    directory = module(tmp_path, {})
    os.mkfifo(directory / "pipe.txt")
    started = time.monotonic()
    value = value_of(tmp_path, 'file("pipe.txt")')
    assert isinstance(value, Unknown) and "not a regular file" in value.reason
    assert quickly(started)


def test_a_baseline_that_is_dev_zero_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + item("x", "count = 50")})
    started = time.monotonic()
    with pytest.raises(SystemExit) as stopped:
        main([str(directory), "--no-cache", "--baseline", "/dev/zero"])
    assert stopped.value.code == 2 and "not a regular file" in capsys.readouterr().err
    assert quickly(started)


def test_the_character_budget_is_shared_by_the_whole_root_not_per_item(tmp_path: Path) -> None:
    """Each item copies a 4 MB file: fifteen copies are more than a run may build (50 million characters)."""
    items = "".join(item(f"copy{n}", "count = 1").replace('{ S = "x" }', '{ S = file("big.txt") }') for n in range(15))
    result = run(module(tmp_path, {"main.tf": TABLE + items, "big.txt": "y" * 4_000_000}))
    values = [item_set(result, f"copy{n}").instances[0].value for n in range(15)]
    built = [v for v in values if not isinstance(v, Unknown)]
    assert 0 < len(built) < 15  # each item builds its copy three times over: file(), jsonencode, the item
    assert all(isinstance(v, Unknown) and "budget" in v.reason for v in values[len(built) :])


def test_a_5_mb_heredoc_parses_in_bounded_memory(tmp_path: Path) -> None:
    body = ("x" * 79 + "\n") * (5 * 1024 * 1024 // 80 - 10)
    source = tmp_path / "heredoc.tf"
    source.write_text(f"locals {{\n  text = <<EOT\n{body}EOT\n}}\n")
    script = PEAK_KB_SOURCE + (
        "import sys\n"
        "from ddblint.parse.file import parse_file\n"
        "parsed = parse_file(sys.argv[1], 6 * 1024 * 1024, 60)\n"
        "assert parsed.problem is None, parsed.problem\n"
        "print(peak_kb())\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(source)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) < 400 * 1024  # kilobytes; the character-at-a-time lexer took 1.1 GB


@pytest.mark.parametrize("layout", ["state", "show"])
def test_ddblint_state_is_linear_in_item_resources(tmp_path: Path, layout: str) -> None:
    resources = [
        {
            "mode": "managed",
            "type": "aws_dynamodb_table_item",
            "name": f"i{n}",
            "address": f"aws_dynamodb_table_item.i{n}",
            "instances": [{"attributes": {"table_name": "t", "item": "{}"}}],
            "values": {"table_name": "t", "item": "{}"},
        }
        for n in range(10_000)
    ]
    if layout == "state":
        document: dict[str, object] = {"version": 4, "resources": resources}
    else:
        document = {"format_version": "1.0", "values": {"root_module": {"resources": resources}}}
    path = tmp_path / "state.json"
    path.write_text(json.dumps(document, indent=2))
    started = time.monotonic()
    usage = read_state(str(path))
    assert quickly(started)
    assert sum(r.instances for t in usage.tables for r in t.resources) == 10_000


def test_a_heredoc_holding_a_long_run_of_spaces_parses(tmp_path: Path) -> None:
    """The heredoc body was cut by a pattern that retried a run of spaces at each of its positions."""
    note = "locals {\n  note = <<EOT\nBearer" + " " * 200_000 + "\nEOT\n}\n"
    directory = module(tmp_path, {"main.tf": note + TABLE + item("seeds", "count = 1")})
    started = time.monotonic()
    result = run(directory)
    assert quickly(started)
    assert not [f for f in result.findings if f.rule_id == "DDB000"] and item_set(result, "seeds")


@pytest.mark.parametrize("text", ["Bearer " * 150_000, ";password=" * 100_000, "xoxb-1-" * 150_000, "ghp_" * 250_000])
def test_the_token_shapes_on_a_million_characters(text: str) -> None:
    started = time.monotonic()
    classify("notes", text)
    assert quickly(started)


def test_tf_json_with_20000_block_array_entries_is_placed_in_linear_time(tmp_path: Path) -> None:
    entries = [{"name": f"a{n}", "type": "S"} for n in range(20_000)]
    table = {"name": "t", "hash_key": "a0", "attribute": entries}
    tables = json.dumps({"resource": {"aws_dynamodb_table": {"t": table}}})
    directory = module(tmp_path, {"tables.tf.json": tables, "items.tf": item("seeds", "count = 1")})
    started = time.monotonic()
    result = run(directory)
    assert quickly(started)
    assert not [f for f in result.findings if f.rule_id == "DDB000"] and item_set(result, "seeds").table
