"""A table's population: findings inside shared modules name their callers, once per place.

Each test writes a small tree: a module that writes into a table, and the roots
or copy-pasted calls that use it.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from ddblint.api import lint
from ddblint.config.settings import Settings
from ddblint.filter.baseline import write_baseline
from ddblint.findings import Caller, Finding
from ddblint.report import ReportOptions, message_and_callers, relative_to
from ddblint.report.concise import render as render_concise
from ddblint.report.json_report import json_document
from ddblint.report.sarif import sarif_text
from ddblint.result import Result

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

SEED_MODULE = """\
variable "entries" {
  type = map(string)
}

resource "aws_dynamodb_table" "lookup" {
  name     = "lookup"
  hash_key = "code"

  attribute {
    name = "code"
    type = "S"
  }
}

resource "aws_dynamodb_table_item" "entry" {
  for_each   = var.entries
  table_name = aws_dynamodb_table.lookup.name
  hash_key   = aws_dynamodb_table.lookup.hash_key
  item       = jsonencode({ code = { S = each.key }, seeded_at = { S = timestamp() } })
}
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _env(size: int, name: str = "seed") -> str:
    entries = ", ".join(f'k{i} = "v{i}"' for i in range(size))
    return f'module "{name}" {{\n  source  = "../../modules/seed"\n  entries = {{ {entries} }}\n}}\n'


def _forty_roots(tmp_path: Path, grown: str = "") -> Path:
    files = {"modules/seed/main.tf": SEED_MODULE}
    for i in range(40):
        files[f"envs/e{i:02d}/main.tf"] = _env(12 if f"e{i:02d}" == grown else 2)
    _write(tmp_path, files)
    return tmp_path


def _lint(path: Path, **settings: object) -> Result:
    return lint([str(path)], Settings(cache=False, **settings))  # type: ignore[arg-type]


def _active(result: Result, rule_id: str) -> list[str]:
    """Messages as the text reports show them: with the callers, relative to the scan root."""
    shown = relative_to(result.root)
    return [message_and_callers(f, shown) for f in result.findings if f.rule_id == rule_id and not f.suppressed]


def test_a_module_called_from_forty_roots_is_reported_once_naming_its_callers(tmp_path: Path) -> None:
    result = _lint(_forty_roots(tmp_path))
    (message,) = _active(result, "DDB011")
    assert "(via module.seed in envs/e00/main.tf:1 and 39 more)" in message
    (finding,) = [f for f in result.findings if f.rule_id == "DDB011"]
    assert len(finding.callers) == 40


def test_the_callers_of_a_finding_many_roots_make_are_merged_once_not_root_by_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Merging root by root sorted the callers once per root: quadratic in the roots (2,000 took 6.7 s)."""
    from ddblint.rules import by_root

    merges: list[int] = []
    real = by_root.with_callers

    def counted(finding: Finding, callers: tuple[Caller, ...]) -> Finding:
        merges.append(len(callers))
        return real(finding, callers)

    monkeypatch.setattr(by_root, "with_callers", counted)
    result = _lint(_forty_roots(tmp_path))
    shared = [f for f in result.findings if f.callers]
    assert shared and all(len(f.callers) == 40 for f in shared)
    assert len(merges) == len(result.findings)  # once per finding, whatever the number of roots
    assert sorted(merges, reverse=True)[: len(shared)] == [40] * len(shared)


def test_the_one_root_whose_map_grew_is_named_alone(tmp_path: Path) -> None:
    (message,) = _active(_lint(_forty_roots(tmp_path, grown="e17")), "DDB001")
    assert message.endswith("(via module.seed in envs/e17/main.tf:1).")


def test_json_lists_callers_and_sarif_relates_their_locations(tmp_path: Path) -> None:
    result = _lint(_forty_roots(tmp_path))
    (entry,) = [f for f in json_document(result)["findings"] if f["rule"] == "DDB011"]
    assert entry["callers"][0] == {"module": "module.seed", "file": "envs/e00/main.tf", "line": 1}
    assert len(entry["callers"]) == 40
    log = json.loads(sarif_text(result, ReportOptions(cwd=str(tmp_path))))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    (sarif_result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "DDB011"]
    related = sarif_result["relatedLocations"]
    assert len(related) == 40 and len({r["id"] for r in related}) == 40
    assert related[0]["physicalLocation"]["artifactLocation"]["uri"] == "envs/e00/main.tf"


def test_a_suppression_at_the_module_line_applies_to_every_caller(tmp_path: Path) -> None:
    _forty_roots(tmp_path)
    module = tmp_path / "modules/seed/main.tf"
    text = module.read_text().replace(
        'resource "aws_dynamodb_table_item"',
        '# ddblint:ignore DDB011 -- seeded once\nresource "aws_dynamodb_table_item"',
    )
    module.write_text(text)
    result = _lint(tmp_path)
    assert _active(result, "DDB011") == [] and _active(result, "DDB090") == []


def test_a_suppression_on_a_callers_module_block_accepts_that_callers_share(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "modules/seed/main.tf": SEED_MODULE,
            "envs/dev/main.tf": "# ddblint:ignore DDB011 -- dev is rebuilt nightly\n" + _env(2),
            "envs/prod/main.tf": _env(2),
        },
    )
    (message,) = _active(_lint(tmp_path), "DDB011")
    assert message.endswith("(via module.seed in envs/prod/main.tf:1).")
    prod = tmp_path / "envs/prod/main.tf"
    prod.write_text("# ddblint:ignore DDB011 -- prod too\n" + prod.read_text())
    result = _lint(tmp_path)
    assert _active(result, "DDB011") == [] and _active(result, "DDB090") == []


def test_a_baseline_of_the_merged_findings_hides_them_on_the_next_run(tmp_path: Path) -> None:
    _forty_roots(tmp_path / "repo")
    baseline = tmp_path / "baseline.json"
    write_baseline(str(baseline), _lint(tmp_path / "repo").findings)
    result = _lint(tmp_path / "repo", baseline=str(baseline))
    assert [f.rule_id for f in result.findings if not f.suppressed] == []


COPY_PASTED_TEAMS = """\
resource "aws_dynamodb_table" "teams" {
  name     = "teams"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}
