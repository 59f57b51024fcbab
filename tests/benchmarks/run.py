"""Scale benchmark: ddblint on generated monorepos, as ratios against baselines taken in the same run.

For each size N (``--modules``, default 1,000 and 10,000) the script generates a
repository with ``generate_repo.py`` and times complete processes, never
in-process calls:

* ``grep -rlF aws_dynamodb_table_item`` over the tree: reading every byte once;
* ``terraform fmt -check -recursive`` over the tree, where a ``terraform`` binary is
  on ``PATH`` (skipped with a message where there is none): Go's HCL parser reading
  every ``.tf`` file;
* *parse everything*: a fresh Python process that imports hcl2 and runs
  ``hcl2.load`` on every ``.tf`` file, one after the other;
* *naive one file*: the same script on the one file the "changed" run edits;
* ddblint cold (an empty cache directory), ``--no-cache`` (what writing the cache
  costs), warm (the cache filled, nothing changed) and after one changed relevant
  file (a line appended to an item file, then a run over the warm cache);
* ddblint's first run on a fresh machine: an empty cache directory, and an empty
  ``XDG_CACHE_HOME`` and ``TMPDIR`` besides, so that neither the rule catalog nor
  the parser tables are cached anywhere;
* the worst case, at the sizes in ``--worst``: ``--all-items`` (every module
  holds items, nothing can be skipped), ``--jobs 2``, an empty cache, against
  parse-everything on that tree.

Runs are interleaved (one run of each measurement in turn, ``--repeat`` times)
so that background load falls on all of them alike, and the report gives
medians. Parse-everything takes minutes at 10,000 modules and has nothing to
warm up, so it is measured ``--baseline-repeat`` times (default once) per run
of this script. Peak memory is the largest resident set of the measured
process and of every process it waited for (the parser workers), from
``wait4``; it counts the pages a child shares with this script between fork
and exec, so repositories are generated in a child process, keeping this one
small (about 20 MB, the floor of every figure).

Targets: cold / parse-everything <= 0.10; cold / terraform fmt <= 1.0 and warm /
grep <= 5 from 3,000 modules up; cold / --no-cache <= 1.05; changed <= warm + 1.2
x naive one file; worst / parse-everything (all items) <= 0.7; cold at the largest
size / cold at the smallest <= 1.1 x the growth in modules; peak memory at the
largest size <= 300 MB and, from 10,000 modules, <= 1.5 x the peak at the smallest.

``--table-blocks N ...`` measures something else instead: one table written by
N single-item blocks (``one_table.py``), whose population is judged as a whole.
ddblint with an empty cache, against parse-everything on the same tree, at each
N; the target is linear growth: seconds per block at the largest N at most 1.25
times those at the smallest.

Usage::

    python tests/benchmarks/run.py [--modules 1000 3000 10000] [--repeat 3] [--worst 1000] [--keep DIR]
    python tests/benchmarks/run.py --table-blocks 2500 5000 10000 [--repeat 3]

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent / "generate_repo.py"
ONE_TABLE = Path(__file__).resolve().parent / "one_table.py"

PARSE_EVERYTHING = """\
import os
import sys

import hcl2

target = sys.argv[1]
paths = [target]
if os.path.isdir(target):
    paths = sorted(
        os.path.join(directory, name)
        for directory, _, names in os.walk(target)
        for name in names
        if name.endswith(".tf")
    )
for path in paths:
    with open(path, encoding="utf-8", errors="replace") as handle:
        try:
            hcl2.load(handle)
        except Exception:
            pass
"""

MB = 1024 * 1024
LARGE_REPO = 3000  # modules from which cold must beat terraform fmt and warm stay within 5x grep
MEMORY_GROWTH_FROM = 10000  # modules from which peak memory is held to 1.5x the smallest size's
FMT_EXIT_CODES = (0, 1, 2, 3)  # terraform fmt -check: 3 when a file needs formatting, 2 on a syntax error


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_rss: int  # bytes, the largest process of the run


@dataclass
class Measurement:
    name: str
    command: Callable[[int], list[str]]  # repetition number -> argv
    before: Callable[[int], None] = lambda repetition: None  # untimed preparation
    repeat: int | None = None  # None: the run's --repeat
    ok_codes: tuple[int, ...] = (0, 1)
    env: Callable[[], dict[str, str] | None] = lambda: None  # None: this process's environment
    samples: list[Sample] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_rss(self) -> int:
        return max(s.peak_rss for s in self.samples)


def timed(argv: list[str], ok_codes: tuple[int, ...] = (0, 1), env: dict[str, str] | None = None) -> Sample:
    """Run one process to the end: wall time, and peak memory over it and the children it waited for."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in ok_codes:
            errors.seek(0)
            raise RuntimeError(f"{argv[:4]}... exited {process.returncode}: {errors.read().decode()[-2000:]}")
    return Sample(elapsed, usage.ru_maxrss * 1024)


