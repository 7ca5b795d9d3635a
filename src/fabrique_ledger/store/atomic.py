"""Atomic files: each file is written to a temporary file that is renamed over the record, so a record is
never half-written; a temporary file left by a kill is removed by ``fab check --repair``."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

TEMPORARY = re.compile(r"^\.(.+)\.[a-z0-9_]{8}\.tmp$")  # what write_file's mkstemp leaves if killed


def write_file(path: Path, data: bytes) -> None:
    """Write through a temporary file and a rename, so a crash never leaves half a record."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
