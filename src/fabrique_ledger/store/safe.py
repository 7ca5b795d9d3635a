"""Touching files safely: the ledger is read only as regular files inside its repository, and fab's own
folders (lock, journal) are used only when they are the user's own (docs/guarantees.md, "Files and git").

- ``read_regular`` looks at a file (``lstat``) before opening it: a symbolic link, a FIFO, a socket or a
  device is never opened (a FIFO would block the reader forever, a device could do anything), and a file
  over the size limit is never read (3 GB of a record file would take 6 GB of memory).  What is not read
  comes back as ``Refused``: bytes that stand for the problem, which yamlio turns into that problem.
- ``read_inside`` does the same for a path under the ledger's root, refusing a symbolic link on the way
  (a symlinked ``ledger/`` folder would read another folder of the machine as the ledger).
- ``checked_relative`` says whether a path named by a journal or a write stays inside the ledger.
- ``private_folder`` makes or checks a folder that only the current user may use.
"""

from __future__ import annotations

import os
import posixpath
import stat
from pathlib import Path
from typing import Literal, overload

from ..i18n import N_, _
from ..problems import FabError
from .yamlio import MAX_BYTES


class Refused(bytes):
    """What is read in place of a file that is not read.  Its bytes describe why, so that its blob id (the
    parse cache's key) is no record's and changes with the reason; ``code`` and ``message`` are the problem
    it is, reported at ``path`` when that is not the file's own (a symbolic link on the way to it)."""

    code: str
    message: str
    path: str | None

    def __new__(cls, code: str, message: str, path: str | None = None) -> Refused:
        self = super().__new__(cls, f"\0fab refused {code} {path or ''}\0{message}".encode("utf-8", "surrogateescape"))
        self.code, self.message, self.path = code, message, path
        return self

    def __reduce__(self):
        return (Refused, (self.code, self.message, self.path))


_SPECIAL = ((stat.S_ISFIFO, N_("a named pipe (FIFO)")), (stat.S_ISSOCK, N_("a socket")),
            (stat.S_ISCHR, N_("a device")), (stat.S_ISBLK, N_("a device")))


def too_large(size: int) -> Refused:
    return Refused("file-too-large", _('the file is {n_raw:,} bytes; a record file may hold at most 1 MiB').format(n_raw=size))


def symlink(name: str, path: str | None = None) -> Refused:
    return Refused("symlink", _("'{name}' is a symbolic link").format(name=name), path)


SUBMODULE = N_("'{name}' is a git submodule (another repository), not a file of the ledger")


def submodule(name: str, path: str | None = None) -> Refused:
    """A git submodule (a gitlink in a tree, or a folder holding its own ``.git``) where the ledger's files
    should be: another repository's files are not the ledger's."""
    return Refused("not-a-file", _(SUBMODULE).format(name=name), path)


def special(name: str, mode: int) -> Refused:
    """A FIFO, socket or device where a file should be."""
    what = next((_(kind) for test, kind in _SPECIAL if test(mode)), _("a special file"))
    return Refused("not-a-file", _("'{name}' is {what}, not a regular file").format(name=name, what=what))


def read_regular(path: Path | str, limit: int = MAX_BYTES) -> bytes | None:
    """The bytes of the regular file ``path``, or None when there is none; ``Refused`` for a symbolic link,
    a FIFO, socket or device (looked at, never opened), or a file of more than ``limit`` bytes (never read
    whole: its size is known before, and at most ``limit`` + 1 bytes are read if it grows meanwhile)."""
    path = os.fspath(path)
    name = os.path.basename(path)
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    if stat.S_ISLNK(info.st_mode):
        return symlink(name)
    if not stat.S_ISREG(info.st_mode):
        return special(name, info.st_mode)
    if info.st_size > limit:
        return too_large(info.st_size)
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as error:
        if os.path.islink(path):  # replaced by a link since it was looked at (ELOOP)
            return symlink(name)
        raise error
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode):  # replaced by something else since it was looked at
            return special(name, now.st_mode)
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return too_large(max(len(data), now.st_size)) if len(data) > limit else data


