"""``ddblint state``: item instances and their bytes per table, from state files and ``show -json`` output."""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import io
import json
import time
from pathlib import Path
from typing import Any

import pytest

from ddblint.cli import main
from ddblint.model.module import ITEM_TYPE
from ddblint.state.read import StateFileError, read_state
from ddblint.state.report import bar, state_findings

STATE_DATA = Path(__file__).resolve().parent / "data" / "state"
STATE_FILE = STATE_DATA / "terraform.tfstate"
SHOW_STATE = STATE_DATA / "show-state.json"
SHOW_PLAN = STATE_DATA / "plan.json"


def run_ddblint(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exited:
        main(list(args))
    return int(exited.value.code or 0), out.getvalue(), err.getvalue()


def counts(path: Path) -> dict[str, int]:
    return {t.table: t.instances for t in read_state(str(path)).tables}


def line_of(path: Path, fragment: str, occurrence: int = 1) -> int:
    lines = path.read_text().splitlines()
    found = [number for number, text in enumerate(lines, 1) if fragment in text]
    return found[occurrence - 1]


# -- reading the three documented inputs ---------------------------------------------------


def test_state_file_counts_item_instances_per_table() -> None:
    usage = read_state(str(STATE_FILE))
    assert usage.source == "state file (format version 4)"
    assert [(t.table, t.instances) for t in usage.tables] == [("shop-app", 15), ("teams", 3)]
    shop = usage.tables[0]
    assert [(r.address, r.instances) for r in shop.resources] == [
        ("aws_dynamodb_table_item.products", 14),
        ("aws_dynamodb_table_item.config", 1),
    ]
    teams = usage.tables[1].resources
    assert [(r.address, r.instances) for r in teams] == [("module.team_item.aws_dynamodb_table_item.team", 3)]


def test_show_json_of_the_same_state_gives_the_same_counts() -> None:
    assert read_state(str(SHOW_STATE)).source == "terraform show -json (state)"
    assert counts(SHOW_STATE) == counts(STATE_FILE)


def test_a_plan_is_measured_as_the_state_it_leads_to() -> None:
    usage = read_state(str(SHOW_PLAN))
    assert usage.source == "terraform show -json (plan: the state after apply)"
    assert counts(SHOW_PLAN) == {"shop-app": 21, "teams": 3}


def test_a_plan_without_planned_values_falls_back_to_the_prior_state(tmp_path: Path) -> None:
    plan = json.loads(SHOW_PLAN.read_text())
    del plan["planned_values"]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    assert read_state(str(path)).source == "terraform show -json (plan: the prior state)"
    assert counts(path) == counts(STATE_FILE)


def test_empty_show_json_state_has_no_tables(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text('{"format_version":"1.0"}')
    assert read_state(str(path)).tables == ()


# -- bytes ----------------------------------------------------------------------------------


def item_instance(index: int, table: str = "events") -> dict[str, Any]:
    key = f"E-{index:05d}"
    item = json.dumps({"pk": {"S": key}, "kind": {"S": "click"}, "n": {"N": str(index)}}, separators=(",", ":"))
    return {
        "index_key": key,
        "schema_version": 0,
        "attributes": {
            "hash_key": "pk",
            "id": f"{table}|pk|{key}",
            "item": item,
            "range_key": None,
            "table_name": table,
        },
        "sensitive_attributes": [],
        "dependencies": ["aws_dynamodb_table.events"],
    }


def state_with(instances: list[dict[str, Any]]) -> dict[str, Any]:
    """A version 4 state as Terraform writes it, with one for_each item resource."""
    return {
        "version": 4,
        "terraform_version": "1.9.5",
        "serial": 3,
        "lineage": "0c5e6a1e-5d0b-4f5e-8f3e-1d2c3b4a5968",
        "outputs": {},
        "resources": [
            {
                "mode": "managed",
                "type": ITEM_TYPE,
                "name": "events",
                "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                "instances": instances,
            }
        ],
        "check_results": None,
    }


def test_bytes_are_what_the_instances_take_in_the_file(tmp_path: Path) -> None:
    """The file with instances minus the file without them is the measured size plus separators."""
    instances = [item_instance(i) for i in range(40)]
    full, empty = tmp_path / "full.tfstate", tmp_path / "empty.tfstate"
    full.write_text(json.dumps(state_with(instances), indent=2))
    empty.write_text(json.dumps(state_with([]), indent=2))
    measured = read_state(str(full)).state_bytes
    separators = len(instances) * 2 + 1  # ",\n" between instances, a newline before the closing bracket
    gap = len(full.read_bytes()) - len(empty.read_bytes())
    assert abs(measured + separators - gap) <= len("          ")  # the closing bracket's indentation


def test_compact_show_json_is_measured_compactly() -> None:
    usage = read_state(str(SHOW_STATE))
    document = json.loads(SHOW_STATE.read_text())
    resources = document["values"]["root_module"]["resources"]
    children = [r for m in document["values"]["root_module"]["child_modules"] for r in m["resources"]]
    expected = sum(
        len(json.dumps(r, separators=(",", ":")).encode()) for r in resources + children if r["type"] == ITEM_TYPE
    )
    assert usage.state_bytes == expected
    assert usage.state_bytes < usage.file_bytes


# -- findings -------------------------------------------------------------------------------


def test_one_finding_per_table_over_max_items_at_its_largest_resource() -> None:
    findings = state_findings(read_state(str(STATE_FILE)), max_items=10)
    assert len(findings) == 1
    finding = findings[0]
    assert (finding.rule_id, finding.rule_name, finding.address) == (
        "DDB001",
        "too-many-items",
        "aws_dynamodb_table_item.products",
    )
    assert finding.span.path == str(STATE_FILE)
    products_type_line = line_of(STATE_FILE, f'"type": "{ITEM_TYPE}"', occurrence=2)
    assert finding.span.line == products_type_line
    assert line_of(STATE_FILE, '"name": "products"') == products_type_line + 1
    assert "table `shop-app` holds 15 items" in finding.message
    assert "`aws_dynamodb_table_item.products` 14, `aws_dynamodb_table_item.config` 1" in finding.message
    assert "more than max-items (10)" in finding.message


def test_findings_in_show_json_point_at_the_resource_address() -> None:
    findings = state_findings(read_state(str(SHOW_STATE)), max_items=2)
    by_address = {f.address: f for f in findings}
    assert set(by_address) == {"aws_dynamodb_table_item.products", "module.team_item.aws_dynamodb_table_item.team"}
    text = SHOW_STATE.read_text()
    team = by_address["module.team_item.aws_dynamodb_table_item.team"]
    assert team.span.line == 1
    offset = team.span.column - 1
    assert text[offset:].startswith('"address":"module.team_item[\\"alpha\\"].aws_dynamodb_table_item.team"')


def test_threshold_comes_from_the_catalog_and_the_flag() -> None:
    assert run_ddblint("state", str(STATE_FILE), "--format", "concise")[0] == 1
    code, stdout, _ = run_ddblint("state", str(STATE_FILE), "--format", "concise", "--max-items", "15")
    assert (code, stdout) == (0, "")
    code, stdout, _ = run_ddblint("state", str(STATE_FILE), "--format", "concise", "--max-items", "2")
    assert code == 1
    assert stdout.count("DDB001") == 2


# -- output formats --------------------------------------------------------------------------


def test_full_output_draws_tables_largest_first() -> None:
    code, stdout, _ = run_ddblint("state", str(STATE_FILE))
    assert code == 1
    chart = stdout[stdout.index("Item instances and state bytes per table") :]
    assert chart.index("shop-app") < chart.index("teams")
    shop_row = next(line for line in chart.splitlines() if line.startswith("shop-app"))
    assert "█" * 28 in shop_row  # the largest table fills the bar
    assert "module.team_item.aws_dynamodb_table_item.team" in stdout
    assert "1 table(s) over max-items (10): `shop-app`" in stdout


def test_bar_scales_in_eighths() -> None:
    assert bar(10, 10, width=4) == "████"
    assert bar(1, 8, width=1) == "▏"
    assert bar(1, 10_000, width=4) == "▏"  # never invisible
    assert bar(0, 10) == ""


def reporter_available(name: str) -> bool:
    return importlib.util.find_spec(f"ddblint.report.{name}") is not None


@pytest.mark.skipif(not reporter_available("json_report"), reason="the JSON reporter is not in this tree")
def test_json_output_carries_the_findings() -> None:
    code, stdout, _ = run_ddblint("state", str(STATE_FILE), "--format", "json")
    assert code == 1
    shown = json.loads(stdout)
    assert [(f["rule"], f["address"]) for f in shown["findings"]] == [("DDB001", "aws_dynamodb_table_item.products")]


@pytest.mark.skipif(not reporter_available("sarif"), reason="the SARIF reporter is not in this tree")
def test_sarif_output_points_into_the_state_file(tmp_path: Path) -> None:
    output = tmp_path / "state.sarif"
    code, _, _ = run_ddblint("state", str(STATE_FILE), "--format", "sarif", "-o", str(output))
    assert code == 1
    results = json.loads(output.read_text())["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["DDB001"]
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == line_of(STATE_FILE, f'"type": "{ITEM_TYPE}"', occurrence=2)


# -- a large state ---------------------------------------------------------------------------


def test_five_thousand_instances(tmp_path: Path) -> None:
    """Generated here, deterministically: 5,000 items in one table, 40 seed items in another."""
    state = state_with([item_instance(i) for i in range(5_000)])
    seeds = copy.deepcopy(state["resources"][0])
    seeds["name"] = "seeds"
    seeds["instances"] = [item_instance(i, table="config") for i in range(40)]
    state["resources"].append(seeds)
    path = tmp_path / "big.tfstate"
    path.write_text(json.dumps(state, indent=2))
    started = time.perf_counter()
    code, stdout, _ = run_ddblint("state", str(path))
    elapsed = time.perf_counter() - started
    assert code == 1
    assert counts(path) == {"events": 5_000, "config": 40}
    usage = read_state(str(path))
    assert usage.state_bytes > 0.95 * usage.file_bytes
    assert "5,040 item instances in 2 table(s)" in stdout
    assert elapsed < 10, f"ddblint state took {elapsed:.1f} s on 5,000 instances"


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "bad.json:1:2: not JSON"),
        ("[1, 2]", "expected a JSON object, found list"),
        ('{"version": 3, "modules": []}', "state format version 3; ddblint reads version 4"),
        ('{"version": 4}', '"resources" is missing'),
        ('{"version": 4, "resources": [{"name": "x", "instances": []}]}', 'resources[0]: "type" is missing'),
        (
            '{"version": 4, "resources": [{"type": "aws_dynamodb_table_item", "name": "x", "instances": [{}]}]}',
            'resources[0].instances[0]: "attributes" is missing',
        ),
        ('{"format_version": "2.0"}', "format_version 2.0; ddblint reads 1.x"),
        ('{"serial": 1}', 'not a Terraform state: no "version" or "format_version" key'),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(StateFileError, match=None) as raised:
        read_state(str(path))
    assert message in str(raised.value)
    code, stdout, stderr = run_ddblint("state", str(path))
    assert code == 2
    assert stdout == ""
    assert stderr.startswith("ddblint: error: ") and message in stderr
    assert "Traceback" not in stderr


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    code, _, stderr = run_ddblint("state", str(tmp_path / "nope.tfstate"))
    assert code == 2
    assert "cannot read" in stderr and "nope.tfstate" in stderr
