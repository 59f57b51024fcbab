"""Module context in the pre-commit case: named files bring in their module and its callers above.

Every tree here is a small git repository (a ``.git`` directory marks its root).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ddblint.api import lint
from ddblint.config.settings import Settings
from ddblint.result import Result

TABLE = """\
resource "aws_dynamodb_table" "flags" {
  name         = "flags"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}
"""

ITEM_PER_KEY = """\
resource "aws_dynamodb_table_item" "flag" {
  for_each   = local.flags
  table_name = aws_dynamodb_table.flags.name
  hash_key   = aws_dynamodb_table.flags.hash_key
  item       = jsonencode({ pk = { S = each.key } })
}
"""

# A module holding one item of the table its caller names.
SEED_MODULE = """\
variable "table_name" {
  type = string
}

variable "key" {
  type = string
}

resource "aws_dynamodb_table_item" "seed" {
  table_name = var.table_name
  hash_key   = "pk"
  item       = jsonencode({ pk = { S = var.key } })
}
"""

# Parses as nothing, and mentions items so the prefilter would hand it to the parser.
BROKEN_WITH_ITEMS = 'resource "aws_dynamodb_table_item" "x" {\n  item = \n'


def caller_of(source: str, count: int) -> str:
    """A root module that fans ``source`` out over ``count`` keys into its own table."""
    keys = ", ".join(f'"k{n}"' for n in range(count))
    return f"""{TABLE}
