"""Start-up cost of ddblint in the pre-commit case, as ratios against a naive script.

A pre-commit hook runs on every commit, so what matters is the cost of one whole
process on a handful of files. This script builds a tiny repository of its own in a
temporary directory and times complete processes, never in-process calls:

* ``python -c pass``: the floor, interpreter start-up alone;
* the *naive* script: imports hcl2, rich (its console) and typer and parses the given
  files with ``hcl2.load``, which is what a straightforward linter would pay before doing
  any work;
* ``ddblint`` on one changed ``.tf`` file that has nothing to do with DynamoDB;
* ``ddblint`` on the two files of one small module holding a table and an item;
* the same with ``--format concise``: any option costs Typer's parsing (not a target);
* the module again with its files unchanged, so the parse cache answers (not a target).

Before each run of a command that stands for a commit, the changed file gets new
content (a comment), so ddblint parses it as it would in a real commit.

ddblint runs as the pre-commit hook runs it: the console script, file names only.

Every command runs ``--runs`` times, interleaved (one run of each in turn) so that
background noise falls on all of them alike, after one untimed warm-up run each, with
bytecode caches written and read as in any installed package. The report gives medians
and the ratios the targets are stated in:

* irrelevant file: ddblint at most 3x ``python -c pass`` (an interpreter that does
  nothing: what a hook cannot avoid);
* one small module: ddblint at most 0.8x the naive script on the module's files.

Usage::

    python tests/benchmarks/startup.py [--runs 15]

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# ``rich.console``, not just ``rich``: it is what a script that prints with Rich loads, and what
# Typer itself imported at start-up before it moved to pydantic (0.2x), as the issue measured it.
NAIVE_SCRIPT = """\
import sys

import hcl2
import rich.console
import typer

for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as handle:
        hcl2.load(handle)
"""

IRRELEVANT_TF = """\
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
  tags = {
    Name = "main"
  }
}

resource "aws_subnet" "private" {
  for_each          = { a = "10.0.1.0/24", b = "10.0.2.0/24", c = "10.0.3.0/24" }
  vpc_id            = aws_vpc.main.id
  cidr_block        = each.value
  availability_zone = "eu-west-1${each.key}"
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}
"""

MODULE_MAIN_TF = """\
resource "aws_dynamodb_table" "settings" {
  name         = "settings"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table_item" "flags" {
  for_each   = local.flags
  table_name = aws_dynamodb_table.settings.name
  hash_key   = aws_dynamodb_table.settings.hash_key
  item = jsonencode({
    pk      = { S = "flag#${each.key}" }
    enabled = { BOOL = each.value }
  })
}
"""

MODULE_LOCALS_TF = """\
locals {
  flags = {
    new_checkout = true
    dark_mode    = false
    beta_search  = true
  }
}
"""


@dataclass(frozen=True)
class Command:
    """One timed process: a label for the report and the argument vector to run.

    ``changes`` names a file given new content before every run, untimed, as a
    commit changes it: otherwise ddblint's parse cache would answer for it.
    """

    label: str
    argv: list[str]
    expected_exit: tuple[int, ...] = (0,)
    changes: str | None = None


def build_repo(root: Path) -> tuple[list[str], list[str]]:
    """Write the tiny repository; return the irrelevant file and the module's files (relative)."""
    files = {
        "network/main.tf": IRRELEVANT_TF,
        "app/main.tf": MODULE_MAIN_TF,
        "app/locals.tf": MODULE_LOCALS_TF,
        "naive.py": NAIVE_SCRIPT,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / ".git").mkdir()  # the repository boundary ddblint looks for; no git needed
    return ["network/main.tf"], ["app/main.tf", "app/locals.tf"]


def ddblint_command() -> list[str]:
    """The console script installed beside this interpreter, as pre-commit runs it."""
    script = Path(sys.executable).with_name("ddblint")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "ddblint"]


def commands(irrelevant: list[str], module: list[str]) -> list[Command]:
    """The measured processes; ddblint runs as the hook runs it: file names, no options."""
    ddblint = ddblint_command()
    return [
        Command("python -c pass", [sys.executable, "-c", "pass"]),
        Command("naive script, irrelevant file", [sys.executable, "naive.py", *irrelevant]),
        Command("naive script, small module", [sys.executable, "naive.py", *module]),
        Command("ddblint, irrelevant file", [*ddblint, *irrelevant], changes=irrelevant[0]),
        Command("ddblint, small module", [*ddblint, *module], (0, 1), changes=module[-1]),
        Command("ddblint, small module, unchanged", [*ddblint, *module], (0, 1)),
        Command(
            "ddblint --format concise, small module",
            [*ddblint, "--format", "concise", *module],
            (0, 1),
            changes=module[-1],
        ),
    ]


def child_environment() -> dict[str, str]:
    """This environment, but with bytecode caches written and read, as in any installed package."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run_once(command: Command, cwd: Path) -> float:
    environment = child_environment()
    if command.changes is not None:
        changed = cwd / command.changes
        text = changed.read_text(encoding="utf-8").split("# change ")[0]
        changed.write_text(f"{text}# change {time.perf_counter_ns()}\n", encoding="utf-8")
    started = time.perf_counter()
    completed = subprocess.run(command.argv, cwd=cwd, env=environment, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if completed.returncode not in command.expected_exit:
        raise SystemExit(
            f"{command.label}: exit {completed.returncode}\n{completed.stdout.decode()}{completed.stderr.decode()}"
        )
    return elapsed


def measure(commands: list[Command], cwd: Path, runs: int) -> dict[str, float]:
    """Median wall time of each command over ``runs`` interleaved rounds, after a warm-up round."""
    for command in commands:
        run_once(command, cwd)
    samples: dict[str, list[float]] = {c.label: [] for c in commands}
    for _ in range(runs):
        for command in commands:
            samples[command.label].append(run_once(command, cwd))
    return {label: statistics.median(times) for label, times in samples.items()}


TARGETS = (
    # (ddblint command, baseline, highest ratio allowed)
    ("ddblint, irrelevant file", "python -c pass", 3.0),
    ("ddblint, small module", "naive script, small module", 0.8),
)


def report(medians: dict[str, float]) -> bool:
    """Print medians and ratios; return whether every target is met."""
    floor = medians["python -c pass"]
    width = max(len(label) for label in medians)
    print(f"{'command':<{width}}  median     x python")
    for label, seconds in medians.items():
        print(f"{label:<{width}}  {seconds * 1000:7.1f} ms  {seconds / floor:5.1f}")
    print()
    met = True
    for measured, baseline, limit in TARGETS:
        ratio = medians[measured] / medians[baseline]
        verdict = "ok" if ratio <= limit else "MISSED"
        met = met and ratio <= limit
        print(f"{measured} / {baseline}: {ratio:.2f}x (target <= {limit}x) {verdict}")
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command (default 15)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="ddblint-startup-"))
    try:
        irrelevant, module = build_repo(workdir)
        medians = measure(commands(irrelevant, module), workdir, args.runs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {args.runs} runs each\n")
    return 0 if report(medians) else 1


if __name__ == "__main__":
    raise SystemExit(main())
