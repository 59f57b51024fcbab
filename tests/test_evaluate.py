"""The expression evaluator: known values, explicit unknowns, bounds and provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ddblint.evaluate.expressions import FileGateway, ModuleScope, Trace, evaluate_attribute
from ddblint.evaluate.values import Sized, TfSet, Unknown
from ddblint.model.module import Module, build_module
from ddblint.parse.hcl import parse_body, parse_expression
from ddblint.parse.syntax import ParsedFile
from tests.test_hostile_evaluation import count_of


def scope_for(tmp_path: Path, source: str = "", variables: dict[str, Any] | None = None) -> ModuleScope:
    blocks, _ = parse_body(source)
    module = build_module(str(tmp_path), [ParsedFile(str(tmp_path / "main.tf"), blocks=blocks)])
    bound = {name: (value, Trace()) for name, value in (variables or {}).items()}
    return ModuleScope(module, "", str(tmp_path), FileGateway(str(tmp_path)), bound)


def evaluate(tmp_path: Path, expression: str, source: str = "", **variables: Any) -> Any:
    return evaluate_attribute(scope_for(tmp_path, source, variables), parse_expression(expression))[0]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 + 2 * 3", 7),
        ('"a-${1 + 1}"', "a-2"),
        ("[for x in [1, 2, 3] : x * 2 if x > 1]", [4, 6]),
        ("{ for k, v in { a = 1, b = 2 } : upper(k) => v }", {"A": 1, "B": 2}),
        ('{ for s in ["a", "b", "a"] : s => s... }', {"a": ["a", "a"], "b": ["b"]}),
        ("length(range(5))", 5),
        ("merge({ a = 1 }, { b = 2 })", {"a": 1, "b": 2}),
        ("keys({ b = 1, a = 2 })", ["a", "b"]),
        ('lookup({ a = 1 }, "b", 9)', 9),
        ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
        ('format("%s-%03d", "x", 7)', "x-007"),
        ('replace("a.b.c", ".", "-")', "a-b-c"),
        ("flatten([[1], [2, [3]]])", [1, 2, 3]),
        ('toset(["b", "a", "b"])', TfSet(["a", "b"])),
        ("[{ n = 1 }, { n = 2 }][*].n", [1, 2]),
        ('jsondecode("{\\"a\\": [1, 2]}").a[1]', 2),
        ('jsonencode({ b = 1, a = "x" })', '{"a":"x","b":1}'),
        ('true ? "yes" : "no"', "yes"),
        ('try(lookup({}, "x"), "fallback")', "fallback"),
    ],
)
def test_known_values(tmp_path: Path, expression: str, expected: Any) -> None:
    assert evaluate(tmp_path, expression) == expected


def test_locals_may_depend_on_each_other(tmp_path: Path) -> None:
    source = "locals {\n  b = local.a * 2\n  a = 21\n}\n"
    assert evaluate(tmp_path, "local.b", source) == 42


def test_local_cycle_is_an_unknown_that_names_the_cycle(tmp_path: Path) -> None:
    source = "locals {\n  a = local.b\n  b = local.a\n}\n"
    value = evaluate(tmp_path, "local.a", source)
    assert isinstance(value, Unknown)
    assert "cycle" in value.reason and "local.a" in value.reason


def test_huge_range_is_a_size_not_a_list(tmp_path: Path) -> None:
    value = evaluate(tmp_path, "range(100000000)")
    assert isinstance(value, Sized) and value.size == 100_000_000
    assert evaluate(tmp_path, "length(range(100000000))") == 100_000_000
    over = evaluate(tmp_path, '{ for i in range(100000000) : "k${i}" => i }')
    assert isinstance(over, Sized) and over.size == 100_000_000


def test_unknown_condition_is_bounded_by_its_largest_branch(tmp_path: Path) -> None:
    value = evaluate(tmp_path, "var.x != null ? 1 : 0", x=Unknown("no value", "var.x", external=True))
    assert isinstance(value, Unknown) and value.bound == 1 and value.external
    sized = evaluate(tmp_path, "var.on ? range(30) : []", on=Unknown("no value", "var.on"))
    assert isinstance(sized, Unknown) and sized.bound == 30


def test_data_sources_and_resources_are_external_unknowns(tmp_path: Path) -> None:
    data = evaluate(tmp_path, "data.aws_s3_objects.x.keys")
    assert isinstance(data, Unknown) and data.external and "data.aws_s3_objects.x" in data.reason
    table = evaluate(tmp_path, "aws_dynamodb_table.users.name")
    assert isinstance(table, Unknown) and table.resource == ("", "aws_dynamodb_table.users")


def test_nondeterministic_sources_are_marked(tmp_path: Path) -> None:
    scope = scope_for(tmp_path)
    value, trace = evaluate_attribute(scope, parse_expression('"${timestamp()}-${random_id.x.hex}"'))
    assert isinstance(value, Unknown) and value.nondeterministic
    assert trace.nondeterministic == ["timestamp()"]


def test_file_reads_are_traced_and_confined_to_the_root(tmp_path: Path) -> None:
    (tmp_path / "data.json").write_text('[{"id": 1}, {"id": 2}]')
    scope = scope_for(tmp_path)
    value, trace = evaluate_attribute(scope, parse_expression('jsondecode(file("${path.module}/data.json"))'))
    assert value == [{"id": 1}, {"id": 2}]
    assert trace.data_files == ["data.json"] and "jsondecode" in trace.readers
    outside = evaluate(tmp_path, 'file("/etc/hostname")')
    assert isinstance(outside, Unknown) and "outside the scanned directory" in outside.reason


def test_step_budget_stops_runaway_evaluation(tmp_path: Path) -> None:
    nested = "[for a in range(2000) : [for b in range(2000) : a * b]]"
    value = evaluate(tmp_path, nested)
    assert isinstance(value, Unknown) and "budget" in value.reason


def test_heredoc_interpolation_is_evaluated(tmp_path: Path) -> None:
    _, attributes = parse_body('x = <<EOT\n{"pk": {"S": "${upper("a")}"}}\nEOT\n')
    scope = scope_for(tmp_path)
    assert evaluate_attribute(scope, attributes["x"].expr)[0] == '{"pk": {"S": "A"}}\n'


def test_module_scope_has_no_each_outside_for_each(tmp_path: Path) -> None:
    assert isinstance(evaluate(tmp_path, "each.key"), Unknown)
    assert isinstance(Module("x"), Module)


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ('for_each = toset(formatlist("user-%d", range(500)))', 500),
        ('for_each = { for pair in setproduct(range(25), range(20)) : "${pair[0]}-${pair[1]}" => pair }', 500),
        ("count = sum([250, 250])", 500),
        ("count = ceil(499.5)", 500),
        ("count = floor(500.9)", 500),
        ("count = pow(10, 2)", 100),
        ('count = parseint("1f4", 16)', 500),
        ("for_each = setunion(toset(range(300)), toset(range(200, 500)))", 500),
        ("for_each = setsubtract(toset(range(600)), toset(range(100)))", 500),
        ("for_each = setintersection(toset(range(600)), toset(range(100, 700)))", 500),
        ("count = length(slice(range(600), 100, 600))", 500),
        ('for_each = toset(sort(formatlist("%03d", range(500))))', 500),
        ('count = length(reverse(compact(concat(range(500), [""]))))', 500),
        ('count = startswith("abc", "a") && endswith("abc", "c") && trimprefix("xabc", "x") == "abc" ? 500 : 0', 500),
    ],
)
def test_terraform_functions_teams_count_with_are_evaluated(tmp_path: Path, meta: str, expected: int) -> None:
    """Counts built with these functions would otherwise be unknown, and the set silently unjudged."""
    assert count_of(tmp_path, meta).exact == expected


def test_products_too_large_to_build_are_sized_not_built(tmp_path: Path) -> None:
    count = count_of(tmp_path, "count = length(setproduct(range(1000), range(1000)))")
    assert count.exact == 1_000_000