""" + "".join(
    f'\nmodule "team_{name}" {{\n  source = "./modules/team"\n  table  = aws_dynamodb_table.teams.name\n'
    f'  person = "{name}.lastname@example.com"\n}}\n'
    for name in ("ana", "ben", "cy")
)

TEAM_MODULE = """\
variable "table" {
  type = string
}

variable "person" {
  type = string
}

resource "aws_dynamodb_table_item" "member" {
  table_name = var.table
  hash_key   = "pk"
  item       = jsonencode({ pk = { S = var.person }, email = { S = var.person } })
}
"""


def test_copy_pasted_module_calls_add_up_like_a_for_each(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": COPY_PASTED_TEAMS, "modules/team/main.tf": TEAM_MODULE})
    (message,) = _active(_lint(tmp_path), "DDB010")
    assert "like 2 other blocks into its table" in message
    assert "(via module.team_ana in main.tf:11 and 2 more)" in message


def test_two_copies_with_one_person_each_of_a_single_call_stay_silent(tmp_path: Path) -> None:
    """One call alone is one seed: the population is one item."""
    one_call = COPY_PASTED_TEAMS.split('\nmodule "team_ben"')[0]
    _write(tmp_path, {"main.tf": one_call, "modules/team/main.tf": TEAM_MODULE})
    assert _active(_lint(tmp_path), "DDB010") == []


def test_a_hidden_template_with_fifty_items_changes_nothing(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": COPY_PASTED_TEAMS.split("\nmodule")[0]})
    before = [(f.rule_id, f.message) for f in _lint(tmp_path).findings]
    big = (
        'resource "aws_dynamodb_table_item" "generated" {\n  count      = 50\n'
        "  table_name = aws_dynamodb_table.teams.name\n"
        '  hash_key   = "pk"\n  item       = jsonencode({ pk = { S = "r${count.index}" } })\n}\n'
    )
    for name in (".items.template.tf", "#items.tf", "#items.tf#", "main.tf~", ".hidden.tf.json"):
        (tmp_path / name).write_text(big if not name.endswith(".json") else "{", encoding="utf-8")
    result = _lint(tmp_path)
    assert [(f.rule_id, f.message) for f in result.findings] == before
    assert result.files_seen == 1


def test_a_for_each_written_over_lines_is_one_line_of_concise_output(tmp_path: Path) -> None:
    keys = ", ".join(f'"k{i}"' for i in range(20))
    _write(
        tmp_path,
        {
            "main.tf": COPY_PASTED_TEAMS.split("\nmodule")[0]
            + 'resource "aws_dynamodb_table_item" "rows" {\n  for_each = toset([\n'
            + f"    {keys},\n  ])\n"
            + '  table_name = aws_dynamodb_table.teams.name\n  hash_key   = "pk"\n'
            + "  item       = jsonencode({ pk = { S = each.key } })\n}\n"
        },
    )
    stream = io.StringIO()
    render_concise(_lint(tmp_path), stream, ReportOptions(cwd=str(tmp_path)))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and "for_each over toset([ " in lines[0]


def test_a_pre_commit_run_on_the_grown_root_points_back_at_it(tmp_path: Path) -> None:
    """pre-commit names the file that changed; the finding in the shared module says which call it came from."""
    repo = tmp_path / "repo"
    _forty_roots(repo, grown="e07")
    (repo / ".git").mkdir()
    result = lint([str(repo / "envs/e07/main.tf")], Settings(cache=False))
    (finding,) = [f for f in result.findings if f.rule_id == "DDB001"]
    assert finding.span.path.endswith("modules/seed/main.tf")
    shown = message_and_callers(finding, relative_to(str(repo)))  # paths as the hook shows them, from the top
    assert shown.endswith("(via module.seed in envs/e07/main.tf:1).")


# -- DDB011, DDB020, DDB022: evidence over blocks adds up as inside one for_each --

EVENTS_TABLE = """\
resource "aws_dynamodb_table" "events" {
  name     = "events"
  hash_key = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}
