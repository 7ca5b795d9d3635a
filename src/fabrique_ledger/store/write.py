"""Writing one record: atomically, committed alone, and undone completely if anything fails."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from . import git as gitstore


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


def save(root: Path, rel: str, text: str, *, message: str, author: str | None, commit: bool) -> str | None:
    """Write ``root/rel`` and, unless told not to, commit it alone; return the commit sha.

    On any failure the file's previous content (or absence) and the folders are restored.
    """
    repo = gitstore.ready_to_commit(root) if commit else None
    path = root / rel
    before = path.read_bytes() if path.exists() else None
    created = [p for p in reversed(path.parents) if not p.exists()]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, text.encode("utf-8"))
        return gitstore.commit(repo, [path], message, author) if repo is not None else None
    except BaseException:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            write_file(path, before)
        for folder in reversed(created):
            if folder.exists() and not any(folder.iterdir()):
                folder.rmdir()
        raise