def link_on_the_way(root: Path, rel: str) -> str | None:
    """The first folder of ``rel`` (relative to ``root``) that is a symbolic link, as a relative path."""
    parts = rel.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        if os.path.islink(os.path.join(root, folder)):
            return folder
    return None


def read_inside(root: Path, rel: str, limit: int = MAX_BYTES) -> bytes | None:
    """``read_regular`` of ``root/rel``, refusing a symbolic link among its folders too (reported there)."""
    link = link_on_the_way(root, rel)
    if link is not None:
        return symlink(link.rsplit("/", 1)[-1], link)
    return read_regular(Path(root) / rel, limit)


def printable(text: str) -> str:
    """``text`` with its control characters written as escapes (\\x1b), for a message on one line."""
    return "".join(c if c.isprintable() else (f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}") for c in text)


# --- paths that must stay inside the ledger

WRITTEN = ("ledger/", "charter.md", "templates/")  # what fab writes: records and settings, the charter, templates


def checked_relative(root: Path, rel: object, folder: bool = False) -> str | None:
    """Why ``rel`` is not a path fab may write under ``root`` (None when it is): it must be a relative,
    normalised path, under ledger/ or templates/ or the charter (``folder``: ledger/, templates/ or one of
    their folders), with no symbolic link on the way, and be a regular file (or a folder) if it exists."""
    if not isinstance(rel, str) or not rel:
        return _("it is not a path")
    if any(ord(c) < 32 or ord(c) == 127 for c in rel) or "\\" in rel:
        return _("it holds control characters or backslashes")
    if rel.startswith("/") or posixpath.normpath(rel) != rel or ".." in rel.split("/"):
        return _("it is not a relative path inside the ledger")
    allowed = ("ledger", "templates") if folder else ("charter.md",)
    if not (rel in allowed or rel.startswith(("ledger/", "templates/"))):
        return _("it is not a file fab writes (ledger/..., charter.md, templates/...)")
    link = link_on_the_way(root, rel + ("/" if folder else ""))
    if link is not None or os.path.islink(os.path.join(root, rel)):
        return _("'{name}' is a symbolic link").format(name=link or rel)
    try:
        mode = os.lstat(os.path.join(root, rel)).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not (stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)):
        return _("it is not a regular file")
    return None


# --- folders of the user's own

class UnsafeFolder(FabError):
    """A folder fab would keep its lock and journal in is not the user's own; the message says why."""


@overload
def private_folder(path: Path, create: Literal[True] = True, others: int = 0o077) -> Path: ...
@overload
def private_folder(path: Path, create: bool, others: int = 0o077) -> Path | None: ...


def private_folder(path: Path, create: bool = True, others: int = 0o077) -> Path | None:
    """``path`` once sure that only the current user can use it: a folder (not a symbolic link) owned by
    them, with none of the permissions ``others`` for group or others (all of them by default; 0o022, no
    write, for a folder that only holds such folders).  With ``create``, it is made so (mode 0700) when
    missing; without, None when missing.  Raises ``UnsafeFolder`` otherwise: it is never repaired silently."""
    if create:
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        else:
            os.chmod(path, 0o700)  # whatever the umask
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if create:
            raise
        return None
    if stat.S_ISLNK(info.st_mode):
        reason = _("it is a symbolic link")
    elif not stat.S_ISDIR(info.st_mode):
        reason = _("it is not a folder")
    elif info.st_uid != os.geteuid():
        reason = _("it belongs to another user (uid {uid})").format(uid=info.st_uid)
    elif info.st_mode & others:
        reason = _("other users may use it (mode {mode:04o})").format(mode=stat.S_IMODE(info.st_mode))
    else:
        return Path(path)
    raise UnsafeFolder(reason)
