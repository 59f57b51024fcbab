"""Each file is read once per run: the prefilter's bytes are what the parser parses, cold and warm."""

from __future__ import annotations

import builtins
import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ddblint.api import lint
from ddblint.config.settings import Settings
from ddblint.discover import scan

FILES = {
    "envs/prod/main.tf": 'module "seed" {\n  source   = "../../modules/seed"\n  for_each = toset(["a", "b"])\n}\n',
    "envs/prod/terraform.tfvars": 'region = "eu-west-1"\n',
    "envs/prod/variables.tf": 'variable "region" {}\n',
    "modules/seed/main.tf": (
        'resource "aws_dynamodb_table_item" "user" {\n'
        '  for_each   = { for u in jsondecode(file("${path.module}/users.json")) : u.id => u }\n'
        '  table_name = "users"\n'
        '  hash_key   = "id"\n'
        "  item       = jsonencode({ id = { S = each.key } })\n"
        "}\n"
    ),
    "modules/seed/users.json": '[{"id": "u1"}, {"id": "u2"}]\n',
    "tables/main.tf": (
        'resource "aws_dynamodb_table" "users" {\n  name     = "users"\n  hash_key = "pk"\n'
        '  attribute {\n    name = "pk"\n    type = "S"\n  }\n}\n'
    ),
    "network/main.tf": 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n',
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    settled = time.time() - 60  # old enough for the prefilter memo to trust size and mtime
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.utime(path, (settled, settled))
    return root


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch, repo: Path) -> Counter[str]:
    """How often each file of the repository is opened, by its path relative to the repository."""
    counts: Counter[str] = Counter()

    def note(file: Any) -> None:
        if isinstance(file, (str, Path)) and str(file).startswith(str(repo) + os.sep):
            counts[os.path.relpath(file, repo).replace(os.sep, "/")] += 1

    def counting(real: Callable[..., Any]) -> Callable[..., Any]:
        def opening(file: Any, *args: Any, **kwargs: Any) -> Any:
            note(file)
            return real(file, *args, **kwargs)

        return opening

    monkeypatch.setattr(builtins, "open", counting(builtins.open))  # a file object from a path
    monkeypatch.setattr(os, "open", counting(os.open))  # a descriptor (then wrapped by open(), not counted again)
    return counts


def _findings(repo: Path, settings: Settings) -> list[tuple[str, str, int]]:
    result = lint([str(repo)], settings)
    assert not result.internal_errors
    return sorted((f.rule_id, os.path.relpath(f.span.path, repo), f.span.line) for f in result.findings)


def test_without_a_cache_every_file_is_read_once(repo: Path, opened: Counter[str]) -> None:
    findings = _findings(repo, Settings(cache=False, jobs=1))
    assert ("DDB020", "modules/seed/main.tf", 1) in findings, "the table found by name in another root"
    assert max(opened.values()) == 1, opened
    assert {"envs/prod/main.tf", "envs/prod/terraform.tfvars", "modules/seed/users.json", "tables/main.tf"} <= set(
        opened
    ), opened


def test_cold_and_warm_runs_read_every_file_at_most_once(repo: Path, opened: Counter[str], tmp_path: Path) -> None:
    settings = Settings(cache_dir=str(tmp_path / "cache"), jobs=1)
    cold = _findings(repo, settings)
    assert cold and max(opened.values()) == 1, opened
    opened.clear()
    warm = _findings(repo, settings)
    assert warm == cold
    assert max(opened.values()) == 1, opened
    assert "network/main.tf" in opened, "the prefilter reads content every run: a size and mtime can lie"


def test_bytes_past_the_memory_limit_wait_in_a_spool_and_each_file_is_still_read_once(
    repo: Path, opened: Counter[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _findings(repo, Settings(cache=False, jobs=1))
    opened.clear()
    monkeypatch.setattr(scan, "IN_MEMORY_BYTES", 0)  # every file's bytes go to the spool
    for settings in (Settings(cache=False, jobs=1), Settings(cache_dir=str(tmp_path / "cache"), jobs=1)):
        assert _findings(repo, settings) == expected
        assert max(opened.values()) == 1, opened
        opened.clear()


def test_the_spool_hands_back_what_was_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "IN_MEMORY_BYTES", 10)
    contents = scan.FileContents()
    contents.keep("/r/a/small.tf", b"x = 1\n")  # in memory
    contents.keep("/r/a/large.tf", b"y" * 100)  # over the limit: spooled
    contents.keep("/r/b/other.tf", b"z" * 50)
    assert contents.peek("/r/a/large.tf") == b"y" * 100 and contents.size("/r/a/large.tf") == 100
    contents.retain({"/r/a"})
    assert contents.take("/r/b/other.tf") is None
    assert contents.take("/r/a/large.tf") == b"y" * 100
    assert contents.take("/r/a/large.tf") is None  # handed over once
    assert contents.take("/r/a/small.tf") == b"x = 1\n"
