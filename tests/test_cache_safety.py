"""The cache cannot run code, covers every entry, holds no finding's secret, and never changes what a run finds."""

from __future__ import annotations

import json
import marshal
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ddblint.api import lint
from ddblint.cache import codec
from ddblint.config.settings import Settings
from ddblint.evaluate.analysis import ItemSet
from ddblint.findings import Finding, Severity
from ddblint.result import Result
from ddblint.span import Span
from tests.cache_entries import namespaces, replace, stored
from tests.conftest import FIXTURES

COUNTED = (FIXTURES / "count_50" / "main.tf").read_text()


class _Planted:
    """Unpickling this runs ``os.system``: what a pickle cache would do with a planted entry."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def outcome(result: Result) -> list[tuple[Any, ...]]:
    return [(f.rule_id, f.span, f.message, f.address, f.evidence, f.suppressed) for f in result.findings]


def written_besides_parser_tables(directory: Path) -> list[Path]:
    """Files under ``directory`` but the parser's tables, which ddblint keeps in the default directory always."""
    return [p for p in directory.rglob("*") if p.is_file() and "parser" not in p.parts] if directory.exists() else []


def ddblint(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ddblint", *args], env={**os.environ, **env}, capture_output=True, text=True
    )


@pytest.mark.parametrize("fixture", ["count_50", "keys"])  # keys: tables named by string, so analyses are kept too
def test_the_cache_cannot_run_code_from_a_planted_entry(tmp_path: Path, fixture: str) -> None:
    cache = tmp_path / "cache"
    target = str(FIXTURES / fixture)
    expected = outcome(lint([target], Settings(cache=False)))
    lint([target], Settings(cache_dir=str(cache)))
    marker = tmp_path / "ran"
    planted = pickle.dumps(_Planted(marker))
    written = {namespace: stored(cache, namespace) for namespace in namespaces(cache)}
    assert set(written) >= {"parse", "outcomes"} and (fixture != "keys" or {"roots", "findings"} <= set(written))
    for namespace, keys in written.items():
        replace(cache, namespace, dict.fromkeys(keys, planted))
    assert outcome(lint([target], Settings(cache_dir=str(cache)))) == expected
    assert not marker.exists()
    for namespace, keys in written.items():  # every planted entry was a miss, and the right one was written again
        now = stored(cache, namespace)
        for key in keys:
            codec.decode(now[key], key)


def test_the_cache_cannot_run_code_from_a_planted_catalog_entry(tmp_path: Path) -> None:
    home = tmp_path / "xdg"
    ddblint(str(FIXTURES / "count_50"), env={"XDG_CACHE_HOME": str(home)})
    (key,) = stored(home / "ddblint", "catalog")
    marker = tmp_path / "ran"
    replace(home / "ddblint", "catalog", {key: pickle.dumps(_Planted(marker))})
    for flags in ([], ["--no-cache"]):
        result = ddblint(str(FIXTURES / "count_50"), "--format", "concise", *flags, env={"XDG_CACHE_HOME": str(home)})
        assert result.returncode == 1 and "DDB001" in result.stdout
    assert not marker.exists()


def test_the_cache_refuses_code_objects_and_foreign_classes() -> None:
    key = "ab" * 20
    good = codec.encode([Span("main.tf", 3)], key)
    assert good is not None and codec.decode(good, key) == [Span("main.tf", 3)]
    for body in (
        marshal.dumps(((), compile("print('hi')", "x", "exec"))),
        marshal.dumps((("os.system",), (..., 0, "touch /tmp/x"))),
        marshal.dumps((("ddblint.findings.Span",), (..., 3, "main.tf"))),
    ):
        with pytest.raises(codec.CacheFormatError):
            codec.decode(codec._header(key, body) + body, key)
    with pytest.raises(codec.CacheFormatError):
        codec.decode(good[:-1] + bytes([good[-1] ^ 1]), key)  # the checksum no longer matches
    assert codec.encode(object(), key) is None


def test_the_cache_keeps_shared_objects_shared() -> None:
    finding = Finding("DDB001", Severity.WARNING, "m", Span("main.tf"))
    key = "cd" * 20
    blob = codec.encode([finding, finding, (..., "a plain tuple that starts with Ellipsis")], key)
    assert blob is not None
    first, second, plain = codec.decode(blob, key)
    assert first is second and first == finding and plain == (..., "a plain tuple that starts with Ellipsis")


def test_no_cache_and_cache_dir_cover_every_entry_including_the_catalog(tmp_path: Path) -> None:
    home = tmp_path / "xdg"
    chosen = tmp_path / "chosen"
    ddblint(str(FIXTURES / "count_50"), "--no-cache", env={"XDG_CACHE_HOME": str(home)})
    assert not written_besides_parser_tables(home), "--no-cache wrote to the user's cache directory"
    ddblint(str(FIXTURES / "count_50"), "--cache-dir", str(chosen), env={"XDG_CACHE_HOME": str(home)})
    assert not written_besides_parser_tables(home), "--cache-dir was not used for every entry"
    assert len(stored(chosen, "catalog")) == 1 and stored(chosen, "parse")


