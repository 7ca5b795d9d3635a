"""Cold reads of a large ledger on several cores: files parsed in worker processes.

Parsing is pure per file, so files are shared out in chunks; each worker sends back the parse
cache's flat form of its records, which is quick to pickle across processes.  Small reads stay
in one process, where starting workers would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator

from ..ledger import blob_id
from ..settings import Settings
from . import cache

THRESHOLD = 4000  # files to parse before workers pay for themselves
CHUNK = 500


def workers() -> int:
    return min(os.cpu_count() or 1, 8)


def worth_it(count: int) -> bool:
    return count >= THRESHOLD and workers() > 1 and "fork" in multiprocessing.get_all_start_methods()


def parse_many(files: list[tuple[str, Callable[[], bytes]]], settings: Settings,
               read_record: Callable[[str, bytes, Settings], tuple]) -> Iterator[tuple[str, str, tuple]]:
    """(path, blob id, flat cache entry) for each file, in no particular order; the forked workers
    inherit ``read_record`` and the settings (nothing is pickled but the paths and the results)."""
    global _SETTINGS, _READ_RECORD
    _SETTINGS, _READ_RECORD = settings, read_record
    chunks = [files[i:i + CHUNK] for i in range(0, len(files), CHUNK)]
    with multiprocessing.get_context("fork").Pool(workers()) as pool:
        for results in pool.imap_unordered(_parse_chunk, chunks):
            yield from results


_SETTINGS: Settings | None = None
_READ_RECORD: Callable[[str, bytes, Settings], tuple] | None = None


def _parse_chunk(chunk: list[tuple[str, Callable[[], bytes]]]) -> list[tuple[str, str, tuple]]:
    read_record, settings = _READ_RECORD, _SETTINGS
    assert read_record is not None and settings is not None, "parse_many sets them before the workers fork"
    out = []
    with cache.no_gc():
        for rel, read in chunk:
            raw = read()
            out.append((rel, blob_id(raw), cache.freeze(read_record(rel, raw, settings))))
    return out
