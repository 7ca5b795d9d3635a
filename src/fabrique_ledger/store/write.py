"""Writing records: atomically, committed alone, and undone completely if anything fails."""

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


def save(root: Path, changes: dict[str, str | None], *, message: str, author: str | None, commit: bool,
         branch: str | None = None) -> str | None:
    """Write (text) or delete (None) each ``root/rel``, then commit exactly those paths.

    With ``branch``, the commit goes on a new branch made from the current one, for a pull
    request.  Return the commit sha (None with ``commit=False``).  On any failure every file's
    previous content, or absence, the folders and the branch are restored: the ledger is left
    as it was.
    """
    repo = gitstore.ready_to_commit(root) if commit else None
    if repo is not None and branch:
        head = repo.head.commit.hexsha
        previous = gitstore.start_branch(repo, branch)
        try:
            return save(root, changes, message=message, author=author, commit=True)
        except BaseException:
            gitstore.abandon_branch(repo, branch, previous, head)
            raise
    paths = {rel: root / rel for rel in changes}
    before = {rel: p.read_bytes() if p.exists() else None for rel, p in paths.items()}
    created = sorted({q for p in paths.values() for q in p.parents if not q.exists()}, key=lambda q: -len(q.parts))
    try:
        for rel, text in changes.items():
            if text is None:
                paths[rel].unlink(missing_ok=True)
            else:
                paths[rel].parent.mkdir(parents=True, exist_ok=True)
                write_file(paths[rel], text.encode("utf-8"))
        return gitstore.commit(repo, list(paths.values()), message, author) if repo is not None else None
    except BaseException:
        for rel, old in before.items():
            if old is None:
                paths[rel].unlink(missing_ok=True)
            else:
                write_file(paths[rel], old)
        for folder in created:
            if folder.exists() and not any(folder.iterdir()):
                folder.rmdir()
        raise
