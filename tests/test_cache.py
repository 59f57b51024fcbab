"""The cache: what a warm run reuses, what makes it look again, and how entries survive damage."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from ddblint.api import lint
from ddblint.cache import packs
from ddblint.cache import store as cache_module
from ddblint.cache.codec import decode
from ddblint.cache.location import default_directory
from ddblint.cache.store import Cache, open_cache
from ddblint.config.settings import Settings
from ddblint.parse import compat, schedule
from ddblint.parse.file import TimeoutProblem, parse_text
from ddblint.parse.syntax import ParsedFile
from ddblint.result import Result
from tests.cache_entries import namespaces, replace, stored
from tests.conftest import FIXTURES

TABLE = """\
resource "aws_dynamodb_table" "users" {
  name     = "users"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
"""

ITEMS_FROM_FILE = """\
resource "aws_dynamodb_table_item" "user" {
  for_each   = { for u in jsondecode(file("${path.module}/users.json")) : u.id => u }
  table_name = aws_dynamodb_table.users.name
  hash_key   = "id"
  item       = jsonencode({ id = { S = each.key } })
}
"""

ITEMS_FROM_FILESET = """\
resource "aws_dynamodb_table_item" "user" {
  for_each   = fileset("${path.module}/users", "*.json")
  table_name = aws_dynamodb_table.users.name
  hash_key   = "id"
  item       = jsonencode({ id = { S = each.key } })
}
"""


def outcome(result: Result) -> list[tuple[Any, ...]]:
    """Everything a report could show, to compare runs exactly."""
    findings = [(f.rule_id, f.severity, f.span, f.message, f.address, f.evidence, f.identity) for f in result.findings]
    errors = [(e.rule_id, e.path, e.message) for e in result.internal_errors]
    return [*findings, *errors]


def cached(directory: Path, **options: Any) -> Settings:
    return Settings(cache=True, cache_dir=str(directory), **options)


@pytest.fixture
def parsed_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every file the parser really parses (cache hits are not parses)."""
    seen: list[str] = []
    real = schedule.parse_bytes

    def recording(path: str, data: bytes, time_budget: float) -> ParsedFile:
        seen.append(Path(path).name)
        return real(path, data, time_budget)

    monkeypatch.setattr(schedule, "parse_bytes", recording)
    return seen


def write_users(module: Path, count: int) -> None:
    users = ",".join(f'{{"id": "u{i}"}}' for i in range(count))
    (module / "users.json").write_text(f"[{users}]")


def test_a_warm_run_parses_nothing_and_finds_the_same(tmp_path: Path, parsed_paths: list[str]) -> None:
    target = str(FIXTURES / "module_fanout")
    cold = lint([target], cached(tmp_path))
    assert parsed_paths, "the cold run parses"
    parsed_paths.clear()
    warm = lint([target], cached(tmp_path))
    assert parsed_paths == []
    assert outcome(warm) == outcome(cold) == outcome(lint([target], Settings(cache=False)))


def test_only_the_changed_file_is_parsed_again(tmp_path: Path, parsed_paths: list[str]) -> None:
    module = tmp_path / "repo"
    module.mkdir()
    (module / "tables.tf").write_text(TABLE)
    (module / "items.tf").write_text(
        'resource "aws_dynamodb_table_item" "slot" {\n  count = 50\n  table_name = aws_dynamodb_table.users.name\n'
        '  hash_key = "id"\n  item = jsonencode({ id = { S = tostring(count.index) } })\n}\n'
    )
    settings = cached(tmp_path / "cache")
    assert [f.rule_id for f in lint([str(module)], settings).findings].count("DDB001") == 1
    parsed_paths.clear()
    (module / "items.tf").write_text((module / "items.tf").read_text().replace("count = 50", "count = 5"))
    again = lint([str(module)], settings)
    assert parsed_paths == ["items.tf"]
    assert "DDB001" not in [f.rule_id for f in again.findings]


@pytest.mark.parametrize("layout", ["file", "fileset"])
def test_a_changed_data_file_changes_the_cached_analysis(tmp_path: Path, layout: str) -> None:
    module = tmp_path / "repo"
    module.mkdir()
    (module / "tables.tf").write_text(TABLE)
    if layout == "file":
        (module / "items.tf").write_text(ITEMS_FROM_FILE)
        write_users(module, 20)
    else:
        (module / "items.tf").write_text(ITEMS_FROM_FILESET)
        (module / "users").mkdir()
        for i in range(20):
            (module / "users" / f"u{i}.json").write_text("{}")
    settings = cached(tmp_path / "cache")

    def ddb001() -> list[str]:
        return [f.message for f in lint([str(module)], settings).findings if f.rule_id == "DDB001"]

    assert "writes 20 items" in ddb001()[0]
    if layout == "file":
        write_users(module, 30)
    else:
        for i in range(20, 30):
            (module / "users" / f"u{i}.json").write_text("{}")
    assert "writes 30 items" in ddb001()[0]


def test_changed_settings_reach_findings_of_a_cached_analysis(tmp_path: Path) -> None:
    target = str(FIXTURES / "count_50")
    loose = cached(tmp_path, rule_options={"DDB001": {"max-items": 100}})
    assert "DDB001" not in [f.rule_id for f in lint([target], loose).findings]
    assert "DDB001" in [f.rule_id for f in lint([target], cached(tmp_path)).findings]
    assert "DDB001" not in [f.rule_id for f in lint([target], loose).findings]


# A root that stands alone leaves an outcome; one whose table another root declares, its analysis and findings.
KINDS_OF_ENTRIES = {"json_file_1200": {"parse", "outcomes"}, "keys": {"parse", "outcomes", "roots", "findings"}}


@pytest.mark.parametrize("fixture", sorted(KINDS_OF_ENTRIES))
def test_damaged_entries_are_ignored_and_rewritten(tmp_path: Path, parsed_paths: list[str], fixture: str) -> None:
    target = str(FIXTURES / fixture)
    expected = outcome(lint([target], cached(tmp_path)))
    written = {namespace: stored(tmp_path, namespace) for namespace in namespaces(tmp_path)}
    assert set(written) == KINDS_OF_ENTRIES[fixture]
    for namespace, entries in written.items():
        damaged = [b"", b"DDBC\x01not an entry", b"DDBC\x01" + b"0" * 80]
        replace(tmp_path, namespace, {key: damaged[n % 3] for n, key in enumerate(entries)})
    parsed_paths.clear()
    assert outcome(lint([target], cached(tmp_path))) == expected
    assert parsed_paths, "damaged parse entries count as missing"
    for namespace, entries in written.items():
        now = stored(tmp_path, namespace)
        for key in entries:
            decode(now[key], key)  # written again, whole


def test_a_damaged_or_cut_pack_is_no_entry(tmp_path: Path, parsed_paths: list[str]) -> None:
    target = str(FIXTURES / "count_50")
    expected = outcome(lint([target], cached(tmp_path)))
    for pack in (tmp_path / cache_module.LAYOUT).rglob("*.pack"):
        data = pack.read_bytes()
        # Flipping the checksum's last byte always damages it; writing a fixed byte would not
        # when the checksum happened to end in that byte.
        pack.write_bytes(data[: len(data) // 2] if "parse" in pack.parts else data[:-1] + bytes([data[-1] ^ 0xFF]))
    parsed_paths.clear()
    assert outcome(lint([target], cached(tmp_path))) == expected
    assert parsed_paths == ["main.tf"]
    parsed_paths.clear()
    assert outcome(lint([target], cached(tmp_path))) == expected
    assert parsed_paths == [], "the entries were written again"


def test_a_run_writes_one_pack_per_namespace_and_many_packs_are_merged(tmp_path: Path) -> None:
    module = tmp_path / "repo"
    module.mkdir()
    cache = tmp_path / "cache"
    for count in range(cache_module.MAX_PACKS + 2):
        (module / "main.tf").write_text((FIXTURES / "count_50" / "main.tf").read_text().replace("50", str(count + 11)))
        assert [f.rule_id for f in lint([str(module)], cached(cache)).findings] == ["DDB001"]
        packs = list((cache / cache_module.LAYOUT / "parse").iterdir())
        assert all(p.name.endswith(".pack") for p in packs), "no temporary file is left"
        assert len(packs) == (count + 1 if count < cache_module.MAX_PACKS else count + 1 - cache_module.MAX_PACKS)
    assert len(stored(cache, "parse")) == cache_module.MAX_PACKS + 2  # merged, every entry kept
    assert {oct(p.stat().st_mode & 0o777) for p in (cache / cache_module.LAYOUT).rglob("*.pack")} == {"0o600"}
    assert {oct(p.stat().st_mode & 0o777) for p in (cache / cache_module.LAYOUT).rglob("*") if p.is_dir()} == {"0o700"}


def test_entries_of_other_code_are_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed_paths: list[str]
) -> None:
    target = str(FIXTURES / "count_50")
    lint([target], cached(tmp_path))
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: b"a later release")
    parsed_paths.clear()
    lint([target], cached(tmp_path))
    assert parsed_paths == ["main.tf"]


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    lint([str(FIXTURES / "count_50")], Settings(cache=False, cache_dir=str(tmp_path)))
    assert list(tmp_path.iterdir()) == []


def test_a_cache_directory_that_cannot_be_made_means_no_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    assert open_cache(True, str(blocker / "cache")) is None
    result = lint([str(FIXTURES / "count_50")], cached(blocker / "cache"))
    assert [f.rule_id for f in result.findings] == ["DDB001"]


def test_the_default_directory_is_the_user_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_directory() == str(tmp_path / "ddblint")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_directory() == os.path.join(os.path.expanduser("~"), ".cache", "ddblint")


def test_parser_tables_live_in_the_user_cache_and_a_damaged_file_is_rebuilt(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Lark would keep them in the shared temporary directory, which a first run did not find and others can write."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    compat.hcl2_parser.cache_clear()
    try:
        compat.hcl2_parser()
        [tables] = (tmp_path / "xdg" / "ddblint").rglob("hcl2-*.tables")
        tables.write_bytes(b"not a table")
        compat.hcl2_parser.cache_clear()
        parsed = parse_text("main.tf", "locals {\n  a = b.*.c\n}\n")  # a splat: the fast parser leaves it to Lark
    finally:
        compat.hcl2_parser.cache_clear()
    assert [block.type for block in parsed.blocks] == ["locals"] and parsed.problem is None
    assert tables.stat().st_size > 1000  # built again in place of the damaged file
    assert list((tmp_path / "tmp").iterdir()) == []


def test_planted_parser_tables_run_no_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The tables file is marshal data of plain values: a pickle, or marshalled code, planted there runs nothing."""
    import marshal
    import pickle

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    proof = tmp_path / "ran"

    class Planted:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {proof}",))

    compat.hcl2_parser.cache_clear()
    try:
        compat.hcl2_parser()
        [tables] = (tmp_path / "xdg" / "ddblint").rglob("hcl2-*.tables")
        for planted in (pickle.dumps(Planted()), marshal.dumps(compile(f"open({str(proof)!r}, 'w')", "x", "exec"))):
            tables.write_bytes(planted)
            compat.hcl2_parser.cache_clear()
            parsed = parse_text("main.tf", "locals {\n  a = b.*.c\n}\n")  # a splat: the fast parser leaves it to Lark
            assert [block.type for block in parsed.blocks] == ["locals"]
    finally:
        compat.hcl2_parser.cache_clear()
    assert not proof.exists()


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert default_directory() == os.path.join(os.path.expanduser("~"), ".cache", "ddblint")


def test_a_parse_that_ran_out_of_time_is_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def too_slow(path: str, data: bytes, time_budget: float) -> ParsedFile:
        return ParsedFile(path, problem=TimeoutProblem(path, "parsing took longer than 0.001s"))

    monkeypatch.setattr(schedule, "parse_bytes", too_slow)
    target = str(FIXTURES / "count_50")
    assert [f.rule_id for f in lint([target], cached(tmp_path)).findings] == ["DDB000"]
    monkeypatch.undo()
    assert [f.rule_id for f in lint([target], cached(tmp_path)).findings] == ["DDB001"]


def _store_repeatedly(directory: str, marker: int) -> None:
    for _ in range(30):
        cache = Cache(directory)
        cache.store("race", "ab" + "0" * 38, [marker] * 200_000)
        cache.close()


def test_concurrent_writers_never_leave_a_partial_entry(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_store_repeatedly, args=(str(tmp_path), n)) for n in range(3)]
    for writer in writers:
        writer.start()
    seen = set()
    while any(w.is_alive() for w in writers):
        reader = Cache(str(tmp_path))
        value = reader.load("race", "ab" + "0" * 38)
        reader.close()
        if value is not None:
            assert len(value) == 200_000 and len(set(value)) == 1
            seen.add(value[0])
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert seen and seen <= {0, 1, 2}
    leftovers = [p.name for p in (tmp_path / cache_module.LAYOUT / "race").iterdir()]
    assert len(leftovers) == 90 and all(name.endswith(".pack") for name in leftovers)
    assert set(stored(tmp_path, "race")) == {"ab" + "0" * 38}


def test_a_parser_worker_hands_its_entries_to_the_run(tmp_path: Path) -> None:
    """Only the run's own process writes packs: a copy of the cache in another process stores nothing."""
    cache = Cache(str(tmp_path))
    context = multiprocessing.get_context("fork")
    worker = context.Process(target=cache.store, args=("race", "cd" + "0" * 38, "from a worker"))
    worker.start()
    worker.join()
    cache.close()
    assert not (tmp_path / cache_module.LAYOUT / "race").exists()


def test_a_module_that_gains_items_is_found_on_a_warm_run(tmp_path: Path) -> None:
    module = tmp_path / "repo" / "app"
    module.mkdir(parents=True)
    main = module / "main.tf"
    main.write_text('resource "aws_s3_bucket" "b" {}\n')
    old = time.time() - 60
    os.utime(main, (old, old))
    settings = cached(tmp_path / "cache")
    assert lint([str(tmp_path / "repo")], settings).findings == []
    main.write_text((FIXTURES / "count_50" / "main.tf").read_text())
    assert [f.rule_id for f in lint([str(tmp_path / "repo")], settings).findings] == ["DDB001"]


def test_a_named_pipe_under_a_packs_name_is_no_pack(tmp_path: Path) -> None:
    target = str(FIXTURES / "count_50")
    expected = outcome(lint([target], cached(tmp_path)))
    pipe = tmp_path / cache_module.LAYOUT / "parse" / "99999999999999999999-1-aaaa.pack"
    os.mkfifo(pipe)
    done = subprocess.run(
        [sys.executable, "-m", "ddblint", target, "--cache-dir", str(tmp_path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,  # opening the pipe for reading would wait for a writer forever
    )
    assert done.returncode == 1, done.stderr
    assert outcome(lint([target], cached(tmp_path))) == expected


def test_more_packs_than_open_files_allow_are_read_up_to_a_bound(tmp_path: Path) -> None:
    target = str(FIXTURES / "count_50")
    expected = outcome(lint([target], cached(tmp_path)))
    parse_dir = tmp_path / cache_module.LAYOUT / "parse"
    (pack,) = list(parse_dir.glob("*.pack"))
    for n in range(300):
        (parse_dir / f"{n:020d}-1-copy.pack").write_bytes(pack.read_bytes())
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))\n"
        "from ddblint.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, target, "--cache-dir", str(tmp_path), "--format", "json", "--jobs", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert outcome(lint([target], cached(tmp_path))) == expected


def test_half_written_packs_a_killed_run_left_are_removed_and_a_running_one_s_are_not(tmp_path: Path) -> None:
    target = str(FIXTURES / "count_50")
    lint([target], cached(tmp_path))
    folder = tmp_path / cache_module.LAYOUT / "parse"
    stale, current = folder / ".tmp-killedrun", folder / ".tmp-running"
    for path in (stale, current):
        path.write_bytes(b"half a pack")
    old = time.time() - packs.STALE_SECONDS - 60
    os.utime(stale, (old, old))
    os.symlink("/etc/hostname", folder / ".tmp-link")  # not a regular file: left alone
    lint([str(FIXTURES / "count_length_var")], cached(tmp_path))  # a run that writes to the namespace
    assert not stale.exists()
    assert current.exists() and (folder / ".tmp-link").is_symlink()
