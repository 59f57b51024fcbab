"""On a generated monorepo, findings do not depend on the cache or on the number of parser processes."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from ddblint.api import lint
from ddblint.config.settings import Settings
from ddblint.parse import schedule
from ddblint.parse.syntax import ParsedFile
from ddblint.result import Result
from tests.benchmarks.generate_repo import GeneratedRepo, generate
from tests.test_cache import outcome


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> GeneratedRepo:
    return generate(tmp_path_factory.mktemp("monorepo") / "repo", 200)


@pytest.fixture(scope="module")
def uncached(repo: GeneratedRepo) -> Result:
    return lint([str(repo.root)], Settings(cache=False, jobs=1))


def summary(result: Result) -> tuple[Any, ...]:
    return (outcome(result), result.modules_seen, result.modules_parsed, result.item_sets)


def test_the_generated_repo_has_findings_and_most_modules_are_skipped(repo: GeneratedRepo, uncached: Result) -> None:
    assert {"DDB001", "DDB002"} <= {f.rule_id for f in uncached.findings}
    assert uncached.modules_seen >= repo.modules
    assert uncached.modules_parsed < uncached.modules_seen / 3  # the byte prefilter skipped the rest
    unreadable = {
        Path(f.span.path).relative_to(repo.root).as_posix() for f in uncached.findings if f.rule_id == "DDB000"
    }
    needed = {b for b in repo.broken_files if str(Path(b).parent) in repo.relevant_dirs}
    assert needed and unreadable == needed  # a broken file is reported where ddblint must read it, only there


def test_two_workers_find_what_one_finds(repo: GeneratedRepo, uncached: Result) -> None:
    assert summary(lint([str(repo.root)], Settings(cache=False, jobs=2))) == summary(uncached)


def test_cold_and_warm_cache_find_what_no_cache_finds(
    repo: GeneratedRepo, uncached: Result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(cache=True, cache_dir=str(tmp_path), jobs=2)
    assert summary(lint([str(repo.root)], settings)) == summary(uncached)
    parsed: list[str] = []
    real = schedule.parse_bytes

    def recording(path: str, data: bytes, time_budget: float) -> ParsedFile:
        parsed.append(path)
        return real(path, data, time_budget)

    monkeypatch.setattr(schedule, "parse_bytes", recording)
    assert summary(lint([str(repo.root)], Settings(cache=True, cache_dir=str(tmp_path), jobs=1))) == summary(uncached)
    assert parsed == []


def test_a_copy_of_the_repo_reuses_the_cache_and_finds_the_same(
    repo: GeneratedRepo, uncached: Result, tmp_path: Path
) -> None:
    """A second checkout reuses the entries keyed by content, and the paths in its findings are its own."""
    settings = Settings(cache=True, cache_dir=str(tmp_path / "cache"))
    lint([str(repo.root)], settings)
    copy = tmp_path / "checkout"
    shutil.copytree(repo.root, copy, symlinks=True)
    found = lint([str(copy)], settings)
    assert all(str(copy) in f.span.path for f in found.findings)
    relative = {
        (Path(f.span.path).relative_to(copy), f.rule_id, f.message.replace(str(copy), "")) for f in found.findings
    }
    expected = {
        (Path(f.span.path).relative_to(repo.root), f.rule_id, f.message.replace(str(repo.root), ""))
        for f in uncached.findings
    }
    assert relative == expected
