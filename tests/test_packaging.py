"""The wheel carries the rule catalog and works without the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(PROJECT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("ddblint-*.whl"))


def test_wheel_contains_every_catalog_file(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {Path(n).name for n in names if n.startswith("ddblint/rule_catalog/")}
    expected = {p.name for p in (PROJECT / "rules").glob("DDB*.yaml")}
    assert expected and expected <= shipped


def test_wheel_contains_every_module_of_the_source_tree(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = {p.relative_to(PROJECT).as_posix() for p in (PROJECT / "ddblint").rglob("*.py")}
    assert sources - names == set()


def test_installed_wheel_reads_its_catalog_and_lints(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    environment = {**os.environ, "PYTHONPATH": str(target)}
    probe = (
        "import ddblint.catalog.entries as c, ddblint; "
        "print(ddblint.__file__); print(c.catalog_dir()); print(len(c.load_catalog()))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=environment, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert shown[0].startswith(str(target))
    assert shown[1].startswith(str(target))
    assert int(shown[2]) == len(list((PROJECT / "rules").glob("DDB*.yaml")))
    run = subprocess.run(
        [sys.executable, "-m", "ddblint", str(PROJECT / "fixtures" / "count_50"), "--format", "concise"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1, run.stderr
    assert "DDB001" in run.stdout
