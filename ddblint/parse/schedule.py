"""Parse many files: the one place that decides how.

A file whose content was parsed before comes from the cache. The rest are
parsed in this process, or, when there is enough work to repay starting them,
by a pool of worker processes. Workers run the same function as the
sequential path, in their process's main thread, so the per-file time budget
(a ``SIGALRM``) still applies and results are identical either way.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ddblint.cache.codec import CacheFormatError, decode, encode
from ddblint.cache.store import Cache
from ddblint.config.settings import Settings
from ddblint.discover.scan import FileContents
from ddblint.parse.compat import check_hcl2, hcl2_parser
from ddblint.parse.file import TimeoutProblem, parse_bytes, read_bytes
from ddblint.parse.syntax import ParsedFile
from ddblint.progress import Progress

if TYPE_CHECKING:  # a pool is loaded only for runs with enough to parse: most pre-commit runs have little
    from concurrent.futures import Future, ProcessPoolExecutor

POOL_MIN_FILES = 64  # below this much work, starting processes costs more than it saves
POOL_MIN_BYTES = 512 * 1024
CHUNK_FILES = 16  # files per task: few enough round trips, small enough to balance the load


@dataclasses.dataclass(frozen=True)
class Limits:
    max_bytes: int
    time_budget: float


def available_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _kind(path: str) -> bytes:
    """What, besides the content, decides how a file parses: its syntax."""
    if path.endswith(".tfvars.json"):
        return b"tfvars.json"
    return b"json" if path.endswith(".json") else b"hcl"


def content_key(cache: Cache, path: str, data: bytes) -> str:
    return cache.key(b"parse", _kind(path), data)


def _parse_one(
    path: str, data: bytes | None, limits: Limits, cache: Cache | None
) -> tuple[ParsedFile, str | None, bytes | None]:
    """Parse one file (its bytes, when already read) and store the result; returns it, its content key and entry."""
    if data is None:
        data, problem = read_bytes(path, limits.max_bytes)
        if data is None:
            return ParsedFile(path, problem=problem), None, None
    parsed = parse_bytes(path, data, limits.time_budget)
    if cache is None:
        return parsed, None, None
    key = content_key(cache, path, data)
    if not cache.keeps("parse"):
        return parsed, key, None
    blob = encode(parsed, key)
    if blob is not None and not isinstance(parsed.problem, TimeoutProblem):
        cache.store_blob("parse", key, blob)
    return parsed, key, blob


def _parse_chunk(
    files: list[tuple[str, bytes | None]], limits: Limits, cache: Cache | None
) -> list[tuple[str, str | None, bytes | None]]:
    """Worker side: results go back encoded as cache entries, which the parent stores; None where one cannot be."""
    results = []
    for path, data in files:
        parsed, key, blob = _parse_one(path, data, limits, cache)
        results.append((path, key, blob if blob is not None else encode(parsed, key or "")))
    return results


def _rebind(parsed: ParsedFile, path: str) -> ParsedFile:
    """A cached result was keyed by content: give it this file's path."""
    parsed.path = path
    if parsed.problem is not None:
        parsed.problem = dataclasses.replace(parsed.problem, path=path)
    return parsed


