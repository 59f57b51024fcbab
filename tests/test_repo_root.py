"""Repository-relative paths: found by walking up to ``.git``, symlinks resolved."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ddblint.repo_paths import RepoPaths, find_repo_root


def test_the_root_is_the_nearest_directory_holding_git(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "a" / "b").mkdir(parents=True)
    assert find_repo_root(str(tmp_path / "repo" / "a" / "b")) == os.path.realpath(tmp_path / "repo")


def test_a_git_file_marks_a_worktree_or_submodule_root(tmp_path: Path) -> None:
    (tmp_path / "outer" / ".git").mkdir(parents=True)
    (tmp_path / "outer" / "sub").mkdir()
    (tmp_path / "outer" / "sub" / ".git").write_text("gitdir: ../.git/modules/sub\n", encoding="utf-8")
    assert find_repo_root(str(tmp_path / "outer" / "sub")) == os.path.realpath(tmp_path / "outer" / "sub")


def test_without_a_repository_the_scan_root_is_the_root(tmp_path: Path) -> None:
    if any((parent / ".git").exists() for parent in tmp_path.resolve().parents):
        pytest.skip("the temporary directory is inside a git repository")
    assert find_repo_root(str(tmp_path)) == os.path.realpath(tmp_path)


def test_paths_are_relative_with_symlinks_resolved(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "stacks").mkdir()
    (tmp_path / "repo" / "stacks" / "main.tf").write_text("", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "repo")
    paths = RepoPaths.for_scan(str(tmp_path / "link" / "stacks"))
    assert paths.relative(str(tmp_path / "link" / "stacks" / "main.tf")) == "stacks/main.tf"
    assert paths.relative(str(tmp_path / "elsewhere.tf")) is None
    assert paths.display(str(tmp_path / "elsewhere.tf")) == os.path.realpath(tmp_path / "elsewhere.tf")


def test_suppression_origins_keep_their_line(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    paths = RepoPaths.for_scan(str(tmp_path))
    assert paths.origin(f"{tmp_path}/stacks/main.tf:12") == "stacks/main.tf:12"
    assert paths.origin(f"{tmp_path}/.ddblint.yaml") == ".ddblint.yaml"
    assert paths.origin("baseline.json") == "baseline.json"
