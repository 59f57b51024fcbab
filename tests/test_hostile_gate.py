"""Files written to slip 5,000 items past the gate, and Terraform's own conversions.

Terraform decodes escapes in labels and JSON keys, keeps every repeated key of
a ``.tf.json`` object, and accepts arrays of objects wherever a block or a
level of labels goes; so must the byte prefilter and the JSON reader, or the
items are never seen and the run exits 0.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from ddblint.discover.files import discover
from ddblint.discover.scan import scan_file
from tests.conftest import PROJECT
from tests.plans_module import plans_tf
from tests.test_hostile import TABLE, item, item_set, messages, module, run
from tests.test_hostile_evaluation import count_of

BODY = {"count": 5000, "table_name": "t", "hash_key": "id", "item": '{"id": {"S": "a"}}'}
HCL_BODY = '  count = 5000\n  table_name = "t"\n  hash_key = "id"\n  item = jsonencode({ id = { S = "a" } })\n'


def found_5000(directory: Path) -> bool:
    return any("5,000 items" in message for message in messages(run(directory), "DDB001"))


@pytest.mark.parametrize("label", ["aws_dynamodb_table_\\u0069tem", "aws_dynamodb_table_\\U00000069tem"])
def test_escapes_in_hcl_labels_do_not_fool_the_prefilter(tmp_path: Path, label: str) -> None:
    directory = module(tmp_path, {"main.tf": f'resource "{label}" "x" {{\n{HCL_BODY}}}\n'})
    assert found_5000(directory)


def test_escapes_in_tf_json_keys_do_not_fool_the_prefilter(tmp_path: Path) -> None:
    text = '{"resource": {"aws_dynamodb_table_\\u0069tem": {"x": ' + json.dumps(BODY) + "}}}"
    assert found_5000(module(tmp_path, {"main.tf.json": text}))


def test_repeated_resource_keys_in_tf_json_are_all_kept(tmp_path: Path) -> None:
    items = json.dumps({"aws_dynamodb_table_item": {"x": BODY}})
    text = '{"resource": ' + items + ', "resource": {"aws_s3_bucket": {"b": {}}}}'
    assert found_5000(module(tmp_path, {"main.tf.json": text}))


@pytest.mark.parametrize(
    "document",
    [
        {"resource": [{"aws_dynamodb_table_item": {"x": BODY}}]},
        {"resource": {"aws_dynamodb_table_item": [{"x": BODY}]}},
        {"resource": {"aws_dynamodb_table_item": {"x": [BODY]}}},
    ],
)
def test_arrays_at_block_and_label_level_in_tf_json(tmp_path: Path, document: dict[str, object]) -> None:
    assert found_5000(module(tmp_path, {"main.tf.json": json.dumps(document)}))


def test_an_escaped_local_module_source_in_tf_json_is_followed(tmp_path: Path) -> None:
    module(tmp_path, {"main.tf": f'resource "aws_dynamodb_table_item" "x" {{\n{HCL_BODY}}}\n'}, "app/mod")
    directory = module(tmp_path, {"main.tf.json": '{"module": {"m": {"source": ".\\/mod"}}}'})
    assert scan_file(b'{"source": ".\\/mod"}').sources == ("./mod",)
    assert found_5000(directory)


def test_a_count_given_as_a_string_default_counts_as_terraform_converts_it(tmp_path: Path) -> None:
    variable = 'variable "n" {\n  default = "500"\n}\n'
    result = run(module(tmp_path, {"main.tf": TABLE + variable + item("x", "count = var.n")}))
    assert item_set(result, "x").count.exact == 500
    assert any("500 items" in m for m in messages(result, "DDB001"))


def test_an_empty_fileset_does_not_say_it_takes_0_items(tmp_path: Path) -> None:
    count = count_of(tmp_path, 'for_each = fileset(path.module, "data/*.json")')
    assert count.exact == 0
    result = run(tmp_path / "app")
    assert messages(result, "DDB002") and not any("0 items" in m for m in messages(result, "DDB002"))


def test_file_names_like_options_after_the_hooks_double_dash_are_paths(tmp_path: Path) -> None:
    """pre-commit appends committed file names to the hook's ``--``; one named like an option is linted, not obeyed."""
    from ddblint.cli import main

    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["args"] == ["--"]
    victim = tmp_path / "main.tf"
    victim.write_text(plans_tf(count=40), encoding="utf-8")
    option_named = tmp_path / "--write-baseline=main.tf"
    option_named.write_text("", encoding="utf-8")
    before = victim.read_bytes()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with pytest.raises(SystemExit) as exit_info:
            main(["--", option_named.name, victim.name])
    finally:
        os.chdir(cwd)
    assert exit_info.value.code == 1  # main.tf's 40 items are reported
    assert victim.read_bytes() == before


