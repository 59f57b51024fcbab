"""The pre-commit fast lane (``ddblint.nothing``): it answers only what the full run would answer.

For every tree below, ``ddblint FILES`` (the hook's command line, which tries the
lane first) and ``ddblint --format full FILES`` (an option, so Typer and the full
check, never the lane) must print the same and exit the same. Each case also says
whether the lane answers: when it does not, the full run is what printed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ddblint.nothing import nothing_to_check
from tests.conftest import FIXTURES
from tests.test_startup import modules_loaded_by

IRRELEVANT = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'
ITEM = (FIXTURES / "count_50" / "main.tf").read_text()


def ddblint(*args: str, cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    completed = subprocess.run(
        [sys.executable, "-m", "ddblint", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    return completed.returncode, completed.stdout, completed.stderr


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def calls(source: str) -> str:
    return f'module "x" {{\n  source = "{source}"\n}}\n'


def unix_socket(root: Path) -> None:
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(root / "network" / "sock.tf"))


def too_large(root: Path) -> None:
    (root / "network" / "big.tf").write_bytes(b"# padding\n" * (5 * 1024 * 1024 // 10 + 1))


CASES: dict[str, tuple[dict[str, str], Callable[[Path], None] | None, list[str], bool]] = {
    # name: (files, extra setup, paths named, whether the lane answers)
    "irrelevant file": ({"network/main.tf": IRRELEVANT}, None, ["network/main.tf"], True),
    "files of two modules": (
        {"network/main.tf": IRRELEVANT, "network/vars.tf": "", "dns/main.tf": IRRELEVANT, "dns/x.auto.tfvars": ""},
        None,
        ["network/main.tf", "dns/main.tf", "network/main.tf"],
        True,
    ),
    "calls an irrelevant module": (
        {"network/main.tf": calls("../modules/vpc"), "modules/vpc/main.tf": IRRELEVANT},
        None,
        ["network/main.tf"],
        True,
    ),
    "item in the module": ({"network/main.tf": IRRELEVANT, "network/items.tf": ITEM}, None, ["network/main.tf"], False),
    "calls a module with an item": (
        {"network/main.tf": calls("../modules/seed"), "modules/seed/main.tf": ITEM},
        None,
        ["network/main.tf"],
        False,
    ),
    "item spelled with an escape": (
        {"network/main.tf": IRRELEVANT.replace("aws_s3_bucket", "aws_dynamodb_table_\\u0069tem")},
        None,
        ["network/main.tf"],
        False,
    ),
    "run config with an error": (
        {"network/main.tf": IRRELEVANT, ".ddblint.yaml": "fail-on: sometimes\n"},
        None,
        ["network/main.tf"],
        False,
    ),
    "run config with a suppression": (
        {
            "network/main.tf": IRRELEVANT,
            ".ddblint.yaml": "suppress:\n  - paths: ['network/*.tf']\n    rules: [DDB002]\n",
        },
        None,
        ["network/main.tf"],
        False,
    ),
    "nested config beside the file": (
        {"network/main.tf": IRRELEVANT, "dns/main.tf": IRRELEVANT, "network/.ddblint.yml": "select: [DDB9]\n"},
        None,
        ["network/main.tf", "dns/main.tf"],
        False,
    ),
    "pyproject without ddblint's table": (
        {"network/main.tf": IRRELEVANT, "network/pyproject.toml": "[tool.black]\n", "pyproject.toml": "[x]\n"},
        None,
        ["network/main.tf"],
        True,
    ),
    "pyproject with ddblint's table": (
        {"network/main.tf": IRRELEVANT, "network/pyproject.toml": "[tool.ddblint]\nfail-on = 'often'\n"},
        None,
        ["network/main.tf"],
        False,
    ),
    "a socket named like a module file": ({"network/main.tf": IRRELEVANT}, unix_socket, ["network/main.tf"], False),
    "a file too large to scan": ({"network/main.tf": IRRELEVANT}, too_large, ["network/main.tf"], False),
    "a data file no module reads": (
        {"network/main.tf": IRRELEVANT, "network/regions.json": "[]"},
        None,
        ["network/regions.json"],
        True,
    ),
    "a data file a module with an item reads": (
        {"network/main.tf": 'locals {\n  regions = file("regions.json")\n}\n', "network/items.tf": ITEM},
        lambda root: (root / "network" / "regions.json").write_text("[]"),
        ["network/regions.json"],
        False,
    ),
    "a directory": ({"network/main.tf": IRRELEVANT}, None, ["network"], False),
    "a missing file": ({"network/main.tf": IRRELEVANT}, None, ["network/gone.tf"], False),
}


@pytest.fixture
def cache_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {**os.environ, "XDG_CACHE_HOME": str(tmp_path_factory.mktemp("user-cache"))}  # outside the repository


@pytest.mark.parametrize("case", list(CASES))
def test_the_hook_prints_what_the_full_run_prints(
    case: str, tmp_path: Path, cache_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    files, setup, paths, answered = CASES[case]
    (tmp_path / ".git").mkdir()
    write(tmp_path, files)
    if setup is not None:
        setup(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", cache_env["XDG_CACHE_HOME"])
    assert (nothing_to_check(paths) is not None) == answered
    hook = ddblint(*paths, cwd=tmp_path, env=cache_env)
    assert hook == ddblint("--format", "full", *paths, cwd=tmp_path, env=cache_env)
    if answered:
        assert hook[0] == 0 and hook[2] == "" and hook[1] == nothing_to_check(paths)


def test_the_lane_counts_the_files_and_modules_the_full_report_counts(
    tmp_path: Path, cache_env: dict[str, str]
) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, CASES["files of two modules"][0])
    assert ddblint("dns/main.tf", "network/main.tf", cwd=tmp_path, env=cache_env) == (
        0,
        "No aws_dynamodb_table_item in 4 Terraform files (2 modules): nothing to check.\n",
        "",
    )


def test_a_cache_inside_the_repository_is_told_by_the_full_run(tmp_path: Path, cache_env: dict[str, str]) -> None:
    """The note about a cache the run will not use comes from the check; the lane steps aside for it."""
    (tmp_path / ".git").mkdir()
    write(tmp_path, {"network/main.tf": IRRELEVANT})
    inside = {**cache_env, "XDG_CACHE_HOME": str(tmp_path / ".cache")}
    code, out, err = ddblint("network/main.tf", cwd=tmp_path, env=inside)
    assert (code, out) == (0, "No aws_dynamodb_table_item in 1 Terraform files (1 modules): nothing to check.\n")
    assert "not using the cache" in err
    assert (code, out, err) == ddblint("--format", "full", "network/main.tf", cwd=tmp_path, env=inside)


def test_nothing_to_check_loads_neither_the_checker_nor_what_its_value_classes_need(
    tmp_path: Path, cache_env: dict[str, str]
) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, {"network/main.tf": IRRELEVANT, "network/items.tf.bak": ITEM})
    loaded = modules_loaded_by(["network/main.tf"], tmp_path, cache_env)
    assert "ddblint.nothing" in loaded
    checker = {"ddblint.api", "ddblint.cli.check", "ddblint.config.effective", "ddblint.report", "ddblint.cache.store"}
    standard = {"dataclasses", "inspect", "typing", "pathlib", "hashlib", "json"}
    assert not (checker | standard) & loaded

    shutil.copy(FIXTURES / "count_50" / "main.tf", tmp_path / "network" / "items.tf")
    assert "ddblint.api" in modules_loaded_by(["network/main.tf"], tmp_path, cache_env)
