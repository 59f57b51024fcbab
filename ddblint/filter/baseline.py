"""Baselines: accept today's findings so that only new ones fail the build.

A baseline file lists findings by rule, file, resource address and content
fingerprint (:meth:`Finding.fingerprint`), never by line: code moving inside a
file keeps its findings baselined, while a change to what was found (a
``for_each`` that grew) makes a new fingerprint and a new finding. Paths are
relative to the baseline file's own directory, so the file stays valid
wherever the repository is checked out. The JSON is indented and sorted, so a
refreshed baseline reviews well as a diff.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ddblint.findings import Finding
from ddblint.untrusted import safe_json
from ddblint.untrusted.reading import read_regular

MAX_BASELINE_BYTES = 256 * 1024 * 1024  # a baseline of a million findings is about 300 MB

BASELINE_VERSION = 1
_ENTRY_FIELDS = ("file", "rule", "address", "fingerprint")


class BaselineError(ValueError):
    """A baseline file that cannot be read: a usage error (exit 2), naming the file and line."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        shown = os.path.relpath(path) if os.path.isabs(path) else path
        where = f"{shown}:{line}" if line is not None else shown
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, order=True)
class BaselineEntry:
    """One accepted finding; ``message`` is only there for people reading the file."""

    file: str
    rule: str
    address: str
    fingerprint: str
    message: str = field(default="", compare=False)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.file, self.rule, self.address, self.fingerprint)

    def as_json(self) -> dict[str, str]:
        return {**dict(zip(_ENTRY_FIELDS, self.key)), "message": self.message}


def entry_for(finding: Finding, base_dir: str) -> BaselineEntry:
    relative = os.path.relpath(finding.span.path, base_dir).replace(os.sep, "/")
    return BaselineEntry(
        relative, finding.rule_id, finding.stable_address, finding.fingerprint(relative), finding.message
    )


def write_baseline(path: str, findings: Iterable[Finding]) -> int:
    """Record every finding that is not suppressed otherwise; returns how many were written."""
    base_dir = os.path.dirname(os.path.abspath(path))
    entries = sorted(entry_for(f, base_dir) for f in findings if not f.suppressed)
    document = {"version": BASELINE_VERSION, "findings": [e.as_json() for e in entries]}
    from ddblint.atomic import atomic_writer  # only a run that writes a baseline needs it

    with atomic_writer(path, make_parents=True) as stream:
        stream.write(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return len(entries)


@dataclass(frozen=True)
class Baseline:
    path: str  # absolute
    entries: tuple[BaselineEntry, ...]

    @property
    def base_dir(self) -> str:
        return os.path.dirname(self.path)


def read_baseline(path: str) -> Baseline:
    """Read a baseline: a regular file of at most :data:`MAX_BASELINE_BYTES`, UTF-8 with or without a BOM
    (as configuration files are read)."""
    absolute = os.path.abspath(path)
    try:
        data = read_regular(absolute, MAX_BASELINE_BYTES)
        if len(data) > MAX_BASELINE_BYTES:
            raise BaselineError(path, f"baseline is larger than {MAX_BASELINE_BYTES:,} bytes")
        document = safe_json.loads(data.decode("utf-8-sig"))
    except FileNotFoundError:
        raise BaselineError(path, "baseline file not found (create it with --write-baseline)") from None
    except OSError as exc:
        raise BaselineError(path, f"cannot read baseline: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BaselineError(path, "baseline is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(path, f"invalid JSON: {exc.msg}", exc.lineno) from None
    return Baseline(absolute, _entries(path, document))


def _entries(path: str, document: object) -> tuple[BaselineEntry, ...]:
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise BaselineError(path, 'not a ddblint baseline (expected {"version": 1, "findings": [...]})')
    if document.get("version") != BASELINE_VERSION:
        raise BaselineError(path, f"baseline version {document.get('version')!r} is not {BASELINE_VERSION}")
    entries = []
    for number, raw in enumerate(document["findings"], start=1):
        if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in _ENTRY_FIELDS):
            raise BaselineError(path, f"finding #{number} needs string fields {', '.join(_ENTRY_FIELDS)}")
        entries.append(
            BaselineEntry(raw["file"], raw["rule"], raw["address"], raw["fingerprint"], str(raw.get("message", "")))
        )
    return tuple(entries)


class BaselineMatcher:
    """Matches findings to baseline entries, each entry at most once (two equal findings need two entries)."""

    def __init__(self, baseline: Baseline) -> None:
        self._baseline = baseline
        self._unclaimed = Counter(e.key for e in baseline.entries)

    def claim(self, finding: Finding) -> bool:
        key = entry_for(finding, self._baseline.base_dir).key
        if self._unclaimed[key] <= 0:
            return False
        self._unclaimed[key] -= 1
        return True

    def stale(self, linted_files: set[str]) -> list[BaselineEntry]:
        """Unclaimed entries of files linted in this run; files outside the run are not judged."""
        remaining = Counter(self._unclaimed)
        stale = []
        for entry in sorted(self._baseline.entries):
            absolute = os.path.normpath(os.path.join(self._baseline.base_dir, entry.file))
            if remaining[entry.key] > 0 and absolute in linted_files:
                remaining[entry.key] -= 1
                stale.append(entry)
        return stale
