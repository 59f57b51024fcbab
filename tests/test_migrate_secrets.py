"""``ddblint migrate`` of item sets that hold secrets: a warning, owner-only seed data, and a report that says so."""

from __future__ import annotations

import contextlib
import io
import stat
from pathlib import Path

import pytest

from ddblint.cli import main
from tests.conftest import current_umask

USERS = """resource "aws_dynamodb_table" "users" {
  name         = "users"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_dynamodb_table_item" "users" {
  count      = 20
  table_name = aws_dynamodb_table.users.name
  hash_key   = "id"
  item = jsonencode({
    id       = { S = "user-${count.index}" }
    SECRET
  })
}
"""
PASSWORD = 'password = { S = "Zq8!vR3allyS3cretPassw0rd-${count.index}" }'


def _migrate(module: Path, out: Path) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), pytest.raises(SystemExit) as exited:
        main(["migrate", str(module), "--out", str(out)])
    return int(exited.value.code or 0), stdout.getvalue(), stderr.getvalue()


def test_migrate_writes_seed_data_with_secrets_owner_only_and_says_so(tmp_path: Path) -> None:
    module = tmp_path / "stack"
    module.mkdir()
    (module / "main.tf").write_text(USERS.replace("SECRET", PASSWORD))
    code, stdout, stderr = _migrate(module, tmp_path / "seed-data")
    assert code == 0, stderr
    data = tmp_path / "seed-data" / "users.json"
    assert stat.S_IMODE(data.stat().st_mode) == 0o600
    assert "hold secrets (DDB024)" in stderr and "0600" in stderr
    assert "mode 0600: holds secrets" in stdout and "Secrets:" in stdout
    assert "Keep them out of version control" in stdout

    data.chmod(0o644)  # a second run leaves the content, and takes the mode back
    assert _migrate(module, tmp_path / "seed-data")[0] == 0
    assert stat.S_IMODE(data.stat().st_mode) == 0o600


def test_migrate_writes_seed_data_without_secrets_as_open_would(tmp_path: Path) -> None:
    module = tmp_path / "stack"
    module.mkdir()
    (module / "main.tf").write_text(USERS.replace("SECRET", 'tier = { S = "free" }'))
    code, stdout, stderr = _migrate(module, tmp_path / "seed-data")
    assert code == 0, stderr
    assert stat.S_IMODE((tmp_path / "seed-data" / "users.json").stat().st_mode) == 0o666 & ~current_umask()
    assert "secret" not in (stdout + stderr).lower()