def ddblint(target: Path, cache: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ddblint",
        str(target),
        "--format",
        "concise",
        "--quiet",
        "--cache-dir",
        str(cache),
        *extra,
    ]


def terraform_fmt(target: Path) -> list[str]:
    return ["terraform", "fmt", "-check", "-recursive", str(target)]


def fresh_machine(home: Path) -> dict[str, str]:
    """An environment where nothing ddblint or Lark keeps between runs exists yet."""
    fresh(home)
    return {
        **os.environ,
        "XDG_CACHE_HOME": str(fresh(home / "cache")),
        "TMPDIR": str(fresh(home / "tmp")),
    }


def parse_everything(target: Path) -> list[str]:
    return [sys.executable, "-c", PARSE_EVERYTHING, str(target)]


@dataclass(frozen=True)
class Repo:
    """A generated repository and the summary ``generate_repo.py`` printed for it."""

    root: Path
    summary: dict[str, object]


def generate(root: Path, modules: int, seed: int, all_items: bool = False) -> Repo:
    argv = [sys.executable, str(GENERATOR), str(root), "--modules", str(modules), "--seed", str(seed)]
    done = subprocess.run(argv + (["--all-items"] if all_items else []), capture_output=True, text=True, check=True)
    return Repo(root, json.loads(done.stdout))


def changed_file(repo: Repo) -> Path:
    """An item file of a service (not a shared module, which every caller would re-analyse)."""
    for path in sorted((repo.root / "services").glob("*/*/*.tf")):
        if "aws_dynamodb_table_item" in path.read_text(encoding="utf-8", errors="replace"):
            return path
    raise RuntimeError("the generated repository has no service holding items")


def fresh(directory: Path) -> Path:
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


class ScaleRun:
    """The measurements at one size, with the file the "changed" runs edit and put back."""

    def __init__(self, work: Path, repo: Repo, worst: Repo | None, baseline_repeat: int) -> None:
        self.work = work
        self.repo = repo
        self.worst = worst
        self.baseline_repeat = baseline_repeat
        self.edited = changed_file(repo)
        self.original = self.edited.read_text(encoding="utf-8")

    def measurements(self) -> list[Measurement]:
        repo, worst, work = self.repo, self.worst, self.work
        cold_cache, warm_cache, worst_cache = work / "cache-cold", work / "cache-warm", work / "cache-worst"
        timed(ddblint(repo.root, fresh(warm_cache)))  # fill the warm cache once, untimed
        found = [
            Measurement("grep -rl", lambda r: ["grep", "-rlF", "aws_dynamodb_table_item", str(repo.root)]),
            Measurement("parse everything", lambda r: parse_everything(repo.root), repeat=self.baseline_repeat),
            Measurement("naive one file", lambda r: parse_everything(self.edited)),
            Measurement("ddblint cold", lambda r: ddblint(repo.root, cold_cache), before=lambda r: fresh(cold_cache)),
            Measurement("ddblint --no-cache", lambda r: ddblint(repo.root, cold_cache, "--no-cache")),
            Measurement(
                "ddblint first run (fresh machine)",
                lambda r: ddblint(repo.root, cold_cache),
                before=lambda r: fresh(cold_cache),
                env=lambda: fresh_machine(work / "fresh-machine"),
            ),
            Measurement("ddblint warm", lambda r: ddblint(repo.root, warm_cache), before=self._rewarm),
            Measurement("ddblint changed", lambda r: ddblint(repo.root, warm_cache), before=self._edit),
        ]
        if shutil.which("terraform"):
            found.append(Measurement("terraform fmt", lambda r: terraform_fmt(repo.root), ok_codes=FMT_EXIT_CODES))
        else:
            print("terraform is not on PATH: the terraform fmt baseline is skipped")
        if worst is not None:
            found += [
                Measurement(
                    "parse everything (all items)", lambda r: parse_everything(worst.root), repeat=self.baseline_repeat
                ),
                Measurement(
                    "ddblint worst (all items, 2 jobs)",
                    lambda r: ddblint(worst.root, worst_cache, "--jobs", "2"),
                    before=lambda r: fresh(worst_cache),
                ),
            ]
        return found

    def _edit(self, repetition: int) -> None:
        """One relevant file differs from what the warm cache holds, differently each time."""
        self.edited.write_text(self.original + f"# edited for benchmark run {repetition}\n", encoding="utf-8")

    def _rewarm(self, repetition: int) -> None:
        """Undo the last edit and let the cache catch up, so the warm run sees nothing changed."""
        self.restore()
        timed(ddblint(self.repo.root, self.work / "cache-warm"))

    def restore(self) -> None:
        self.edited.write_text(self.original, encoding="utf-8")


