"""``ddblint migrate``: seed data, a seeding script run for real against moto, and the Terraform to drop the items."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ddblint.cli import main
from ddblint.migrate.terraform import MIGRATION_FILE
from tests.conftest import FIXTURES

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

REGION = "eu-west-1"
AWS_ENVIRONMENT = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}


def run_ddblint(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exited:
        main(list(args))
    return int(exited.value.code or 0), out.getvalue(), err.getvalue()


def copy_fixture(name: str, destination: Path) -> Path:
    target = destination / name
    shutil.copytree(FIXTURES / name, target)
    return target


def read_items(path: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return items


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """fixtures/migrate, copied, migrated once: (module dir, output dir, stdout)."""
    base = tmp_path_factory.mktemp("migrate")
    module = copy_fixture("migrate", base)
    out = base / "seed-data"
    code, stdout, stderr = run_ddblint("migrate", str(module), "--out", str(out))
    assert code == 0, stderr
    return module, out, stdout


# -- the data files ------------------------------------------------------------------


def test_data_files_hold_exactly_the_evaluated_items(migrated: tuple[Path, Path, str]) -> None:
    module, out, _ = migrated
    source = read_items(module / "data" / "parts.json")
    by_key = sorted(source, key=lambda p: f"{p['family']['S']}/{p['part_id']['S']}")  # for_each key order
    assert read_items(out / "parts.json") == by_key
    zones = read_items(out / "zones.json")
    assert len(zones) == 300
    assert zones[7] == {"zone_id": {"S": "zone-007"}, "rack": {"N": "7"}, "active": {"BOOL": False}}
    assert zones[8] == {"zone_id": {"S": "zone-008"}, "rack": {"N": "8"}, "active": {"BOOL": True}}


def test_a_second_migrate_leaves_its_files_unchanged(migrated: tuple[Path, Path, str]) -> None:
    module, out, _ = migrated
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    code, stdout, _ = run_ddblint("migrate", str(module), "--out", str(out))
    assert code == 0
    assert stdout.count("(unchanged)") == 4
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_an_edited_output_file_is_never_replaced(tmp_path: Path) -> None:
    module = copy_fixture("migrate", tmp_path)
    out = tmp_path / "seed"
    out.mkdir()
    (out / "zones.json").write_text("[]\n")
    code, stdout, stderr = run_ddblint("migrate", str(module), "--out", str(out))
    assert code == 2
    assert "zones.json already exists with other content" in stderr
    assert sorted(p.name for p in out.iterdir()) == ["zones.json"]  # nothing half-written
    assert (out / "zones.json").read_text() == "[]\n"


# -- the Terraform change --------------------------------------------------------------


def test_prints_removed_blocks_and_state_rm_commands(migrated: tuple[Path, Path, str]) -> None:
    module, _, stdout = migrated
    assert "removed {\n       from = aws_dynamodb_table_item.parts\n" in stdout
    assert "lifecycle {\n         destroy = false\n       }" in stdout
    assert "terraform state rm 'aws_dynamodb_table_item.parts'" in stdout
    assert "terraform state rm 'aws_dynamodb_table_item.zones'" in stdout
    assert "main.tf:21  aws_dynamodb_table_item.zones" in stdout
    assert not (module / MIGRATION_FILE).exists()


def test_write_creates_a_new_file_and_leaves_the_tf_files_alone(tmp_path: Path) -> None:
    module = copy_fixture("migrate", tmp_path)
    original = (module / "main.tf").read_bytes()
    code, stdout, stderr = run_ddblint("migrate", str(module), "--out", str(tmp_path / "seed"), "--write")
    assert code == 0, stderr
    written = (module / MIGRATION_FILE).read_text()
    assert written.count("removed {") == 2
    assert "from = aws_dynamodb_table_item.zones" in written
    assert "#   aws_dynamodb_table_item.zones (main.tf:21)" in written  # relative to the module, not the cwd
    assert (module / "main.tf").read_bytes() == original
    assert f"{MIGRATION_FILE}  2 removed block(s)" in stdout
    code, stdout, _ = run_ddblint("migrate", str(module), "--out", str(tmp_path / "seed"), "--write")
    assert code == 0
    assert f"{MIGRATION_FILE} (unchanged)  2 removed block(s)" in stdout


def test_written_terraform_is_formatted(tmp_path: Path) -> None:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("the terraform binary is not installed: cannot run `terraform fmt -check`")
    module = copy_fixture("module_fanout", tmp_path)
    code, _, stderr = run_ddblint("migrate", str(module), "--out", str(tmp_path / "seed"), "--write")
    assert code == 0, stderr
    checked = subprocess.run(
        [terraform, "fmt", "-check", "-diff", str(module / MIGRATION_FILE)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_items_in_a_module_are_removed_by_module_path(tmp_path: Path) -> None:
    """``removed`` takes ``module.x.type.name`` without keys; ``state rm`` needs each module instance."""
    module = copy_fixture("module_fanout", tmp_path)
    code, stdout, _ = run_ddblint("migrate", str(module), "--out", str(tmp_path / "seed"))
    assert code == 0
    assert "from = module.team_item.aws_dynamodb_table_item.team" in stdout
    command = next(line.strip() for line in stdout.splitlines() if "terraform state list" in line)
    pattern = command.split("grep -E ", 1)[1].split(" | ", 1)[0].strip("'")
    listed = [
        'module.team_item["alpha"].aws_dynamodb_table_item.team',
        'module.team_item["a\\"]b"].aws_dynamodb_table_item.team',
        'module.team_item["alpha"].aws_dynamodb_table_item.teams',
        'module.team_item["alpha"].aws_dynamodb_table.team',
        "aws_dynamodb_table_item.team",
    ]
    grep = shutil.which("grep")
    if grep is None:
        pytest.skip("no grep to run the generated pattern with")
    matched = subprocess.run([grep, "-E", pattern], input="\n".join(listed) + "\n", capture_output=True, text=True)
    assert matched.stdout.splitlines() == listed[:2]


# -- what cannot be migrated ------------------------------------------------------------


def test_example_migrates_the_products_and_refuses_the_unbounded_tenants(tmp_path: Path) -> None:
    module = copy_fixture("example", tmp_path)
    out = tmp_path / "seed"
    code, stdout, stderr = run_ddblint("migrate", str(module), "--out", str(out))
    assert code == 2
    assert "120 items for table shop-app, from aws_dynamodb_table_item.products" in stdout
    assert len(read_items(out / "shop-app.json")) == 120
    assert "cannot migrate module.tenant.aws_dynamodb_table_item.tenant" in stderr
    assert "the number of items has no bound (module.tenant for_each over var.tenants)" in stderr
    assert "config" not in stdout  # the seed item stays in Terraform


def write_module(directory: Path, body: str) -> Path:
    directory.mkdir()
    (directory / "main.tf").write_text(
        'resource "aws_dynamodb_table" "t" {\n  name     = "things"\n  hash_key = "pk"\n'
        '  attribute {\n    name = "pk"\n    type = "S"\n  }\n}\n' + body
    )
    return directory


def test_an_item_with_an_unknown_value_is_refused_naming_it(tmp_path: Path) -> None:
    module = write_module(
        tmp_path / "m",
        'variable "owner" {\n  type = string\n}\n'
        'resource "aws_dynamodb_table_item" "things" {\n  for_each   = toset(["a", "b"])\n'
        '  table_name = aws_dynamodb_table.t.name\n  hash_key   = "pk"\n'
        "  item = jsonencode({ pk = { S = each.key }, owner = { S = var.owner } })\n}\n",
    )
    code, _, stderr = run_ddblint(
        "migrate", str(module), "--out", str(tmp_path / "seed"), "--resource", "aws_dynamodb_table_item.things"
    )
    assert code == 2
    assert 'item ["a"]: var.owner has no default' in stderr
    assert not (tmp_path / "seed").exists()


def test_a_nondeterministic_item_is_refused(tmp_path: Path) -> None:
    module = write_module(
        tmp_path / "m",
        'resource "aws_dynamodb_table_item" "stamped" {\n  count      = 12\n'
        '  table_name = aws_dynamodb_table.t.name\n  hash_key   = "pk"\n'
        '  item = jsonencode({ pk = { S = "x${count.index}" }, at = { S = timestamp() } })\n}\n',
    )
    code, _, stderr = run_ddblint("migrate", str(module), "--out", str(tmp_path / "seed"))
    assert code == 2
    assert "12 of its items are not known exactly: item [0] uses timestamp()" in stderr
    assert "(and 9 more)" in stderr


def test_unknown_resource_address_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = run_ddblint(
        "migrate", str(FIXTURES / "example"), "--out", str(tmp_path), "--resource", "aws_dynamodb_table_item.nope"
    )
    assert code == 2
    assert "no aws_dynamodb_table_item 'aws_dynamodb_table_item.nope'" in stderr
    assert "aws_dynamodb_table_item.products" in stderr


def test_resource_selects_a_set_no_rule_flagged(tmp_path: Path) -> None:
    out = tmp_path / "seed"
    code, stdout, _ = run_ddblint(
        "migrate", str(FIXTURES / "example"), "--out", str(out), "--resource", "aws_dynamodb_table_item.config"
    )
    assert code == 0
    assert read_items(out / "shop-app.json") == [
        {"currency": {"S": "EUR"}, "max_cart_size": {"N": "50"}, "pk": {"S": "CONFIG"}, "sk": {"S": "v1"}}
    ]
    assert "terraform state rm 'aws_dynamodb_table_item.config'" in stdout


def test_the_configuration_decides_what_is_flagged(tmp_path: Path) -> None:
    """With DDB001 raised to 500 in .ddblint.yaml, the 300 zones are seed data; the file-driven parts still go."""
    module = copy_fixture("migrate", tmp_path)
    (module / ".ddblint.yaml").write_text("rules:\n  DDB001:\n    max-items: 500\n")
    out = tmp_path / "seed"
    code, stdout, stderr = run_ddblint("migrate", str(module), "--out", str(out))
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == ["parts.json", "seed_parts.py"]
    assert "aws_dynamodb_table_item.zones" not in stdout
    code, _, _ = run_ddblint("migrate", str(module), "--out", str(tmp_path / "all"), "--isolated")
    assert code == 0
    assert (tmp_path / "all" / "zones.json").exists()


def test_table_name_override_needs_a_single_table(tmp_path: Path) -> None:
    code, _, stderr = run_ddblint("migrate", str(FIXTURES / "migrate"), "--out", str(tmp_path), "--table-name", "x-y")
    assert code == 2
    assert "--table-name names one table, but the item sets write into 2" in stderr


def test_the_linter_never_imports_boto3() -> None:
    probe = (
        "import sys\n"
        "from ddblint.cli import main\n"
        "try:\n"
        f"    main(['check', {str(FIXTURES / 'example')!r}, '--format', 'concise'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('boto3' in sys.modules, 'botocore' in sys.modules)\n"
    )
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert shown.stdout.splitlines()[-1] == "False False"


# -- the seeding script, run for real against moto's DynamoDB ------------------------------


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def dynamodb(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    for name, value in AWS_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    return boto3.client("dynamodb", region_name=REGION, endpoint_url=endpoint)


def create_table(client: Any, name: str, partition_key: str, sort_key: str | None = None) -> None:
    keys = [(partition_key, "HASH")] + ([(sort_key, "RANGE")] if sort_key else [])
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": k, "KeyType": t} for k, t in keys],
        AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k, _ in keys],
        BillingMode="PAY_PER_REQUEST",
    )


def run_script(script: Path, endpoint: str, table: str, *flags: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **AWS_ENVIRONMENT}
    environment.pop("AWS_PROFILE", None)
    command = [sys.executable, str(script), "--endpoint-url", endpoint, "--region", REGION, "--table-name", table]
    return subprocess.run([*command, *flags], capture_output=True, text=True, env=environment, timeout=300)


def scan(client: Any, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=table):
        items.extend(page["Items"])
    return items


def canonical(value: Any) -> Any:
    """DynamoDB JSON as a comparable value: binary as base64, sets in sorted order."""
    if isinstance(value, dict) and len(value) == 1:
        kind, payload = next(iter(value.items()))
        if kind == "B":
            return {"B": base64.b64encode(payload).decode() if isinstance(payload, bytes) else payload}
        if kind in ("SS", "NS"):
            return {kind: sorted(payload)}
        if kind == "M":
            return {"M": {k: canonical(v) for k, v in payload.items()}}
        if kind == "L":
            return {"L": [canonical(v) for v in payload]}
        return value
    return value


def keyed(items: list[dict[str, Any]], *keys: str) -> dict[tuple[str, ...], dict[str, Any]]:
    return {tuple(i[k]["S"] for k in keys): {n: canonical(v) for n, v in i.items()} for i in items}


def test_seeding_script_loads_1200_items_with_their_types(
    migrated: tuple[Path, Path, str], dynamodb: Any, endpoint: str
) -> None:
    _, out, _ = migrated
    create_table(dynamodb, "parts-load", "family", "part_id")
    run = run_script(out / "seed_parts.py", endpoint, "parts-load")
    assert run.returncode == 0, run.stderr
    assert "parts-load: 1,200 items: 1,200 written, 0 kept (already present), 0 failed" in run.stdout
    assert "1,200/1,200 items (100%)" in run.stderr
    expected = keyed(read_items(out / "parts.json"), "family", "part_id")
    assert keyed(scan(dynamodb, "parts-load"), "family", "part_id") == expected
    first = dynamodb.get_item(TableName="parts-load", Key={"family": {"S": "bolt"}, "part_id": {"S": "P-00000"}})
    assert first["Item"]["code"] == {"B": b"\x00\x01\x02"}
    assert first["Item"]["fragile"] == {"BOOL": True}
    assert first["Item"]["note"] == {"NULL": True}


def test_seeding_is_idempotent_and_keeps_what_the_app_changed(
    migrated: tuple[Path, Path, str], dynamodb: Any, endpoint: str
) -> None:
    _, out, _ = migrated
    script = out / "seed_zones.py"
    create_table(dynamodb, "zones-app", "zone_id")
    assert run_script(script, endpoint, "zones-app").returncode == 0
    expected = keyed(read_items(out / "zones.json"), "zone_id")
    assert keyed(scan(dynamodb, "zones-app"), "zone_id") == expected

    again = run_script(script, endpoint, "zones-app")
    assert again.returncode == 0, again.stderr
    assert "300 items: 0 written, 300 kept (already present), 0 failed" in again.stdout

    changed = {"zone_id": {"S": "zone-003"}, "rack": {"N": "99"}, "active": {"BOOL": False}, "note": {"S": "moved"}}
    dynamodb.put_item(TableName="zones-app", Item=changed)
    dynamodb.delete_item(TableName="zones-app", Key={"zone_id": {"S": "zone-004"}})
    refill = run_script(script, endpoint, "zones-app")
    assert "300 items: 1 written, 299 kept (already present), 0 failed" in refill.stdout
    assert keyed(scan(dynamodb, "zones-app"), "zone_id")[("zone-003",)] == changed
    assert ("zone-004",) in keyed(scan(dynamodb, "zones-app"), "zone_id")

    overwrite = run_script(script, endpoint, "zones-app", "--overwrite")
    assert overwrite.returncode == 0, overwrite.stderr
    assert "300 items: 300 written, 0 kept (already present), 0 failed" in overwrite.stdout
    assert keyed(scan(dynamodb, "zones-app"), "zone_id") == expected


def test_dry_run_writes_nothing(migrated: tuple[Path, Path, str], dynamodb: Any, endpoint: str) -> None:
    _, out, _ = migrated
    create_table(dynamodb, "zones-dry", "zone_id")
    dynamodb.put_item(TableName="zones-dry", Item={"zone_id": {"S": "zone-010"}, "rack": {"N": "1"}})
    run = run_script(out / "seed_zones.py", endpoint, "zones-dry", "--dry-run")
    assert run.returncode == 0, run.stderr
    assert "dry run: would write 299 new items and keep 1 that exist" in run.stdout
    assert scan(dynamodb, "zones-dry") == [{"zone_id": {"S": "zone-010"}, "rack": {"N": "1"}}]


def test_a_missing_table_stops_the_script_with_a_clear_error(
    migrated: tuple[Path, Path, str], dynamodb: Any, endpoint: str
) -> None:
    _, out, _ = migrated
    run = run_script(out / "seed_zones.py", endpoint, "no-such-table")
    assert run.returncode == 2
    assert "table 'no-such-table' does not exist" in run.stderr
