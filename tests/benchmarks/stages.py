"""Where one ddblint run spends its time, by stage.

``python tests/benchmarks/stages.py REPO [ddblint options...]`` runs ddblint's
command line once in this process (``--format concise --quiet`` and an empty
cache directory unless the options say otherwise) with a timer around the
entry point of each stage, and prints wall and CPU seconds per stage. Time a
stage spends inside another timed stage counts for the inner one only, so the
rows add up to the whole run:

* **read**: discovery, and reading and hashing files that are looked up in the
  cache (the files the parser reads count under parse);
* **prefilter**: the byte scan that keeps modules mentioning items, and the
  search for callers of named files;
* **parse**: parsing (in worker processes when there are enough files: then
  this is the parent's wait, and CPU is the parent's alone);
* **model**: grouping parsed files into modules;
* **evaluate**: evaluating and expanding every root module (finding the
  secrets in items too), tables by name;
* **root workers**: waiting for the outcomes of the roots evaluated and
  checked in worker processes (their evaluation, rules and parsing happen
  there; CPU is this process's alone);
* **rules**, **filter** (suppressions, baseline), **redact** (masking secrets
  in findings);
* **cache read** and **cache write** (encoding entries and writing their
  packs, in this process);
* **report**: rendering and writing the report;
* **start-up and the rest**: imports, option parsing, what no timer covers.

Usage::

    python tests/benchmarks/stages.py REPO [--jobs 1] [--no-cache] [--cache-dir DIR]
"""

from __future__ import annotations

import functools
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

STARTED = time.perf_counter(), time.process_time()


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class StageClock:
    """Exclusive wall and CPU time per stage: an inner stage's time is taken off the outer one."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self._stack: list[str] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        outer = self._stack[-1] if self._stack else None
        self._stack.append(name)
        wall, used = time.perf_counter(), cpu()
        try:
            yield
        finally:
            wall, used = time.perf_counter() - wall, cpu() - used
            self._stack.pop()
            self.wall[name] += wall
            self.cpu[name] += used
            if outer is not None:
                self.wall[outer] -= wall
                self.cpu[outer] -= used

    def wrap(self, owner: Any, attribute: str, name: str) -> None:
        real: Callable[..., Any] = getattr(owner, attribute)

        @functools.wraps(real)
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.stage(name):
                return real(*args, **kwargs)

        setattr(owner, attribute, timed)


def instrument(clock: StageClock) -> None:
    """Put a timer around each stage's entry points (imported here, so their import time is start-up)."""
    import ddblint.api as api
    import ddblint.cache.codec as codec
    import ddblint.cache.roots as roots_cache
    import ddblint.cache.store as store
    import ddblint.cli.check as cli_check
    import ddblint.evaluate.expand as expand
    import ddblint.evaluate.table_names as table_names
    import ddblint.evaluate.table_outputs as table_outputs
    import ddblint.filter.apply as apply
    import ddblint.filter.redact as redact
    import ddblint.model.module as module
    import ddblint.parse.schedule as schedule
    import ddblint.rules.engine as engine
    import ddblint.workers as workers

    for owner, attribute, name in (
        (api, "discover", "read"),
        (api, "prefilter", "prefilter"),
        (schedule.FileParser, "_from_cache", "read"),
        (schedule.FileParser, "parse", "parse"),
        (module, "build_module", "model"),
        # The evaluate stage hands roots over one at a time inside the check stage: time each root's work.
        # (evaluate/roots imports these when a root is first evaluated: wrapped where they are defined)
        (expand, "analyse_root", "evaluate"),
        (roots_cache.RootCache, "__call__", "evaluate"),
        (table_outputs, "attach_tables_by_output", "evaluate"),
        (table_names, "tables_by_name", "evaluate"),
        # Roots evaluated and checked in worker processes: the wait for their outcomes.
        (workers.RootWorkers, "outcome", "root workers"),
        (engine, "check", "rules"),
        (apply, "filter_findings", "filter"),
        (redact.Redactor, "finding", "redact"),
        (store.Cache, "load", "cache read"),
        (store.Cache, "store_blob", "cache write"),
        (store.Cache, "close", "cache write"),
        (codec, "encode", "cache write"),
        (cli_check, "write_report", "report"),
    ):
        clock.wrap(owner, attribute, name)
    # Modules that imported a name before it was wrapped keep the original: rebind theirs too.
    for holder in (schedule, store):
        holder.encode = codec.encode  # type: ignore[attr-defined]


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    clock = StageClock()
    instrument(clock)
    from ddblint.cli import main as ddblint_main

    options = argv[1:]
    scratch = tempfile.TemporaryDirectory(prefix="ddblint-stages-")
    if "--cache-dir" not in options and "--no-cache" not in options:
        options += ["--cache-dir", scratch.name]
    if "--format" not in options:
        options += ["--format", "concise", "--quiet"]
    with open("/dev/null", "w") as sink:
        stdout, sys.stdout = sys.stdout, sink
        try:
            ddblint_main([argv[0], *options])
        except SystemExit:
            pass
        finally:
            sys.stdout = stdout
    scratch.cleanup()
    wall, used = time.perf_counter() - STARTED[0], cpu()
    print(f"{'stage':<24} {'wall s':>8} {'share':>6} {'cpu s':>8}")
    for name in sorted(clock.wall, key=lambda n: -clock.wall[n]):
        print(f"{name:<24} {clock.wall[name]:8.3f} {clock.wall[name] / wall:6.1%} {clock.cpu[name]:8.3f}")
    rest_wall, rest_cpu = wall - sum(clock.wall.values()), used - sum(clock.cpu.values())
    print(f"{'start-up and the rest':<24} {rest_wall:8.3f} {rest_wall / wall:6.1%} {rest_cpu:8.3f}")
    print(f"{'whole run':<24} {wall:8.3f} {1:6.0%} {used:8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