def measure(measurements: list[Measurement], repeat: int) -> None:
    for repetition in range(repeat):
        for measurement in measurements:
            if repetition >= (measurement.repeat or repeat):
                continue
            measurement.before(repetition)
            sample = timed(measurement.command(repetition), measurement.ok_codes, measurement.env())
            measurement.samples.append(sample)


@dataclass
class Report:
    failures: int = 0
    lines: list[str] = field(default_factory=list)

    def target(self, label: str, value: float, limit: float, unit: str = "") -> None:
        verdict = "PASS" if value <= limit else "FAIL"
        self.failures += verdict == "FAIL"
        self.lines.append(f"  {verdict}  {label}: {value:.3f}{unit} (target <= {limit:g}{unit})")

    def info(self, label: str, value: float, unit: str = "") -> None:
        """A figure reported without a target at this size."""
        self.lines.append(f"  ----  {label}: {value:.3f}{unit}")


def report_size(size: int, repo: Repo, results: dict[str, Measurement], report: Report) -> None:
    files, size_mb, relevant = (
        repo.summary["files"],
        int(repo.summary["total_bytes"]) / MB,
        repo.summary["relevant_dirs"],
    )
    print(f"\nN = {size:,} modules: {files:,} files, {size_mb:.1f} MB, {relevant} relevant module directories")
    for name, measured in results.items():
        runs = len(measured.samples)
        print(f"  {name:<36} {measured.seconds:9.3f} s  (median of {runs})  peak {measured.peak_rss / MB:7.1f} MB")
    report.lines.append(f"N = {size:,}")
    cold, warm, changed = (results[f"ddblint {k}"].seconds for k in ("cold", "warm", "changed"))
    first = results["ddblint first run (fresh machine)"].seconds
    print(f"  first run on a fresh machine costs {first - cold:+.3f} s over a cold run")
    report.target("cold / parse everything", cold / results["parse everything"].seconds, 0.10)
    report.target("cold / --no-cache (cost of writing the cache)", cold / results["ddblint --no-cache"].seconds, 1.05)
    checked = report.target if size >= LARGE_REPO else lambda label, value, limit: report.info(label, value)
    if "terraform fmt" in results:
        checked("cold / terraform fmt", cold / results["terraform fmt"].seconds, 1.0)
    else:
        report.lines.append("  SKIP  cold / terraform fmt: no terraform binary on PATH")
    checked("warm / grep -rl", warm / results["grep -rl"].seconds, 5)
    allowed = warm + 1.2 * results["naive one file"].seconds
    report.target("changed - (warm + 1.2 x naive one file)", changed - allowed, 0.0, " s")
    if "ddblint worst (all items, 2 jobs)" in results:
        worst = results["ddblint worst (all items, 2 jobs)"].seconds
        report.target(
            "worst / parse everything (all items)", worst / results["parse everything (all items)"].seconds, 0.7
        )


def _one_table_measurements(repo: Path, cache: Path, baseline_repeat: int) -> list[Measurement]:
    return [
        Measurement("parse everything", lambda r: parse_everything(repo), repeat=baseline_repeat),
        Measurement("ddblint cold", lambda r: ddblint(repo, cache), before=lambda r: fresh(cache)),
    ]