"""


def _stamped(name: str, meta: str = "", key: str = '"{name}"', stamp: str = "timestamp()") -> str:
    return (
        f'resource "aws_dynamodb_table_item" "{name}" {{\n  {meta}\n'
        "  table_name = aws_dynamodb_table.events.name\n  hash_key   = aws_dynamodb_table.events.hash_key\n"
        f"  item = jsonencode({{ pk = {{ S = {key.format(name=name)} }}, at = {{ S = {stamp} }} }})\n"
        "  lifecycle {\n    ignore_changes = [item]\n  }\n}\n"
    )


def test_stamped_seeds_in_sibling_blocks_add_up_as_in_one_for_each(tmp_path: Path) -> None:
    siblings = EVENTS_TABLE + "".join(_stamped(f"e{i}", stamp="uuid()") for i in range(8))
    _write(tmp_path / "siblings", {"main.tf": siblings})
    one_block = EVENTS_TABLE + _stamped("e", 'for_each = toset(["1", "2", "3", "4", "5", "6", "7", "8"])', "each.key")
    _write(tmp_path / "for_each", {"main.tf": one_block})
    by_blocks = _active(_lint(tmp_path / "siblings"), "DDB011")
    (in_one,) = _active(_lint(tmp_path / "for_each"), "DDB011")
    assert len(by_blocks) == 8 and all("stamps 8 items of one shape (8 blocks)" in m for m in by_blocks)
    assert "stamps 8 items of one shape with `timestamp()`" in in_one


def test_one_stamped_seed_beside_seeds_of_other_shapes_stays_silent(tmp_path: Path) -> None:
    counter = _stamped("counter", stamp='"0"').replace("at = ", "value = ")
    _write(tmp_path, {"main.tf": EVENTS_TABLE + _stamped("install") + counter})
    assert _active(_lint(tmp_path), "DDB011") == []


def _into_variable_table(name: str, key: str, hash_key: str = "pk") -> str:
    return (
        f'resource "aws_dynamodb_table_item" "{name}" {{\n  table_name = var.table\n'
        f'  hash_key   = "{hash_key}"\n  item       = jsonencode({{ {key} }})\n}}\n'
    )


def test_key_types_split_evenly_between_blocks_report_both_sides(tmp_path: Path) -> None:
    files = {
        "main.tf": 'variable "table" {}\n'
        + _into_variable_table("a", 'pk = { S = "a" }')
        + _into_variable_table("b", 'pk = { N = "2" }')
    }
    _write(tmp_path, files)
    messages = _active(_lint(tmp_path), "DDB022")
    assert sorted(m.split("share: ")[1] for m in messages) == [
        "`pk` as `N` (1 other item: `S`).",
        "`pk` as `S` (1 other item: `N`).",
    ]


def test_a_lone_item_in_an_unresolved_table_is_not_judged_by_its_own_arguments(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": 'variable "table" {}\n' + _into_variable_table("a", 'other = { S = "x" }')})
    assert _active(_lint(tmp_path), "DDB020") == []
    siblings = _into_variable_table("b", 'pk = { S = "b" }') + _into_variable_table("c", 'id = { S = "c" }', "id")
    (tmp_path / "more.tf").write_text(siblings, encoding="utf-8")
    messages = {m.split("`")[1]: m for m in _active(_lint(tmp_path), "DDB020")}
    assert sorted(messages) == ["aws_dynamodb_table_item.a", "aws_dynamodb_table_item.c"]  # b agrees with a
    assert messages["aws_dynamodb_table_item.a"].endswith(
        "disagrees on keys with the items into `table var.table`: no `pk` attribute."
    )
    assert '`hash_key = "id"` (2 other items: `pk`)' in messages["aws_dynamodb_table_item.c"]