module "seed" {{
  source     = "{source}"
  for_each   = toset([{keys}])
  table_name = aws_dynamodb_table.flags.name
  key        = each.key
}}
"""


def flags_locals(count: int) -> str:
    entries = "\n".join(f"    flag{n} = true" for n in range(count))
    return f"locals {{\n  flags = {{\n{entries}\n  }}\n}}\n"


def write_repo(root: Path, files: dict[str, str], git: bool = True) -> Path:
    if git:
        (root / ".git").mkdir(parents=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def lint_files(root: Path, *names: str) -> Result:
    return lint([str(root / name) for name in names], Settings(cache=False))


def found(result: Result, root: Path) -> set[tuple[str, int, str]]:
    return {(Path(f.span.path).relative_to(root).as_posix(), f.span.line, f.rule_id) for f in result.findings}


def messages(result: Result, rule_id: str) -> list[str]:
    return [f.message for f in result.findings if f.rule_id == rule_id]


@contextmanager
def opened_paths() -> Iterator[list[str]]:
    """Every path this process opens or lists while the block runs (an audit hook)."""
    seen: list[str] = []
    recording.append(seen)
    try:
        yield seen
    finally:
        recording.remove(seen)


recording: list[list[str]] = []


def _record(event: str, args: tuple[object, ...]) -> None:
    if recording and event in ("open", "os.scandir", "os.listdir") and args and isinstance(args[0], (str, Path)):
        recording[-1].append(str(args[0]))


sys.addaudithook(_record)


def test_a_changed_locals_file_is_caught_through_the_item_in_main_tf(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {"app/main.tf": TABLE + ITEM_PER_KEY, "app/locals.tf": flags_locals(4)})
    assert found(lint_files(repo, "app/locals.tf"), repo) == set()

    (repo / "app/locals.tf").write_text(flags_locals(40))
    result = lint_files(repo, "app/locals.tf")
    assert ("app/main.tf", 11, "DDB001") in found(result, repo)
    assert "writes 40 items" in messages(result, "DDB001")[0]


def test_files_of_unrelated_modules_are_neither_parsed_nor_read(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path,
        {
            "app/main.tf": TABLE + ITEM_PER_KEY,
            "app/locals.tf": flags_locals(40),
            "billing/main.tf": BROKEN_WITH_ITEMS,  # a sibling module
            "envs/prod/main.tf": BROKEN_WITH_ITEMS,  # elsewhere in the repository
            "app/nested/main.tf": BROKEN_WITH_ITEMS,  # below the module, not called by it
        },
    )
    with opened_paths() as seen:
        result = lint_files(repo, "app/locals.tf")
    assert {rule for _, _, rule in found(result, repo)} == {"DDB001"}
    touched = {Path(p).relative_to(repo).as_posix() for p in seen if Path(p).is_relative_to(repo)}
    assert touched == {"app", "app/main.tf", "app/locals.tf", "."}  # "." is listed to look for callers


def test_an_ancestor_that_does_not_call_the_module_is_not_parsed(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path,
        {"main.tf": BROKEN_WITH_ITEMS, "app/main.tf": TABLE + ITEM_PER_KEY, "app/locals.tf": flags_locals(40)},
    )
    result = lint_files(repo, "app/locals.tf")
    assert {rule for _, _, rule in found(result, repo)} == {"DDB001"}


def test_a_child_module_changed_alone_is_judged_with_its_callers_fan_out(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path, {"stack/main.tf": caller_of("./modules/seed", 25), "stack/modules/seed/main.tf": SEED_MODULE}
    )
    result = lint_files(repo, "stack/modules/seed/main.tf")
    assert found(result, repo) == {("stack/modules/seed/main.tf", 9, "DDB001")}
    assert "writes 25 items into `aws_dynamodb_table.flags`" in messages(result, "DDB001")[0]


def test_fan_out_multiplies_through_every_caller_on_the_way_up(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path,
        {
            "live/main.tf": 'module "app" {\n  source   = "./app"\n  for_each = toset(["eu", "us", "ap"])\n}\n',
            "live/app/main.tf": caller_of("./modules/seed", 5),
            "live/app/modules/seed/main.tf": SEED_MODULE,
        },
    )
    result = lint_files(repo, "live/app/modules/seed/main.tf")
    assert "writes 15 items" in messages(result, "DDB001")[0]


def test_without_a_caller_the_module_is_judged_on_its_own(tmp_path: Path) -> None:
    files = {"stack/main.tf": caller_of("./modules/seed", 25), "stack/modules/seed/main.tf": SEED_MODULE}
    outside_git = write_repo(tmp_path / "plain", files, git=False)
    assert messages(lint_files(outside_git, "stack/modules/seed/main.tf"), "DDB001") == []

    elsewhere = write_repo(
        tmp_path / "repo",
        {"envs/prod/main.tf": caller_of("../../modules/seed", 25), "modules/seed/main.tf": SEED_MODULE},
    )
    assert messages(lint_files(elsewhere, "modules/seed/main.tf"), "DDB001") == []  # not on the way up
    assert messages(lint_files(elsewhere, "envs/prod/main.tf"), "DDB001") != []  # found when the caller changes


def test_the_callers_own_findings_are_left_to_their_own_changes(tmp_path: Path) -> None:
    own_table = TABLE.replace('"flags"', '"own"')
    own_items = ITEM_PER_KEY.replace("flags", "own").replace('"flag"', '"own"')
    repo = write_repo(
        tmp_path,
        {
            "stack/main.tf": caller_of("./modules/seed", 25),
            "stack/own.tf": own_table + own_items + "\nlocals {\n  own = { for n in range(30) : n => n }\n}\n",
            "stack/modules/seed/main.tf": SEED_MODULE,
        },
    )
    assert found(lint_files(repo, "stack/modules/seed/main.tf"), repo) == {("stack/modules/seed/main.tf", 9, "DDB001")}
    assert found(lint_files(repo, "stack/own.tf"), repo) == {
        ("stack/own.tf", 11, "DDB001"),
        ("stack/modules/seed/main.tf", 9, "DDB001"),
    }


def test_a_named_file_reaches_modules_outside_its_own_directory(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path, {"services/api/main.tf": caller_of("../../modules/seed", 30), "modules/seed/main.tf": SEED_MODULE}
    )
    result = lint_files(repo, "services/api/main.tf")
    assert found(result, repo) == {("modules/seed/main.tf", 9, "DDB001")}
    assert "writes 30 items" in messages(result, "DDB001")[0]


# -- a changed data file brings in the modules that read it ------------------------------------------------

ITEMS_FROM = """\
resource "aws_dynamodb_table_item" "flag" {{
  for_each   = {for_each}
  table_name = aws_dynamodb_table.flags.name
  hash_key   = aws_dynamodb_table.flags.hash_key
  item       = jsonencode({{ pk = {{ S = each.key }} }})
}}
"""


def flags_json(count: int) -> str:
    return "[" + ", ".join(f'"flag{n}"' for n in range(count)) + "]"


def test_a_changed_data_file_is_judged_through_the_module_above_that_reads_it(tmp_path: Path) -> None:
    reader = ITEMS_FROM.format(for_each='toset(jsondecode(file("${path.module}/data/flags.json")))')
    root = write_repo(tmp_path, {"app/main.tf": TABLE + reader, "app/data/flags.json": flags_json(12)})
    assert {(file, rule) for file, _, rule in found(lint_files(root, "app/data/flags.json"), root)} == {
        ("app/main.tf", "DDB001"),
        ("app/main.tf", "DDB002"),
    }


def test_a_data_file_read_through_fileset_brings_in_its_module(tmp_path: Path) -> None:
    reader = ITEMS_FROM.format(for_each='fileset("${path.module}/seed", "*.json")')
    files = {"app/main.tf": TABLE + reader, **{f"app/seed/flag{n}.json": "{}" for n in range(12)}}
    root = write_repo(tmp_path, files)
    assert {rule for _, _, rule in found(lint_files(root, "app/seed/flag3.json"), root)} == {"DDB001", "DDB002"}


def test_a_data_file_no_module_reads_lints_nothing_and_opens_no_other_module(tmp_path: Path) -> None:
    reader = ITEMS_FROM.format(for_each='toset(jsondecode(file("${path.module}/flags.json")))')
    files = {"app/main.tf": TABLE + reader, "app/flags.json": flags_json(12), "web/package.json": "{}"}
    root = write_repo(tmp_path, files)
    with opened_paths() as opened:
        result = lint_files(root, "web/package.json")
    assert result.findings == [] and result.modules_parsed == 0
    assert not any("/app" in path for path in opened)


def test_a_named_module_without_a_caller_above_is_not_judged_unbounded_and_the_run_says_why(tmp_path: Path) -> None:
    shared = 'variable "flags" {\n  type = set(string)\n}\n\n' + TABLE + ITEMS_FROM.format(for_each="var.flags")
    caller = 'module "flags" {\n  source = "../../modules/flags"\n  flags  = ["a", "b"]\n}\n'
    root = write_repo(tmp_path, {"modules/flags/main.tf": shared, "envs/prod/main.tf": caller})
    named = lint_files(root, "modules/flags/main.tf")
    assert named.findings == []
    (note,) = named.notes
    assert note.startswith("`aws_dynamodb_table_item.flag` in modules/flags: its item count depends on var.flags")
    assert "callers were looked for only in modules/flags and the directories above it" in note
    assert lint([str(root)], Settings(cache=False)).findings == []  # judged through envs/prod: two items
    alone = lint([str(root / "modules" / "flags")], Settings(cache=False))  # a directory: a root, as asked
    assert [f.rule_id for f in alone.findings] == ["DDB003"] and alone.notes == []