def one_table(base: Path, sizes: list[int], repeat: int, baseline_repeat: int) -> Report:
    """One table written by N blocks, at each N: ddblint cold against parse-everything, and linear growth."""
    report = Report()
    per_block: dict[int, float] = {}
    for size in sizes:
        work = fresh(base / f"blocks-{size}")
        subprocess.run([sys.executable, str(ONE_TABLE), str(work / "repo"), "--blocks", str(size)], check=True,
                       capture_output=True)  # fmt: skip
        measurements = _one_table_measurements(work / "repo", work / "cache", baseline_repeat)
        measure(measurements, repeat)
        results = {m.name: m for m in measurements}
        cold, parse = results["ddblint cold"].seconds, results["parse everything"].seconds
        per_block[size] = cold / size
        print(f"\nN = {size:,} blocks into one table")
        for name, measured in results.items():
            print(f"  {name:<36} {measured.seconds:9.3f} s  peak {measured.peak_rss / MB:7.1f} MB")
        report.lines.append(f"N = {size:,} blocks: {cold:.2f} s, {1000 * per_block[size]:.3f} ms per block")
        report.target(f"cold / parse everything at {size:,} blocks", cold / parse, 1.0)
        shutil.rmtree(work, ignore_errors=True)
    if len(sizes) > 1:
        smallest, largest = sizes[0], sizes[-1]
        growth = per_block[largest] / per_block[smallest]
        report.target(f"seconds per block at {largest:,} / at {smallest:,}", growth, 1.25)
    return report


def ddblint_peak(results: dict[str, Measurement]) -> int:
    return max(m.peak_rss for name, m in results.items() if name.startswith("ddblint"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modules", type=int, nargs="+", default=[1000, 10000], help="repository sizes")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each ddblint and grep measurement")
    parser.add_argument("--baseline-repeat", type=int, default=1, help="runs of the parse-everything baselines")
    parser.add_argument("--worst", type=int, nargs="*", help="sizes for the worst case (default: the smallest)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this directory, not a temporary one")
    parser.add_argument("--table-blocks", type=int, nargs="+", help="instead: one table written by N blocks, per N")
    args = parser.parse_args(argv)
    if args.table_blocks:
        base = Path(tempfile.mkdtemp(prefix="ddblint-one-table-"))
        try:
            report = one_table(base, sorted(args.table_blocks), args.repeat, args.baseline_repeat)
        finally:
            shutil.rmtree(base, ignore_errors=True)
        print("\nTargets")
        print("\n".join(report.lines))
        return 1 if report.failures else 0
    sizes = sorted(args.modules)
    worst_sizes = set(sizes[:1] if args.worst is None else args.worst)
    base = args.keep or Path(tempfile.mkdtemp(prefix="ddblint-scale-"))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, repeat {args.repeat}, work in {base}")
    report = Report()
    by_size: dict[int, dict[str, Measurement]] = {}
    try:
        for size in sizes:
            work = fresh(base / str(size))
            repo = generate(work / "repo", size, seed=args.seed)
            worst = generate(work / "all-items", size, seed=args.seed, all_items=True) if size in worst_sizes else None
            run = ScaleRun(work, repo, worst, args.baseline_repeat)
            try:
                measurements = run.measurements()
                measure(measurements, args.repeat)
            finally:
                run.restore()
            by_size[size] = {m.name: m for m in measurements}
            report_size(size, repo, by_size[size], report)
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    largest = by_size[sizes[-1]]
    report.lines.append(f"N = {sizes[0]:,} -> {sizes[-1]:,}")
    if len(sizes) > 1:
        growth = sizes[-1] / sizes[0]
        cold_ratio = largest["ddblint cold"].seconds / by_size[sizes[0]]["ddblint cold"].seconds
        report.target(f"cold at {sizes[-1]:,} / cold at {sizes[0]:,} (x{growth:g} modules)", cold_ratio, 1.1 * growth)
    report.target(f"peak memory of any ddblint run at {sizes[-1]:,}", ddblint_peak(largest) / MB, 300, " MB")
    if len(sizes) > 1 and sizes[-1] >= MEMORY_GROWTH_FROM:
        growth = ddblint_peak(largest) / ddblint_peak(by_size[sizes[0]])
        report.target(f"peak memory at {sizes[-1]:,} / at {sizes[0]:,}", growth, 1.5)
    print("\nTargets")
    print("\n".join(report.lines))
    return 1 if report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
