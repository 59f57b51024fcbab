"""Reports and baselines written with ``-o``, ``--write-baseline`` and ``state -o``: what ends up on disk."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from ddblint.atomic import atomic_writer
from ddblint.cli import main
from tests.conftest import FIXTURES, current_umask

EXAMPLE = str(FIXTURES / "count_50")


def run(*args: str) -> int:
    """The exit code of ``ddblint ARGS``, run in this process."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    return int(exited.value.code or 0)


def _char_device(tmp_path: Path) -> Path:
    """A null device of the test's own when this process may make one, else the machine's, only written to."""
    own = tmp_path / "null"
    try:
        os.mknod(own, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError):
        return Path("/dev/null")
    return own


def test_output_writer_never_replaces_non_regular_files(tmp_path: Path) -> None:
    device = _char_device(tmp_path)
    before = os.stat(device)
    assert run(EXAMPLE, "--format", "json", "-o", str(device), "-q") == 1
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino

    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    assert run(EXAMPLE, "--format", "json", "-o", str(fifo), "-q") == 1
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(received[0])["findings"][0]["rule"] == "DDB001"


def test_output_writer_follows_symlinks_to_their_target(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "ddblint.json"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    assert run(EXAMPLE, "--format", "json", "-o", str(link), "-q") == 1
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["summary"]["findings"] == 1

    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "created.json")
    assert run(EXAMPLE, "--format", "json", "-o", str(dangling), "-q") == 1
    assert dangling.is_symlink() and json.loads((tmp_path / "created.json").read_text())["version"] == 1


def test_output_writer_is_atomic_for_regular_files(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_writer(target) as stream:
        stream.write("half of the new")
        raise RuntimeError("killed")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_output_files_keep_sensible_modes(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.sarif"
    assert run(EXAMPLE, "--format", "sarif", "-o", str(fresh), "-q") == 1
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~current_umask()

    shared = tmp_path / "shared.json"
    shared.write_text("{}")
    shared.chmod(0o644)
    assert run(EXAMPLE, "--format", "json", "-o", str(shared), "-q") == 1
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644

    private = tmp_path / "private.json"
    private.write_text("{}")
    private.chmod(0o600)
    assert run(EXAMPLE, "--write-baseline", str(private), "-q") == 0
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert json.loads(private.read_text())["findings"][0]["rule"] == "DDB001"


def test_write_baseline_creates_missing_parent_directories(tmp_path: Path) -> None:
    baseline = tmp_path / "ci" / "nested" / "base.json"
    assert run(EXAMPLE, "--write-baseline", str(baseline), "-q") == 0
    assert stat.S_IMODE(baseline.stat().st_mode) == 0o666 & ~current_umask()
    assert run(EXAMPLE, "--baseline", str(baseline), "-q") == 0


def test_state_output_writer_never_replaces_non_regular_files(tmp_path: Path) -> None:
    state = tmp_path / "terraform.tfstate"
    state.write_text(json.dumps({"version": 4, "resources": []}))
    device = _char_device(tmp_path)
    run("state", str(state), "-o", str(device))
    assert stat.S_ISCHR(os.stat(device).st_mode)
