#!/usr/bin/env python3
"""Load one DynamoDB table's items from a JSON file, never overwriting what the application changed.

Written by ``ddblint migrate``: the items were managed by ``aws_dynamodb_table_item``
resources in Terraform, and now belong to the application. Run this script where a
table needs them (a new environment, a restored table); run it again at any time:
items that are already there are left alone.

How it writes, and why
----------------------
* Default: one conditional ``PutItem`` per item, with
  ``attribute_not_exists(<partition key>)``. DynamoDB then writes the item only when
  no item with the same primary key exists, so an item the application has edited
  since is kept as it is; a rejected condition is counted as "kept", not as an
  error. ``BatchWriteItem`` would be fewer requests, but it cannot carry a
  condition, and reading first to skip existing keys would race with the
  application writing in between. The puts run in a small thread pool
  (``--workers``, default 8), so thousands of items load in seconds while every
  single write stays conditional.
* ``--overwrite``: ``BatchWriteItem``, 25 items a request (its limit), for when the
  file is the truth. Items DynamoDB hands back as ``UnprocessedItems`` are sent
  again with exponential backoff and random jitter, up to ``MAX_BATCH_ATTEMPTS``
  tries, then counted as failed.
* Throttled requests are retried by botocore itself (standard retry mode).
* ``--dry-run`` writes nothing: it reads which keys exist (``BatchGetItem``, keys
  only) and tells what a real run would write and keep.

Exit status: 0 when every item is in the table, 1 when some items failed,
2 for a bad argument, an unreadable data file, a missing table or missing
credentials. Needs boto3 (``pip install boto3``).
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

# ddblint:settings:start
TABLE_NAME = "example-table"
PARTITION_KEY = "pk"
SORT_KEY: str | None = None
DATA_FILE = "example-table.json"
# ddblint:settings:end

BATCH_WRITE_LIMIT = 25  # items per BatchWriteItem request (a DynamoDB limit)
BATCH_GET_LIMIT = 100  # keys per BatchGetItem request (a DynamoDB limit)
MAX_BATCH_ATTEMPTS = 8  # tries for items returned as unprocessed
BACKOFF_BASE_SECONDS = 0.05
BACKOFF_CAP_SECONDS = 5.0
PROGRESS_INTERVAL_SECONDS = 1.0
ERRORS_SHOWN = 5


class SeedError(Exception):
    """A problem that stops the run before or while writing (exit status 2)."""


@dataclass
class Tally:
    """What happened to the items, for progress lines and the summary."""

    total: int
    written: int = 0
    kept: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.written + self.kept + self.failed


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=f"Load the items of {DATA_FILE} into DynamoDB table {TABLE_NAME}.")
    parser.add_argument("--table-name", default=TABLE_NAME, help=f"table to write into (default: {TABLE_NAME})")
    parser.add_argument("--region", help="AWS region (default: from the environment or AWS config)")
    parser.add_argument("--endpoint-url", help="DynamoDB endpoint, e.g. http://localhost:8000 for DynamoDB Local")
    parser.add_argument("--overwrite", action="store_true", help="replace items that already exist")
    parser.add_argument("--dry-run", action="store_true", help="write nothing; report what a run would do")
    parser.add_argument("--workers", type=int, default=8, help="requests in flight at once (default: 8)")
    parser.add_argument("--data-file", type=Path, help=f"items to load (default: {DATA_FILE} beside this script)")
    arguments = parser.parse_args(argv)
    if arguments.workers < 1:
        parser.error("--workers must be at least 1")
    return arguments


def load_items(path: Path) -> list[dict[str, Any]]:
    """The items of the data file, in the low-level client's shape (binary values as bytes)."""
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SeedError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise SeedError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(items, list):
        raise SeedError(f"{path} must hold a JSON list of items in DynamoDB JSON")
    for index, item in enumerate(items):
        missing = [k for k in (PARTITION_KEY, SORT_KEY) if k and not (isinstance(item, dict) and k in item)]
        if missing:
            raise SeedError(f"{path}: item {index} has no key attribute {missing[0]!r}")
    return [{name: to_wire(value) for name, value in item.items()} for item in items]