def test_a_cache_directory_inside_the_scanned_repository_is_ignored(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "stack").mkdir()
    (repo / "stack" / "main.tf").write_text(COUNTED)
    home = tmp_path / "xdg"
    for place, flags in ((repo / ".cache", []), (repo / "cached", ["--cache-dir", str(repo / "cached")])):
        env = {"XDG_CACHE_HOME": str(place)}
        result = ddblint(str(repo / "stack"), "--format", "concise", *flags, env=env)
        assert result.returncode == 1 and "DDB001" in result.stdout
        assert "not using the cache" in result.stderr and "inside the scanned repository" in result.stderr
        assert not written_besides_parser_tables(place)
    assert ddblint(str(repo / "stack"), "-q", env={"XDG_CACHE_HOME": str(home)}).stderr == ""
    assert stored(home / "ddblint", "parse")


def test_the_cache_holds_findings_after_redaction(tmp_path: Path) -> None:
    target = str(FIXTURES / "secrets")
    cold = lint([target], Settings(cache_dir=str(tmp_path)), keep_analysis=True)
    item_sets: list[ItemSet] = cold.analysis.item_sets if cold.analysis else []
    secrets = {secret.text for s in item_sets for _, secret in s.secrets}
    assert secrets and any(f.rule_id == "DDB024" for f in cold.findings)
    kept = [codec.decode(blob, key) for key, blob in stored(tmp_path, "findings").items()]
    texts = json.dumps([[f.message, *f.evidence] for checked in kept for f in checked.findings])
    assert "DDB024" in json.dumps([[f.rule_id for f in checked.findings] for checked in kept])
    assert not [secret for secret in secrets if secret in texts]
    warm = lint([target], Settings(cache_dir=str(tmp_path)))
    assert outcome(warm) == outcome(cold) == outcome(lint([target], Settings(cache=False)))


def test_the_prefilter_follows_content_not_size_and_mtime(tmp_path: Path) -> None:
    module = tmp_path / "repo"
    module.mkdir()
    main = module / "main.tf"
    main.write_text(COUNTED.replace('"aws_dynamodb_table_item"', '"aws_dynamodb_table_itex"'))
    settled = os.stat(main).st_mtime_ns - 60_000_000_000
    os.utime(main, ns=(settled, settled))
    settings = Settings(cache_dir=str(tmp_path / "cache"))
    assert lint([str(module)], settings).findings == []
    main.write_text(COUNTED)  # the same size, and the mtime put back
    os.utime(main, ns=(settled, settled))
    warm = lint([str(module)], settings)
    assert [f.rule_id for f in warm.findings] == ["DDB001"]
    assert outcome(warm) == outcome(lint([str(module)], Settings(cache=False)))


def test_the_prefilter_gives_the_same_problems_cold_and_warm_with_max_file_size(tmp_path: Path) -> None:
    target = str(FIXTURES / "count_50")
    cache = str(tmp_path / "cache")
    small = Settings(cache_dir=cache, max_file_size=100)
    cold = outcome(lint([target], small))
    assert [finding[0] for finding in cold] == ["DDB000"]
    assert outcome(lint([target], Settings(cache_dir=cache))) != cold
    assert outcome(lint([target], small)) == cold == outcome(lint([target], Settings(cache=False, max_file_size=100)))


def test_a_cache_entry_under_the_wrong_key_is_repaired(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for module, count in ((first, 50), (second, 5)):
        module.mkdir()
        (module / "main.tf").write_text(COUNTED.replace("count      = 50", f"count      = {count}"))
    cache = tmp_path / "cache"
    lint([str(first)], Settings(cache_dir=str(cache)))
    ((wrong, tree),) = stored(cache, "parse").items()
    (first_outcome,) = stored(cache, "outcomes")
    lint([str(second)], Settings(cache_dir=str(cache)))
    (right,) = [key for key in stored(cache, "parse") if key != wrong]
    (own,) = [key for key in stored(cache, "outcomes") if key != first_outcome]
    replace(cache, "parse", {wrong: tree, right: tree})  # the 50-item file's tree, under the 5-item file's key
    replace(cache, "outcomes", {first_outcome: tree, own: tree})  # and under the root's outcome's key, read first
    assert lint([str(second)], Settings(cache_dir=str(cache))).findings == []
    repaired = stored(cache, "parse")[right]
    assert codec.decode(repaired, right).blocks != [] and repaired != tree
    assert codec.decode(stored(cache, "outcomes")[own], own).inputs.files


@pytest.mark.parametrize("fixture", [p.name for p in sorted(FIXTURES.iterdir()) if p.is_dir()])
def test_the_cache_can_hold_every_value_class_an_analysis_reaches(fixture: str) -> None:
    """A value class defined in a module the codec does not allow would silently never be cached."""
    result = lint([str(FIXTURES / fixture)], Settings(cache=False), keep_analysis=True)
    assert result.analysis is not None
    key = "ef" * 20
    blob = codec.encode(result.analysis, key)
    assert blob is not None
    assert len(codec.decode(blob, key).item_sets) == len(result.analysis.item_sets)
