"""Expressions written to break the evaluator: each is an unknown (or a value, where Terraform has one).

Terraform turns every one of these into an error for that expression; ddblint
turns it into an *unknown* for that expression, and the rest of the run goes on.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from ddblint.evaluate.functions import ARITY, FUNCTIONS, EvalError, call
from ddblint.evaluate.values import Unknown
from tests.test_hostile import TABLE, item, item_set, messages, module, run


class NoFiles:
    """A disk gateway for calls that must fail before they reach the disk."""

    def read(self, path: str) -> str | Unknown:
        return Unknown("no disk here")

    def exists(self, path: str) -> bool | Unknown:
        return False

    def glob(self, directory: str, pattern: str) -> list[str] | Unknown:
        return []

    def note_data_file(self, path: str) -> None:
        pass

    def note_json(self, text: str, value: object) -> None:
        pass

    def render(self, template_text: str, variables: dict[str, Any]) -> Any:
        return template_text


def value_of(tmp_path: Path, expression: str, extra: dict[str, str] | None = None) -> Any:
    """What ``{ S = expression }`` becomes in an item: the string, or the Unknown the whole item is."""
    source = item("x", "count = 1").replace('{ S = "x" }', f"{{ S = {expression} }}")
    result = run(module(tmp_path, {"main.tf": TABLE + source, **(extra or {})}))
    value = item_set(result, "x").instances[0].value
    return value if isinstance(value, Unknown) else value["id"]["S"]


def count_of(tmp_path: Path, meta: str, extra: dict[str, str] | None = None) -> Any:
    result = run(module(tmp_path, {"main.tf": TABLE + item("x", meta), **(extra or {})}))
    return item_set(result, "x").count


@pytest.mark.parametrize(
    "expression",
    [
        "[1, 2][1e400]",
        'substr("abc", 0, 1e400)',
        'format("%d", 1e400)',
        'format("%x", tonumber("inf"))',
        "element([1, 2], 1e400)",
        "length(range(1e400))",
        'length(range(tonumber("nan")))',
        'max(tonumber("nan"), 2)',
        '[1, 2][tonumber("nan")]',
    ],
)
def test_infinite_and_nan_numbers_where_an_integer_is_needed_are_unknown(tmp_path: Path, expression: str) -> None:
    assert isinstance(value_of(tmp_path, f"tostring({expression})"), Unknown)


@pytest.mark.parametrize("meta", ["count = 1e400", "count = 1e400 - 1e400", "count = 1e308 * 10", "count = -1e400"])
def test_an_infinite_or_nan_count_is_unknown(tmp_path: Path, meta: str) -> None:
    count = count_of(tmp_path, meta)
    assert count.exact is None and "non-negative whole number" in (count.unknown or "")


def test_integers_past_pythons_digit_limit_are_numbers_too_large_to_count(tmp_path: Path) -> None:
    digits = "9" * 5000
    assert "non-negative whole number" in (count_of(tmp_path, f"count = {digits}").unknown or "")
    assert value_of(tmp_path / "json", f'tostring(jsondecode("{digits}"))') == "inf"
    assert value_of(tmp_path / "template", f'"x${{{digits}}}"') == "xinf"
    tfvars = {"terraform.tfvars.json": f'{{"n": {digits}}}'}
    source = 'variable "n" {}\n'
    assert count_of(tmp_path / "tfvars", "count = var.n", {"vars.tf": source, **tfvars}).exact is None
    assert count_of(tmp_path / "hcl", "count = var.n", {"vars.tf": source, "terraform.tfvars": f"n = {digits}\n"})


def test_repeated_squaring_stays_a_bounded_number(tmp_path: Path) -> None:
    squares = "".join(f"  s{i + 1} = local.s{i} * local.s{i}\n" for i in range(40))
    count = count_of(tmp_path, "count = local.s40 > 0 ? 1 : 0", {"l.tf": f"locals {{\n  s0 = 3\n{squares}}}\n"})
    assert count.exact == 1  # 3**(2**40) is kept as infinity, which is still > 0


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_called_with_too_few_arguments_is_an_error_for_that_call(name: str) -> None:
    fewest, most = ARITY[FUNCTIONS[name]]
    if fewest > 0:
        with pytest.raises(EvalError, match=rf"{name}\(\) takes"):
            call(name, ["a"] * (fewest - 1), NoFiles())
    if most is not None:
        with pytest.raises(EvalError, match=rf"{name}\(\) takes"):
            call(name, ["a"] * (most + 1), NoFiles())


def test_functions_with_too_few_arguments_do_not_stop_the_run(tmp_path: Path) -> None:
    calls = ['split(",")', "element([1])", "lookup({})", "zipmap([1])", 'substr("a")', 'replace("a", "b")']
    items = "".join(
        item(f"i{n}", "count = 1").replace('{ S = "x" }', f"{{ S = tostring({c}) }}") for n, c in enumerate(calls)
    )
    result = run(module(tmp_path, {"main.tf": TABLE + items + item("big", "count = 50")}))
    for n, expression in enumerate(calls):
        value = item_set(result, f"i{n}").instances[0].value
        assert isinstance(value, Unknown) and "takes" in value.reason, expression
    assert len(messages(result, "DDB001")) == 1  # the rest of the module is still judged


def test_split_with_an_empty_separator_splits_each_character_as_terraform_does(tmp_path: Path) -> None:
    assert value_of(tmp_path, 'join("-", split("", "abc"))') == "a-b-c"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('replace("abc", "/(b)/", "[$1]")', "a[b]c"),
        ('replace("abc", "/(b)/", "[$5]")', "a[]c"),  # a group that does not exist expands to nothing
        ('replace("abc", "/(?P<x>b)/", "[$${x}]")', "a[b]c"),
        ('replace("abc", "/(b)/", "$$")', "a$c"),
        ('replace("abc", "/(b)/", "\\\\9")', "a\\9c"),
    ],
)
def test_replacement_groups_expand_as_go_does(tmp_path: Path, expression: str, expected: str) -> None:
    assert value_of(tmp_path, expression) == expected


def test_an_invalid_replace_pattern_is_unknown(tmp_path: Path) -> None:
    value = value_of(tmp_path, 'replace("abc", "/(?=b)/", "x")')  # RE2 has no lookahead, as in Terraform
    assert isinstance(value, Unknown) and "invalid regular expression" in value.reason


def test_a_reversed_range_in_a_fileset_pattern_is_unknown(tmp_path: Path) -> None:
    count = count_of(tmp_path, 'for_each = fileset(path.module, "[z-a]*")')
    assert count.exact is None and "fileset()" in (count.unknown or "")


def test_a_csv_field_over_pythons_field_limit_is_unknown(tmp_path: Path) -> None:
    data = {"d.csv": "a\n" + "x" * 140_000 + "\n"}
    count = count_of(tmp_path, 'for_each = { for r in csvdecode(file("d.csv")) : r.a => r }', data)
    assert count.exact is None and "csvdecode()" in (count.unknown or "")


def test_a_nul_in_a_file_path_is_unknown(tmp_path: Path) -> None:
    value = value_of(tmp_path, 'file("a\\u0000b")')
    assert isinstance(value, Unknown) and "NUL" in value.reason


@pytest.mark.parametrize("function", ["sha256", "sha1", "md5", "base64encode"])
def test_hashing_a_lone_surrogate_hashes_its_replacement_character(tmp_path: Path, function: str) -> None:
    assert value_of(tmp_path, f'{function}("\\ud800")') == value_of(tmp_path / "b", f'{function}("\\ufffd")')


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("a: 2001-02-03", '{"a":"2001-02-03"}'),
        ("1: one\nfalse: no\n~: none", '{"1":"one","false":false,"null":"none"}'),
        ("1: one\ntrue: yes", None),  # two keys to Terraform, one to a Python dict: refused, not merged
        ("a: " + "9" * 5000, None),  # infinity has no JSON form: unknown
        ("a: !!binary aGVsbG8=", None),
        ("!!set {a, b}", None),
        ("a: 1\na: 2", None),  # YAML keys are unique
    ],
)
def test_yaml_oddities_from_yamldecode_become_values_or_unknowns(
    tmp_path: Path, document: str, expected: str | None
) -> None:
    escaped = document.replace("\n", "\\n")
    value = value_of(tmp_path, f'jsonencode(yamldecode("{escaped}"))')
    if expected is None:
        assert isinstance(value, Unknown)
    else:
        assert value == expected


@pytest.mark.parametrize(
    "meta",
    ["for_each = toset([var.unknown])", "for_each = [var.unknown]", 'for_each = toset([{ a = var.unknown }, "b"])'],
)
def test_unknowns_inside_collections_never_reach_json_serialisation(tmp_path: Path, meta: str) -> None:
    count = count_of(tmp_path, meta)
    assert count.exact is None


def test_jsonencode_of_a_collection_holding_an_unknown_is_unknown(tmp_path: Path) -> None:
    assert isinstance(value_of(tmp_path, "jsonencode([var.unknown, 1])"), Unknown)


def test_a_module_call_counted_infinitely_or_over_unknown_keys_is_unbounded(tmp_path: Path) -> None:
    for name, meta in (("inf", "count = 1e400"), ("unknown", "for_each = toset([var.u])")):
        module(tmp_path / name, {"main.tf": item("x", "count = 1")}, "app/m")
        caller = f'variable "u" {{}}\nmodule "m" {{\n  source = "./m"\n  {meta}\n}}\n'
        result = run(module(tmp_path / name, {"main.tf": TABLE + caller}))
        assert item_set(result, "x").total.exact is None


def test_an_exception_while_evaluating_one_root_is_one_finding_for_that_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug met in one root module: that root is reported, every other root's findings still come out."""
    from ddblint.evaluate import expand

    broken = module(tmp_path, {"main.tf": TABLE + item("one", "count = 50")}, "broken")
    module(tmp_path, {"main.tf": TABLE + item("two", "count = 50")}, "healthy")
    real = expand._instantiate

    def fails_in_broken(module_: Any, *args: Any) -> None:
        if module_.dir == str(broken):
            raise ZeroDivisionError("injected")
        real(module_, *args)

    monkeypatch.setattr(expand, "_instantiate", fails_in_broken)
    result = run(tmp_path)
    assert [m for m in messages(result, "DDB000")] == [
        "ddblint cannot evaluate this root module (ZeroDivisionError: injected); its items were not checked"
    ]
    assert [f.address for f in result.findings if f.rule_id == "DDB001"] == ["aws_dynamodb_table_item.two"]


def test_string_numbers_convert_where_terraform_converts_them(tmp_path: Path) -> None:
    source = 'variable "n" {\n  default = "500"\n}\n'
    assert count_of(tmp_path, "count = var.n", {"vars.tf": source}).exact == 500
    assert value_of(tmp_path / "index", 'tostring(["a", "b"]["1"])') == "b"
    assert math.isinf(float(value_of(tmp_path / "float", 'tostring(tonumber("1e400"))')))
