"""Atomic files: each file is written to a temporary file that is renamed over the record, so a record is
never half-written; a temporary file left by a kill is removed by ``fab check --repair``."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

TEMPORARY = re.compile(r"^\.(.+)\.[a-z0-9_]{8}\.tmp$")  # what write_file's mkstemp leaves if killed


def _umask() -> int:
    """The process's umask (reading it means setting it: it is set back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_file(path: Path, data: bytes, private: bool = False) -> None:
    """Write through a temporary file and a rename, so a crash never leaves half a record.  The file gets
    the permissions the user's umask gives new files (0644 by default: records and charter.md are public,
    issue 15), not mkstemp's 0600; a ``private`` one (bank details) is 0600 whatever the umask."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600 if private else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
