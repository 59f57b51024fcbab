"""The rules that look inside items: app-like data, nondeterminism, ownership, keys, JSON, size."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ddblint.api import lint
from ddblint.config.settings import Settings
from ddblint.dynamodb.item_json import DYNAMODB_ITEM_LIMIT, item_size
from ddblint.dynamodb.item_leaves import Leaf, leaves
from ddblint.evaluate import table_names
from ddblint.evaluate.analysis import Table
from ddblint.evaluate.expand import root_tables
from ddblint.evaluate.expressions import FileGateway
from ddblint.model.module import Module
from ddblint.result import Result
from ddblint.rules.app_data import MONEY, PERSONAL, RECORD_IDS, TIMESTAMPS, TRANSACTIONS, WORKFLOW, judge, signals
from tests.conftest import FIXTURES

TABLE = """
resource "aws_dynamodb_table" "t" {
  name         = "things"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}
"""


def _lint(tmp_path: Path, files: dict[str, str], **settings: object) -> Result:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = lint([str(tmp_path)], Settings(cache=False, **settings), keep_analysis=True)  # type: ignore[arg-type]
    assert not result.internal_errors, result.internal_errors
    return result


def _item(name: str, item_hcl: str, extra: str = "") -> str:
    return f"""
resource "aws_dynamodb_table_item" "{name}" {{
  {extra}
  table_name = aws_dynamodb_table.t.name
  hash_key   = aws_dynamodb_table.t.hash_key
  item       = {item_hcl}
}}
"""


def _by_rule(result: Result, rule_id: str) -> list[str]:
    return [f.message for f in result.findings if f.rule_id == rule_id]


# -- DDB010 app-data-content -------------------------------------------------


def _user(user_id: str, email: str) -> dict[str, object]:
    return {"user_id": {"S": user_id}, "email": {"S": email}, "role": {"S": "member"}}


def test_a_single_admin_with_a_personal_email_is_seed_data() -> None:
    admin = _user("admin", "jordan.lee@example.com") | {"created_at": {"S": "2024-01-15T08:00:00Z"}}
    assert judge([admin]) is None


def test_forty_users_of_the_admins_shape_are_application_data() -> None:
    users = [_user(f"u{i}", f"person{i}.lastname@example.com") for i in range(40)]
    verdict = judge(users)
    assert verdict is not None
    assert list(verdict.evidence) == [PERSONAL, RECORD_IDS]
    assert [s.attribute for s in verdict.evidence[PERSONAL]] == ["email"]


def test_the_same_email_in_every_item_of_a_set_is_not_a_collection_of_people() -> None:
    owners = [{"pk": {"S": f"svc#{i}"}, "owner": {"S": "jordan.lee@example.com"}} for i in range(5)]
    assert judge(owners) is None


def test_role_mailboxes_are_not_personal_data() -> None:
    found = signals({"contact": {"S": "support-eu@example.com"}, "alerts": {"S": "platform.oncall@example.com"}})
    assert found == []
    assert [s.category for s in signals({"contact": {"S": "ana.silva@example.com"}})] == [PERSONAL]


def test_config_entries_never_look_like_records() -> None:
    config = {
        "pk": {"S": "config#checkout"},
        "timeout_ms": {"N": "2500"},
        "max_amount": {"N": "10000"},
        "currency": {"S": "EUR"},
        "initial_status": {"S": "pending"},
    }
    assert signals(config) == []
    assert judge([config]) is None


def test_a_lookup_table_of_prices_is_one_kind_of_evidence_only() -> None:
    plans = [{"code": {"S": c}, "price": {"N": p}} for c, p in (("free", "0"), ("pro", "20"), ("team", "50"))]
    assert {s.category for p in plans for s in signals(p)} == {MONEY}
    assert judge(plans) is None


def test_a_single_item_needs_three_kinds_of_evidence() -> None:
    order = {
        "pk": {"S": "ORDER#1042"},
        "status": {"S": "Shipped"},
        "total": {"N": "99.90"},
    }
    assert {s.category for s in signals(order)} == {TRANSACTIONS, WORKFLOW, MONEY}
    assert judge([order]) is not None
    del order["total"]
    assert judge([order]) is None


def test_timestamps_need_a_lifecycle_name_and_a_date_value() -> None:
    assert [s.category for s in signals({"lastLogin": {"S": "2024-05-01T10:00:00.123+02:00"}})] == [TIMESTAMPS]
    assert [s.category for s in signals({"updated_at": {"N": "1714557600"}})] == [TIMESTAMPS]
    assert signals({"created_at": {"S": "yesterday"}}) == []
    assert signals({"expires_at": {"S": "2024-05-01"}}) == []


def test_nested_attributes_are_read_through_maps_and_lists() -> None:
    item = {"profile": {"M": {"contacts": {"L": [{"M": {"phone": {"S": "+44 7700 900123"}}}]}}}}
    assert [(s.category, s.attribute) for s in signals(item)] == [(PERSONAL, "phone")]


def test_ddb010_message_names_attributes_and_counts(tmp_path: Path) -> None:
    users = {f"user-{i}": f"first{i}.last@example.com" for i in range(40)}
    files = {
        "main.tf": TABLE
        + f"locals {{\n  users = {json.dumps(users)}\n}}\n"
        + _item("admin", 'jsonencode({ pk = { S = "admin" }, email = { S = "jordan.lee@example.com" } })')
        + _item(
            "users",
            "jsonencode({ pk = { S = each.key }, email = { S = each.value } })",
            "for_each = local.users",
        )
    }
    result = _lint(tmp_path, files)
    [message] = _by_rule(result, "DDB010")
    assert message.startswith("`aws_dynamodb_table_item.users` holds application data: its 40 items carry")
    assert "personal data (`email`: email addresses)" in message
    assert "first0.last@example.com" not in message


# -- DDB011 nondeterministic-item and DDB012 app-owned-items -------------------


def test_nondeterminism_through_locals_is_traced_and_ignore_changes_silences_it(tmp_path: Path) -> None:
    files = {
        "main.tf": TABLE
        + "locals {\n  now = timestamp()\n}\n"
        + _item("stamped", 'jsonencode({ pk = { S = "a" }, at = { S = local.now } })')
        + _item(
            "stamped_once",
            'jsonencode({ pk = { S = "b" }, at = { S = local.now } })',
            "lifecycle {\n ignore_changes = [item]\n}",
        )
    }
    result = _lint(tmp_path, files)
    findings = [f for f in result.findings if f.rule_id == "DDB011"]
    assert [f.address for f in findings] == ["aws_dynamodb_table_item.stamped"]
    assert "`timestamp()` returns a new time on every run" in findings[0].message


@pytest.mark.parametrize(
    ("meta", "fires"),
    [("", False), ("count = 1", False), ("count = 2", True), ('for_each = toset(["a", "b"])', True)],
)
def test_ignore_changes_is_the_seed_once_pattern_only_for_one_item(tmp_path: Path, meta: str, fires: bool) -> None:
    lifecycle = "lifecycle {\n ignore_changes = [item]\n}"
    files = {"main.tf": TABLE + _item("counter", 'jsonencode({ pk = { S = "c" } })', f"{meta}\n{lifecycle}")}
    assert bool(_by_rule(_lint(tmp_path, files), "DDB012")) is fires


def test_one_seed_item_in_a_module_called_many_times_is_a_set(tmp_path: Path) -> None:
    module = _item("seed", "jsonencode({ pk = { S = var.key } })", "lifecycle {\n ignore_changes = all\n}").replace(
        "aws_dynamodb_table.t.name", "var.table"
    )
    module = module.replace("aws_dynamodb_table.t.hash_key", '"pk"')
    files = {
        "main.tf": TABLE
        + 'module "seed" {\n  source = "./mod"\n  for_each = toset(["a", "b", "c"])\n'
        + "  table = aws_dynamodb_table.t.name\n  key = each.key\n}\n",
        "mod/main.tf": 'variable "table" {}\nvariable "key" {}\n' + module,
    }
    [message] = _by_rule(_lint(tmp_path, files), "DDB012")
    assert "writes 3 items (module.seed for_each over" in message
    assert "`ignore_changes = all`" in message


# -- DDB020 and DDB022: keys, with tables resolved every way -----------------

KEYED_TABLE = """
resource "aws_dynamodb_table" "k" {
  name         = "keyed"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "N"
  }
}
"""

MISSING_SK = 'jsonencode({ pk = { S = "a" } })'


def _keyed_item(table_name: str, hash_key: str = "pk") -> str:
    """An item without the range key, for the table ``table_name`` names."""
    return (
        f'resource "aws_dynamodb_table_item" "x" {{\n  table_name = {table_name}\n'
        f'  hash_key = "{hash_key}"\n  item = {MISSING_SK}\n}}\n'
    )


@pytest.mark.parametrize("reference", ["aws_dynamodb_table.k.name", "aws_dynamodb_table.k.id", '"keyed"'])
def test_the_table_is_resolved_by_name_id_or_literal(tmp_path: Path, reference: str) -> None:
    item = f"""