def test_a_scan_rooted_at_the_filesystem_root_still_finds_modules(tmp_path: Path) -> None:
    module_dir = tmp_path / "x"
    module_dir.mkdir()
    (module_dir / "main.tf").write_text(plans_tf(count=40), encoding="utf-8")
    assert os.path.realpath(module_dir) in discover([str(module_dir)], root=os.sep).modules


def test_a_resource_with_the_wrong_number_of_labels_is_a_finding_and_hides_nothing(tmp_path: Path) -> None:
    directory = module(
        tmp_path,
        {
            "main.tf": 'resource "aws_dynamodb_table_item" {\n  count = 500\n}\n'
            'resource "aws_dynamodb_table_item" "a" "b" {\n}\n' + TABLE + item("seeds", "count = 50"),
        },
    )
    result = run(directory)
    assert messages(result, "DDB000") == [
        "a `resource` block takes type and name as labels; this one has 1 label",
        "a `resource` block takes type and name as labels; this one has 3 labels",
    ]
    assert "DDB001" in {f.rule_id for f in result.findings}


def test_a_fan_out_too_costly_to_evaluate_is_unbounded_not_silent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A module fanned out over many instances of many items runs the run's budget out part-way; it still gates."""
    from ddblint.evaluate import budget

    monkeypatch.setattr(budget, "CHARACTER_BUDGET", 20_000)
    (tmp_path / "app" / "m").mkdir(parents=True)
    directory = module(
        tmp_path,
        {
            "main.tf": 'module "m" {\n  source   = "./m"\n  for_each = { for i in range(100) : "a${i}" => i }\n'
            "  x        = each.key\n}\n",
            "m/main.tf": 'variable "x" {}\nresource "aws_dynamodb_table_item" "i" {\n'
            '  for_each   = { for i in range(200) : "${var.x}-${i}" => i }\n  table_name = "t"\n  hash_key   = "pk"\n'
            '  item       = jsonencode({ pk = { S = "${var.x}-${each.key}" } })\n}\n',
        },
    )
    found = {f.rule_id: f.message for f in run(directory, jobs=1).findings}
    assert sorted(found) == ["DDB000", "DDB003"]
    assert "too costly to evaluate" in found["DDB003"]
    assert "too costly to evaluate in this root module" in found["DDB000"]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("items.tf", 'resource "aws_dynamodb_table_item" "a" {\n' + HCL_BODY + "  item = jsonencode({})\n}\n"),
        (
            "items.tf.json",
            '{"resource": {"aws_dynamodb_table_item": {"a": {"count": 5000, "item": "{}",\n "item": "{}"}}}}',
        ),
    ],
)
def test_an_argument_set_twice_is_a_finding_not_the_last_one_kept(tmp_path: Path, name: str, text: str) -> None:
    """Terraform refuses a block that sets an argument twice; keeping the last would judge another item."""
    directory = module(tmp_path, {name: text, "main.tf": TABLE + item("seeds", "count = 50")})
    result = run(directory)
    [problem] = messages(result, "DDB000")
    assert problem.startswith('syntax error: the argument "item" is set again here; it was set at line ')
    assert "DDB001" in {f.rule_id for f in result.findings}, "the other file's findings are still out"


def test_a_tf_json_comment_holding_a_key_does_not_move_the_attribute_after_it(tmp_path: Path) -> None:
    """Positions follow the JSON structure: an "item" inside a "//" comment is not the item attribute."""
    from ddblint.parse.file import parse_file

    path = tmp_path / "items.tf.json"
    path.write_text(
        '{"resource": {"aws_dynamodb_table_item": {"a": {"//": {"item": "see below"},\n'
        '  "table_name": "t",\n  "item": "{\\"id\\": {\\"S\\": \\"a\\"}}"\n}}}}\n'
    )
    [block] = parse_file(str(path)).blocks
    assert (block.attributes["table_name"].position.line, block.attributes["item"].position.line) == (2, 3)


def test_tf_json_block_arrays_place_each_entry_at_its_key(tmp_path: Path) -> None:
    """cdktf writes nested blocks as arrays: the key is written once for all its entries."""
    from ddblint.parse.file import parse_file

    path = tmp_path / "tables.tf.json"
    table = {"name": "t", "hash_key": "id", "attribute": [{"name": "id", "type": "S"}, {"name": "sk", "type": "S"}]}
    path.write_text(json.dumps({"resource": {"aws_dynamodb_table": {"t": table}}}, indent=2))
    [block] = parse_file(str(path)).blocks
    key_line = path.read_text().splitlines().index('        "attribute": [') + 1
    assert [nested.position.line for nested in block.blocks] == [key_line, key_line]