def to_wire(value: Any) -> Any:
    """DynamoDB JSON spells binary as base64 text; the boto3 client wants the bytes."""
    if not isinstance(value, dict) or len(value) != 1:
        return value
    kind, payload = next(iter(value.items()))
    if kind == "B":
        return {"B": base64.b64decode(payload)}
    if kind == "BS":
        return {"BS": [base64.b64decode(element) for element in payload]}
    if kind == "M":
        return {"M": {name: to_wire(element) for name, element in payload.items()}}
    if kind == "L":
        return {"L": [to_wire(element) for element in payload]}
    return value


def key_of(item: dict[str, Any]) -> dict[str, Any]:
    return {name: item[name] for name in (PARTITION_KEY, SORT_KEY) if name}


def chunks(items: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def backoff(attempt: int) -> float:
    """Exponential backoff with full jitter: spreads retries of parallel workers apart."""
    return random.uniform(0, min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt))


def error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def put_if_absent(client: Any, table: str, item: dict[str, Any]) -> str:
    """Write ``item`` unless its key exists; ``"written"`` or ``"kept"``."""
    from botocore.exceptions import ClientError

    try:
        client.put_item(
            TableName=table,
            Item=item,
            ConditionExpression="attribute_not_exists(#pk)",
            ExpressionAttributeNames={"#pk": PARTITION_KEY},
        )
    except ClientError as exc:
        if error_code(exc) == "ConditionalCheckFailedException":
            return "kept"
        raise
    return "written"


def batch_put(client: Any, table: str, batch: list[dict[str, Any]]) -> int:
    """Write up to 25 items, resending unprocessed ones; returns how many never got through."""
    pending = [{"PutRequest": {"Item": item}} for item in batch]
    for attempt in range(MAX_BATCH_ATTEMPTS):
        response = client.batch_write_item(RequestItems={table: pending})
        pending = response.get("UnprocessedItems", {}).get(table, [])
        if not pending:
            return 0
        time.sleep(backoff(attempt))
    return len(pending)


def existing_keys(client: Any, table: str, items: list[dict[str, Any]]) -> int:
    """How many of the items' keys are in the table already (read-only, for --dry-run)."""
    names = {f"#k{i}": name for i, name in enumerate(n for n in (PARTITION_KEY, SORT_KEY) if n)}
    found = 0
    for batch in chunks(items, BATCH_GET_LIMIT):
        keys = [key_of(item) for item in batch]
        request: dict[str, Any] = {
            table: {"Keys": keys, "ProjectionExpression": ", ".join(names), "ExpressionAttributeNames": names}
        }
        for attempt in range(MAX_BATCH_ATTEMPTS):
            response = client.batch_get_item(RequestItems=request)
            found += len(response.get("Responses", {}).get(table, []))
            request = response.get("UnprocessedKeys") or {}
            if not request:
                break
            time.sleep(backoff(attempt))
        else:
            raise SeedError("DynamoDB kept returning unprocessed keys; try again later")
    return found


class Progress:
    """Progress lines on stderr at most once a second, so large loads show they are alive."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.last = time.monotonic()

    def update(self, tally: Tally, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_INTERVAL_SECONDS:
            return
        self.last = now
        share = 100 * tally.done // max(tally.total, 1)
        sys.stderr.write(f"{self.label}: {tally.done:,}/{tally.total:,} items ({share}%)\n")


def run_pool(
    tasks: Sequence[Callable[[], None]], workers: int, stop: threading.Event, on_done: Callable[[], None]
) -> None:
    """Run the tasks in a thread pool; the first SeedError stops the ones not yet started."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(task) for task in tasks]
        for future in as_completed(futures):
            try:
                future.result()
            except SeedError:
                stop.set()
                for other in futures:
                    other.cancel()
                raise
            on_done()