resource "aws_dynamodb_table_item" "x" {{
  table_name = {reference}
  hash_key   = "pk"
  range_key  = "sk"
  item       = {MISSING_SK}
}}
"""
    [message] = _by_rule(_lint(tmp_path, {"main.tf": KEYED_TABLE + item}), "DDB020")
    assert "no `sk` attribute" in message
    assert "`aws_dynamodb_table.k` (hash key `pk`, range key `sk`)" in message


def test_the_table_is_resolved_through_a_module_argument(tmp_path: Path) -> None:
    files = {
        "main.tf": KEYED_TABLE + 'module "m" {\n  source = "./m"\n  table = aws_dynamodb_table.k.id\n}\n',
        "m/main.tf": 'variable "table" {}\n'
        + 'resource "aws_dynamodb_table_item" "x" {\n  table_name = var.table\n  hash_key = "id"\n'
        + '  range_key = "sk"\n  item = jsonencode({ pk = { S = "a" }, sk = { S = "1" } })\n}\n',
    }
    result = _lint(tmp_path, files)
    [key_message] = _by_rule(result, "DDB020")
    assert '(hash key `pk`, range key `sk`): `hash_key = "id"`' in key_message
    [type_message] = _by_rule(result, "DDB022")
    assert "`sk` as `S`, declared `N`" in type_message


def test_a_literal_name_finds_a_table_in_another_root_which_is_parsed_only_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_for_tables: list[str] = []

    def recording(module: Module, gateway: FileGateway) -> list[Table]:
        read_for_tables.append(Path(module.dir).name)
        return root_tables(module, gateway)

    monkeypatch.setattr(table_names, "root_tables", recording)
    item = _keyed_item('"keyed"')
    other_table = KEYED_TABLE.replace('"keyed"', '"other"')
    files = {
        "tables/main.tf": KEYED_TABLE,
        "seed/main.tf": item,
        "names_only/main.tf": 'locals {\n  a = "keyed"\n}\n',
        "other_table/main.tf": other_table,
    }
    result = _lint(tmp_path, files)
    [message] = _by_rule(result, "DDB020")
    assert "no `range_key` argument" in message
    assert read_for_tables == ["tables"], "only modules mentioning a table and the name are read"
    assert result.modules_parsed == 1
    assert not _by_rule(result, "DDB025"), "a table in another root cannot be referenced"


def test_a_name_shared_by_tables_with_different_keys_resolves_to_none(tmp_path: Path) -> None:
    other = KEYED_TABLE.replace('"k"', '"other"').replace('hash_key     = "pk"', 'hash_key     = "id"')
    item = _keyed_item('"keyed"')
    files = {"a/main.tf": KEYED_TABLE, "b/main.tf": other, "seed/main.tf": item}
    result = _lint(tmp_path, files)
    assert not _by_rule(result, "DDB020") and not _by_rule(result, "DDB022")


@pytest.mark.parametrize(
    ("output", "resolved"),
    [("aws_dynamodb_table.k.name", True), ("aws_dynamodb_table.k.id", True), ('"keyed"', False), ("var.x", False)],
)
def test_the_table_is_found_through_the_output_of_the_module_declaring_it(
    tmp_path: Path, output: str, resolved: bool
) -> None:
    """An output that names a table resource leads to its key schema; any other output leaves it unknown."""
    files = {
        "main.tf": 'module "tables" {\n  source = "./tables"\n}\n'
        + 'module "seed" {\n  source = "./seed"\n  table = module.tables.keyed\n}\n',
        "tables/main.tf": KEYED_TABLE
        + f'variable "x" {{\n  default = "y"\n}}\noutput "keyed" {{\n  value = {output}\n}}\n',
        "seed/main.tf": 'variable "table" {}\n' + _keyed_item("var.table"),
    }
    messages = _by_rule(_lint(tmp_path, files), "DDB020")
    expected = ["`module.tables.aws_dynamodb_table.k` (hash key `pk`, range key `sk`)"] if resolved else []
    assert [m.split(" of ")[1].split(":")[0] for m in messages] == expected


@pytest.mark.parametrize("reference", ['"nowhere"', "var.unset", "data.aws_dynamodb_table.x.name", "local.missing"])
def test_an_unresolvable_table_gives_no_key_findings(tmp_path: Path, reference: str) -> None:
    item = _keyed_item(reference, hash_key="zz")
    result = _lint(tmp_path, {"main.tf": 'variable "unset" {}\n' + KEYED_TABLE + item})
    assert not {f.rule_id for f in result.findings} & {"DDB020", "DDB022", "DDB025"}


# -- DDB021 invalid-item-json ------------------------------------------------


def test_problems_name_their_attribute_path_and_are_reported_once_per_set(tmp_path: Path) -> None:
    item = 'jsonencode({ pk = { S = each.key }, profile = { M = { tags = { SS = ["a", each.value] } } } })'
    meta = 'for_each = { x = "a", y = "b", z = "a" }'
    [message] = _by_rule(_lint(tmp_path, {"main.tf": TABLE + _item("tags", item, meta)}), "DDB021")
    assert '`profile.M.tags.SS[1]`: "a" repeats element [0]; set values must be unique' in message
    assert '(in 2 of 3 items, e.g. each.key = "x")' in message


def test_count_instances_are_named_by_their_index(tmp_path: Path) -> None:
    item = "jsonencode({ pk = { S = tostring(count.index) }, n = { N = count.index } })"
    [message] = _by_rule(_lint(tmp_path, {"main.tf": TABLE + _item("n", item, "count = 2")}), "DDB021")
    assert "(in all 2 items, e.g. count.index = 0)" in message


def test_items_that_cannot_be_evaluated_are_skipped(tmp_path: Path) -> None:
    item = "jsonencode({ pk = { S = var.unset }, n = { N = 5 } })"
    result = _lint(tmp_path, {"main.tf": 'variable "unset" {}\n' + TABLE + _item("x", item)})
    assert result.findings == []


def test_an_item_nested_past_dynamodbs_limit_is_reported_not_walked_forever(tmp_path: Path) -> None:
    nested = '{ S = "deep@example.com" }'
    for _ in range(40):
        nested = f"{{ M = {{ inner = {nested} }} }}"
    [message] = _by_rule(
        _lint(tmp_path, {"main.tf": TABLE + _item("deep", f'jsonencode({{ pk = {{ S = "d" }}, doc = {nested} }})')}),
        "DDB021",
    )
    assert "nested 33 levels deep; DynamoDB allows 32 levels" in message
    assert [leaf.path.count(".M.") for leaf in _leaves_of_depth(30)] == [30]
    assert _leaves_of_depth(40) == [], "the walk stops below the nesting limit"


def _leaves_of_depth(depth: int) -> list[Leaf]:
    value: object = {"S": "x"}
    for _ in range(depth):
        value = {"M": {"inner": value}}
    return list(leaves({"doc": value}))


# -- DDB023 item-too-large ---------------------------------------------------


@pytest.mark.parametrize(("padding", "fires"), [(0, False), (1, True)])
def test_the_limit_is_measured_as_dynamodb_measures_it(tmp_path: Path, padding: int, fires: bool) -> None:
    fixed = len("pk") + len("big") + len("body")
    length = DYNAMODB_ITEM_LIMIT - fixed + padding
    item = {"pk": {"S": "big"}, "body": {"S": "0" * length}}
    assert item_size(item) == DYNAMODB_ITEM_LIMIT + padding
    hcl = f'jsonencode({{ pk = {{ S = "big" }}, body = {{ S = format("%0{length}d", 0) }} }})'
    messages = _by_rule(_lint(tmp_path, {"main.tf": TABLE + _item("big", hcl)}), "DDB023")
    assert bool(messages) is fires
    if fires:
        assert f"is {DYNAMODB_ITEM_LIMIT + 1:,} bytes" in messages[0]


def test_map_and_list_overheads_and_utf8_count(tmp_path: Path) -> None:
    # 3 + 1 per element for the list, 3 + 1 + name for the map, 2 bytes per "é".
    chars = 205_000  # 205,000 characters fit, 410,000 bytes do not
    hcl = (
        'jsonencode({ pk = { S = "p" }, doc = { L = [{ M = { t = { S = replace(format("%0'
        + str(chars)
        + 'd", 0), "0", "é") } } }] } })'
    )
    expected = 2 + 1 + 3 + (3 + 1) + (3 + 1 + 1) + 2 * chars
    [message] = _by_rule(_lint(tmp_path, {"main.tf": TABLE + _item("doc", hcl)}), "DDB023")
    assert f"is {expected:,} bytes" in message


# -- DDB025 table-name-literal -------------------------------------------------


def test_a_literal_in_a_child_module_naming_the_parents_table_is_not_flagged(tmp_path: Path) -> None:
    child = 'resource "aws_dynamodb_table_item" "x" {\n  table_name = "things"\n  hash_key = "pk"\n'
    child += '  item = jsonencode({ pk = { S = "a" } })\n}\n'
    files = {"main.tf": TABLE + 'module "m" {\n  source = "./m"\n}\n', "m/main.tf": child}
    result = _lint(tmp_path, files)
    assert result.findings == []


def test_a_literal_beside_its_table_names_the_table_to_refer_to(tmp_path: Path) -> None:
    item = 'resource "aws_dynamodb_table_item" "x" {\n  table_name = "things"\n  hash_key = "pk"\n'
    item += '  item = jsonencode({ pk = { S = "a" } })\n}\n'
    [message] = _by_rule(_lint(tmp_path, {"main.tf": TABLE + item}), "DDB025")
    assert '`table_name = "things"` while `aws_dynamodb_table.t` is declared in the same module' in message


# -- false positives, measured -------------------------------------------------


def test_the_legitimate_patterns_are_all_evaluated_and_all_silent() -> None:
    """At least 12 seed patterns, each judged on evaluated content, none reported."""
    result = lint([str(FIXTURES / "false_positives")], Settings(cache=False), keep_analysis=True)
    assert not result.internal_errors
    assert result.findings == []
    assert result.analysis is not None
    judged = [s for s in result.analysis.item_sets if any(isinstance(i.value, dict) for i in s.instances)]
    assert len(result.analysis.item_sets) >= 12
    assert len(judged) >= 12
