"""Parsing HCL and Terraform JSON into ddblint's syntax tree, and grouping files into modules."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ddblint.discover.files import discover
from ddblint.discover.prefilter import relevant_modules
from ddblint.discover.scan import scan_bytes
from ddblint.parse.file import parse_file, parse_text
from ddblint.parse.hcl import parse_body, template_from_text
from ddblint.parse.syntax import BinaryOp, Directive, GetAttr, Literal, Reference, Template
from ddblint.parse.tfjson import json_prefix


def test_blocks_keep_labels_positions_and_source_text() -> None:
    blocks, _ = parse_body('\n\nresource "aws_dynamodb_table_item" "x" {\n  count = 2 + 3\n}\n')
    (block,) = blocks
    assert (block.type, block.labels) == ("resource", ("aws_dynamodb_table_item", "x"))
    assert (block.position.line, block.position.end_line) == (3, 5)
    count = block.attributes["count"]
    assert count.source == "2 + 3" and count.position.line == 4
    assert count.expr == BinaryOp("+", Literal(2), Literal(3))


def test_strings_unescape_and_keep_interpolations() -> None:
    _, attributes = parse_body('a = "tab\\tquote\\" $${literal} ${var.x}"\n')
    expr = attributes["a"].expr
    assert isinstance(expr, Template)
    assert expr.parts[0] == 'tab\tquote" ${literal} '
    assert expr.parts[1] == GetAttr(Reference("var"), "x")


def test_indented_heredoc_strips_common_indentation() -> None:
    _, attributes = parse_body("a = <<-EOT\n    one\n      two\n    EOT\n")
    assert attributes["a"].expr == Literal("one\n  two\n")


def test_template_directives_are_kept_as_unknown_parts() -> None:
    expr = template_from_text("%{ if true }x%{ endif }")
    assert isinstance(expr, Template) and Directive("if true") in expr.parts


def test_comments_mentioning_ddblint_are_collected_for_suppressions(tmp_path: Path) -> None:
    text = "# ddblint:ignore DDB001 -- seed\n// ddblint:ignore-file DDB010\nx = 1 /* ddblint:ignore DDB002 */\n"
    parsed = parse_text(str(tmp_path / "a.tf"), text)
    assert [line for line, _ in parsed.directives] == [1, 2, 3]


def test_tf_json_maps_onto_the_same_blocks(tmp_path: Path) -> None:
    path = tmp_path / "main.tf.json"
    path.write_text(
        '{\n "resource": {\n  "aws_dynamodb_table_item": {\n   "x": {\n    "count": 3,\n'
        '    "table_name": "${aws_dynamodb_table.t.name}",\n    "lifecycle": {"ignore_changes": ["item"]}\n'
        "   }\n  }\n },\n"
        ' "locals": {"n": "${1 + 1}"}\n}\n'
    )
    parsed = parse_file(str(path))
    assert parsed.problem is None
    resource, local_block = parsed.blocks
    assert resource.labels == ("aws_dynamodb_table_item", "x") and resource.position.line == 4
    assert resource.attributes["count"].expr == Literal(3)
    assert isinstance(resource.attributes["table_name"].expr, GetAttr)
    assert resource.blocks[0].type == "lifecycle"
    assert local_block.attributes["n"].expr == BinaryOp("+", Literal(1), Literal(1))


def test_parse_problems_are_values_with_lines(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tf"
    broken.write_text('a = 1\nb = "unterminated\n')
    problem = parse_file(str(broken)).problem
    assert problem is not None and problem.line == 2 and "syntax error" in problem.message
    binary = tmp_path / "binary.tf"
    binary.write_bytes(b"a = 1\n\x00\x01\x02")
    assert "binary" in (parse_file(str(binary)).problem or problem).message
    latin = tmp_path / "latin.tf"
    latin.write_bytes(b'a = 1\nb = "caf\xe9"\n')
    latin_problem = parse_file(str(latin)).problem
    assert latin_problem is not None and latin_problem.line == 2 and "UTF-8" in latin_problem.message
    empty = tmp_path / "empty.tf"
    empty.write_text("")
    assert parse_file(str(empty)).problem is None
    large = tmp_path / "large.tf"
    large.write_text("a = 1\n" * 1000)
    assert "larger than" in (parse_file(str(large), max_bytes=100).problem or problem).message
    deep = tmp_path / "deep.tf"
    deep.write_text("a = " + "[" * 2000 + "]" * 2000 + "\n")
    assert parse_file(str(deep)).problem is None  # legal HCL, parsed
    deeper = tmp_path / "deeper.tf"
    deeper.write_text("a = " + "[" * 10000 + "]" * 10000 + "\n")
    deeper_problem = parse_file(str(deeper)).problem
    assert deeper_problem is not None and "nest too deeply" in deeper_problem.message


def test_discovery_groups_modules_and_skips_tool_directories(tmp_path: Path) -> None:
    for relative in ("main.tf", "modules/a/main.tf", ".terraform/modules/x/main.tf", ".git/x.tf", "notes.txt"):
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("")
    (tmp_path / "terraform.tfvars").write_text("")
    found = discover([str(tmp_path)])
    assert sorted(os.path.relpath(d, tmp_path) for d in found.modules) == [".", "modules/a"]
    assert sorted(os.path.basename(f) for f in found.modules[str(tmp_path)]) == ["main.tf", "terraform.tfvars"]


def test_symlink_loops_and_links_out_of_the_root_are_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "a").mkdir(parents=True)
    (root / "a" / "main.tf").write_text("")
    (root / "a" / "loop").symlink_to(root / "a")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.tf").write_text("")
    (root / "escape").symlink_to(outside)
    found = discover([str(root)])
    assert list(found.modules) == [str(root / "a")]


def test_prefilter_marks_item_modules_and_their_callers(tmp_path: Path) -> None:
    child, caller, other = tmp_path / "child", tmp_path / "caller", tmp_path / "other"
    for directory in (child, caller, other):
        directory.mkdir()
    (child / "main.tf").write_text('resource "aws_dynamodb_table_item" "x" {}\n')
    (caller / "main.tf").write_text('module "c" {\n  source = "../child"\n}\n')
    (other / "main.tf").write_text('resource "aws_s3_bucket" "b" {}\n')
    scanned = {str(d): scan_bytes(str(d), [str(d / "main.tf")], 10_000) for d in (child, caller, other)}
    assert relevant_modules(scanned) == {str(child), str(caller)}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=30,
)


@given(json_values, st.integers(min_value=0, max_value=80))
def test_the_json_source_prefix_built_without_recursion_is_what_json_dumps_starts_with(
    value: object, limit: int
) -> None:
    assert json_prefix(value, limit) == json.dumps(value)[:limit]


def test_json_nested_past_the_c_scanners_limit_parses_with_its_source_text(tmp_path: Path) -> None:
    depth = 3000  # past Python 3.12's fixed C recursion limit for json's C scanner and encoder
    path = tmp_path / "deep.tf.json"
    path.write_text('{"locals": {"deep": ' + "[" * depth + "]" * depth + "}}", encoding="utf-8")
    parsed = parse_file(str(path))
    assert parsed.problem is None
    assert parsed.blocks[0].attributes["deep"].source == "[" * 200