class FileParser:
    """Parses the files of one run, each once, through the cache.

    ``digests`` maps every file parsed to a string that changes whenever its
    parse result can (the content key, or the problem that stopped it being
    read); a file that ran out of time has none, as its result is not stable.
    """

    def __init__(
        self,
        settings: Settings,
        cache: Cache | None = None,
        progress: Progress | None = None,
        contents: FileContents | None = None,
    ) -> None:
        self.contents = contents or FileContents()  # bytes the prefilter read: each file is read once
        self.limits = Limits(settings.max_file_size, settings.parse_time_budget)
        self.jobs = settings.jobs
        self.cache = cache
        self.progress = progress or Progress()
        self.digests: dict[str, str] = {}
        self._done: dict[str, ParsedFile] = {}
        self._pool: ProcessPoolExecutor | None = None  # started once, for the first batch that needs it

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def forget(self, paths: list[str]) -> None:
        """Let go of these files' parse results (the caller is done with them); asked for again, they parse again."""
        for path in paths:
            self._done.pop(path, None)

    def parse(self, paths: list[str]) -> dict[str, ParsedFile]:
        wanted = list(dict.fromkeys(paths))
        fresh = [path for path in wanted if path not in self._done]
        self.progress.parsing(len(fresh))
        todo: list[tuple[str, bytes | None]] = []
        todo_bytes = 0
        for path in fresh:
            cached, data, size = self._from_cache(path)
            if cached is None:
                todo.append((path, data))
                todo_bytes += size
                continue
            self._done[path] = cached
            self.progress.parsed(1)
        if any(not path.endswith(".json") for path, _ in todo):
            check_hcl2()  # Lark, which checks it too, may never be loaded: most files need only the fast parser
        for parsed, key in self._parse_all(todo, todo_bytes):
            self._done[parsed.path] = parsed
            self._remember(parsed, key)
            self.progress.parsed(1)
        return {path: self._done[path] for path in wanted}

    def _from_cache(self, path: str) -> tuple[ParsedFile | None, bytes | None, int]:
        """The cached result for the file's current content, else None, the bytes if read, and the file's size."""
        data = self.contents.take(path)
        if self.cache is None:
            if data is not None:
                return None, data, len(data)
            try:
                return None, None, os.path.getsize(path)
            except OSError:
                return None, None, 0
        if data is None:
            data, _ = read_bytes(path, self.limits.max_bytes)
            if data is None:
                return None, None, 0
        key = content_key(self.cache, path, data)
        cached = self.cache.load("parse", key)
        if not isinstance(cached, ParsedFile):
            return None, data, len(data)
        self.digests[path] = key
        return _rebind(cached, path), None, len(data)

    def _remember(self, parsed: ParsedFile, key: str | None) -> None:
        if self.cache is None or isinstance(parsed.problem, TimeoutProblem):
            return
        self.digests[parsed.path] = key if key is not None else f"problem: {parsed.problem}"

    def _workers(self, files: int, size: int) -> int:
        """How many processes this batch deserves: ``--jobs`` when given, else the CPUs for a large batch."""
        if files < 2:
            return 1
        if self.jobs is not None:
            return self.jobs
        if self._pool is not None or files >= POOL_MIN_FILES or size >= POOL_MIN_BYTES:
            return available_cpus()
        return 1

    def _parse_all(self, files: list[tuple[str, bytes | None]], size: int) -> Iterator[tuple[ParsedFile, str | None]]:
        workers = self._workers(len(files), size)
        if workers <= 1:
            for path, data in files:
                parsed, key, _ = _parse_one(path, data, self.limits, self.cache)
                yield parsed, key
            return
        yield from self._parse_in_pool(files, workers)

    def _parse_in_pool(
        self, paths: list[tuple[str, bytes | None]], workers: int
    ) -> Iterator[tuple[ParsedFile, str | None]]:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            context = _process_context()
            if context.get_start_method() == "fork" and not all(path.endswith(".json") for path, _ in paths):
                hcl2_parser()  # once, here: forked workers inherit it rather than each importing and loading it
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        chunk = max(1, min(CHUNK_FILES, len(paths) // (workers * 4)))
        chunks = [paths[i : i + chunk] for i in range(0, len(paths), chunk)]
        futures: list[tuple[list[tuple[str, bytes | None]], Future[Any]]] = [
            (part, self._pool.submit(_parse_chunk, part, self.limits, self.cache)) for part in chunks
        ]
        for part, future in futures:
            yield from self._collect(part, future)

    def _collect(
        self, part: list[tuple[str, bytes | None]], future: Future[Any]
    ) -> Iterator[tuple[ParsedFile, str | None]]:
        """A chunk's results; a chunk whose worker failed, or a result that did not encode, is parsed here."""
        given = dict(part)
        try:
            outcomes = future.result()
        except Exception:  # noqa: BLE001 - a dead worker must not lose files: parse them in this process
            outcomes = [(path, None, None) for path, _ in part]
        for path, key, blob in outcomes:
            parsed = _decoded(blob, key)
            if not isinstance(parsed, ParsedFile):
                parsed, key, _ = _parse_one(path, given[path], self.limits, self.cache)
            elif self.cache is not None and key is not None and not isinstance(parsed.problem, TimeoutProblem):
                self.cache.store_blob("parse", key, blob)
            yield parsed, key


def _decoded(blob: bytes | None, key: str | None) -> Any:
    if blob is None:
        return None
    try:
        return decode(blob, key or "")
    except CacheFormatError:
        return None


def _process_context() -> Any:
    """``fork`` on Linux: workers start in milliseconds, with ddblint already imported.

    Elsewhere the platform's default (``spawn``), where forking is unsafe or absent.
    The parent runs no other threads when it forks (the progress display refreshes
    from this thread), so nothing is inherited half-locked.
    """
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()
