"""Module fan-out is counted, not built: millions of item instances cost well under a second and a few MB.

The count of a module call multiplies the counts inside it. Instances of a call
whose arguments do not read ``each`` or ``count`` are all the same module, so
one is expanded; a ``count``/``for_each`` that reads no variable is evaluated
once per module; and of a block's items only a sample is built once its total
is past what could be migrated. Each run is a fresh interpreter, measured from
inside (CPU time and peak memory of the whole process, import included).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.peak_memory import PEAK_KB_SOURCE
from tests.test_hostile import TABLE

CALLEE_ITEM = (
    'resource "aws_dynamodb_table_item" "i" {{\n  {meta}\n  table_name = aws_dynamodb_table.t.name\n'
    '  hash_key   = "id"\n  item       = jsonencode({{ id = {{ S = "{value}" }} }})\n}}\n'
)

SHAPES = {
    "count 2000 over count 2000": (
        "count  = 2000",
        "",
        "count = 2000",
        "x${count.index}",
        "4,000,000",
    ),
    "for_each 1000 over for_each 2000, each instance named": (
        'for_each = toset([for i in range(1000) : "m${i}"])',
        "name = each.key",
        'for_each = toset([for i in range(2000) : "k${i}"])',
        "${var.name}-${each.key}",
        "2,000,000",
    ),
    "for_each 1000 over for_each 2000 of a variable": (
        'for_each = toset([for i in range(1000) : "m${i}"])',
        'keys = [for i in range(2000) : "k${i}"]',
        "for_each = toset(var.keys)",
        "${each.key}",
        "2,000,000",
    ),
}

MEASURED = (
    PEAK_KB_SOURCE
    + """\
import json, resource, sys
from ddblint.api import lint
from ddblint.config.settings import Settings
result = lint([sys.argv[1]], Settings(cache=False))
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({
    "cpu": usage.ru_utime + usage.ru_stime,
    "peak_kb": peak_kb(),
    "findings": [[f.rule_id, f.message] for f in result.findings],
}))
"""
)


def fan_out(tmp_path: Path, shape: str) -> Path:
    call_meta, argument, item_meta, value, _ = SHAPES[shape]
    (tmp_path / "m").mkdir(parents=True)
    (tmp_path / "main.tf").write_text(f'module "m" {{\n  source = "./m"\n  {call_meta}\n  {argument}\n}}\n')
    variables = 'variable "name" {\n  default = ""\n}\nvariable "keys" {\n  default = []\n}\n'
    (tmp_path / "m" / "main.tf").write_text(variables + TABLE + CALLEE_ITEM.format(meta=item_meta, value=value))
    return tmp_path


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_module_fan_out_of_millions_of_items_is_counted_not_built(tmp_path: Path, shape: str) -> None:
    tree = fan_out(tmp_path / "tree", shape)
    done = subprocess.run([sys.executable, "-c", MEASURED, str(tree)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    measured = json.loads(done.stdout)
    expected = SHAPES[shape][-1]
    assert [rule for rule, _ in measured["findings"]] == ["DDB001"]
    assert f"writes {expected} items into" in measured["findings"][0][1]
    assert measured["cpu"] < 2.0, measured["cpu"]  # seconds: 27 s when every instance was built
    assert measured["peak_kb"] < 200 * 1024, measured["peak_kb"]  # 2.3 GB when every instance was built


def test_a_fanned_out_block_is_built_whole_up_to_what_can_be_migrated_and_sampled_past_it(tmp_path: Path) -> None:
    from ddblint.api import lint
    from ddblint.config.settings import Settings
    from ddblint.evaluate.expand import MAX_INSTANCES, SAMPLE_INSTANCES

    def built(tree: Path) -> tuple[int, int | None]:
        result = lint([str(tree)], Settings(cache=False), keep_analysis=True)
        assert result.analysis is not None
        (item_set,) = result.analysis.item_sets
        return len(item_set.instances), item_set.total.exact

    shape = "for_each 1000 over for_each 2000, each instance named"
    assert built(fan_out(tmp_path / "large", shape)) == (SAMPLE_INSTANCES, 2_000_000)
    small = fan_out(tmp_path / "small", shape)
    main_tf = small / "main.tf"
    main_tf.write_text(main_tf.read_text().replace("range(1000)", "range(10)"))
    assert built(small) == (20_000, 20_000) and MAX_INSTANCES == 20_000  # every item, as migrate needs them


def test_a_fan_out_whose_module_count_is_too_costly_is_unbounded_and_said(tmp_path: Path) -> None:
    from ddblint.api import lint
    from ddblint.config.settings import Settings

    (tmp_path / "m").mkdir()
    (tmp_path / "main.tf").write_text(
        'module "m" {\n  source   = "./m"\n'
        '  for_each = { for i in range(1000) : "m${i}" => [for j in range(2000) : "${i}-${j}"] }\n'
        "  keys     = each.value\n}\n"
    )
    item = CALLEE_ITEM.format(meta="for_each = toset(var.keys)", value="${each.key}")
    (tmp_path / "m" / "main.tf").write_text('variable "keys" {}\n' + TABLE + item)
    found = {f.rule_id: f.message for f in lint([str(tmp_path)], Settings(cache=False)).findings}
    assert sorted(found) == ["DDB000", "DDB003"]
    assert "): too costly to evaluate" in found["DDB003"]