def seed(client: Any, table: str, items: list[dict[str, Any]], arguments: argparse.Namespace) -> Tally:
    tally = Tally(len(items))
    lock = threading.Lock()
    stop = threading.Event()
    progress = Progress(table)

    def record(outcome: str, amount: int = 1, error: str = "") -> None:
        with lock:
            setattr(tally, outcome, getattr(tally, outcome) + amount)
            if error and len(tally.errors) < ERRORS_SHOWN:
                tally.errors.append(error)

    def put_one(item: dict[str, Any]) -> None:
        if stop.is_set():
            return
        try:
            record(put_if_absent(client, table, item))
        except Exception as exc:  # noqa: BLE001 - one failed item must not stop the others
            fatal_if_missing_table(exc, table)
            record("failed", error=f"{key_of(item)}: {exc}")

    def put_batch(batch: list[dict[str, Any]]) -> None:
        if stop.is_set():
            return
        try:
            unprocessed = batch_put(client, table, batch)
        except Exception as exc:  # noqa: BLE001 - one failed batch must not stop the others
            fatal_if_missing_table(exc, table)
            record("failed", len(batch), error=f"batch from {key_of(batch[0])}: {exc}")
            return
        record("written", len(batch) - unprocessed)
        if unprocessed:
            record(
                "failed", unprocessed, error=f"{unprocessed} items stayed unprocessed after {MAX_BATCH_ATTEMPTS} tries"
            )

    tasks: list[Callable[[], None]]
    if arguments.overwrite:
        tasks = [partial(put_batch, batch) for batch in chunks(items, BATCH_WRITE_LIMIT)]
    else:
        tasks = [partial(put_one, item) for item in items]
    run_pool(tasks, arguments.workers, stop, lambda: progress.update(tally))
    progress.update(tally, force=True)
    return tally


def fatal_if_missing_table(exc: Exception, table: str) -> None:
    if error_code(exc) == "ResourceNotFoundException":
        raise SeedError(f"table {table!r} does not exist (check --table-name, --region and --endpoint-url)") from None


def make_client(arguments: argparse.Namespace) -> Any:
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise SeedError("boto3 is not installed: pip install boto3") from None
    config = Config(retries={"mode": "standard", "max_attempts": 10}, max_pool_connections=max(10, arguments.workers))
    return boto3.client("dynamodb", region_name=arguments.region, endpoint_url=arguments.endpoint_url, config=config)


def dry_run(client: Any, table: str, items: list[dict[str, Any]], overwrite: bool) -> None:
    present = existing_keys(client, table, items)
    absent = len(items) - present
    if overwrite:
        print(f"{table}: dry run: would write {len(items):,} items ({absent:,} new, {present:,} replaced)")
    else:
        print(f"{table}: dry run: would write {absent:,} new items and keep {present:,} that exist")


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    data_file = arguments.data_file or Path(__file__).resolve().parent / DATA_FILE
    table = arguments.table_name
    started = time.monotonic()
    try:
        items = load_items(data_file)
        client = make_client(arguments)
        if arguments.dry_run:
            dry_run(client, table, items, arguments.overwrite)
            return 0
        tally = seed(client, table, items, arguments)
    except SeedError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except Exception as exc:  # noqa: BLE001 - no credentials, no region, no network: say it in one line
        sys.stderr.write(f"error: {type(exc).__name__}: {exc}\n")
        return 2
    seconds = time.monotonic() - started
    print(
        f"{table}: {tally.total:,} items: {tally.written:,} written, {tally.kept:,} kept (already present), "
        f"{tally.failed:,} failed, in {seconds:.1f} s"
    )
    for error in tally.errors:
        sys.stderr.write(f"failed: {error}\n")
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main())
