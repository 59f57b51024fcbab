"""The wheel carries the rule catalog and works without the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from email import message_from_bytes
from email.message import Message
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


def _metadata(wheel: Path) -> Message:
    archive = zipfile.ZipFile(wheel)
    name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    return message_from_bytes(archive.read(name))


def test_wheel_metadata_names_the_license_and_ships_its_text(wheel: Path) -> None:
    metadata = _metadata(wheel)
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("License-File") == ["LICENSE"]
    archive = zipfile.ZipFile(wheel)
    [shipped] = [n for n in archive.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
    text = archive.read(shipped).decode()
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert text == (PROJECT / "LICENSE").read_text()


def test_wheel_metadata_classifies_the_project(wheel: Path) -> None:
    metadata = _metadata(wheel)
    classifiers = set(metadata.get_all("Classifier") or ())
    for minor in (10, 11, 12, 13):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert metadata["Requires-Python"] == ">=3.10"
    assert "Operating System :: OS Independent" in classifiers
    assert "Environment :: Console" in classifiers
    assert any(c.startswith("Topic :: ") for c in classifiers)
    assert not any(c.startswith("License :: ") for c in classifiers), "the license expression replaces these"
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL") or ())
    assert {"Homepage", "Source", "Issues"} <= set(urls)
    assert all(url.startswith("https://") for url in urls.values())


def test_wheel_is_typed_and_its_runtime_install_stays_small(wheel: Path) -> None:
    assert "ddblint/py.typed" in zipfile.ZipFile(wheel).namelist()
    required = _metadata(wheel).get_all("Requires-Dist") or []
    runtime = sorted(r.split(";")[0].split("<")[0].split(">")[0].strip() for r in required if "extra ==" not in r)
    assert runtime == ["click", "google-re2", "python-hcl2", "pyyaml", "rich", "tomli", "typer"]
    test_only = {r.split(">")[0].split("[")[0] for r in required if "extra == 'test'" in r}
    assert {"pytest", "moto", "mypy", "ruff"} <= test_only
