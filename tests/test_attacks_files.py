"""Attacks through files and git (issue 13, part 4), tried the way an attacker would, each failing on the
main branch before this work: fab's lock and journal in a folder another user controls, a journal naming
paths outside the ledger, a ledger read through symbolic links, a FIFO that blocks ``fab check``, a 3 GB
record read whole, revisions and branch names that git reads as something else, a read-only ``.git``,
and bank details committed as a payment reference.

Every test drives ``fab`` as a user does (in-process, or as a real process when it could hang, needs less
memory or fewer privileges), asserts the exact message and exit code, and that nothing changed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import resource
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import Fab, drop_root_privileges, replay

KEY = b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMallory mallory@evil.example\n"
DONATE = ("donate", "--by", "bruno", "--amount", "50", "--date", "2026-11-20")
DONATION = "ledger/donations/2026-H2/2026-11-20-bruno.yaml"


def run(root: Path, *args: str, timeout: float = 60, **popen) -> subprocess.CompletedProcess:
    """fab as a real process, on the ledger at ``root``."""
    return subprocess.run([sys.executable, "-m", "fabrique_ledger", *args, "--ledger", str(root)],
                          capture_output=True, text=True, timeout=timeout, **popen)


def everything(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``folder`` (links as their target), but the git folders (whose fab caches
    a read may refresh), for 'nothing was written there'."""
    return {p.relative_to(folder).as_posix(): (os.readlink(p).encode() if p.is_symlink() else p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*")) if ".git" not in p.relative_to(folder).parts}


def journal(paths: dict[str, bytes | None], folders: tuple[str, ...] = (), **extra) -> str:
    """A journal as fab writes it, naming ``paths`` with what they held 'before' (what a repair restores)."""
    return json.dumps({"pid": 1, "message": "contribute: alice", "commit": False, "head": None, "branch": None,
                       "previous": None, "folders": list(folders), **extra,
                       "paths": {rel: {"before": base64.b64encode(old).decode() if old is not None else None, "after": None}
                                 for rel, old in paths.items()}})


# --- 3. records and the ledger folder are read only as regular files inside the repository --------------------

def _copy_outside(fab: Fab, rel: str) -> Path:
    """``rel`` moved out of the ledger (a valid copy), and a symbolic link to it put in its place."""
    target = fab.root.parent / "elsewhere" / Path(rel).name
    target.parent.mkdir(exist_ok=True)
    (fab.root / rel).rename(target)
    (fab.root / rel).symlink_to(target)
    return target


@pytest.mark.parametrize(("rel", "problem"), [
    ("ledger", "ledger:1:1: symlink 'ledger' is a symbolic link"),
    ("ledger/fabrique.yaml", "ledger/fabrique.yaml:1:1: symlink 'fabrique.yaml' is a symbolic link"),
    ("charter.md", "charter.md:1:1: symlink 'charter.md' is a symbolic link"),
])
def test_the_ledger_folder_settings_and_charter_are_never_read_through_a_link(fab, rel, problem):
    """Before: a symlinked ledger/ (or its settings, or the charter) was read from outside the repository,
    and fab check said ok."""
    _copy_outside(fab, rel)
    before = fab.state()
    checked = fab("check")
    assert checked.code == 1, checked.out
    assert checked.out.splitlines()[0] == problem
    assert checked.out.splitlines()[1] == "  hint: replace the link by the file itself; links could point outside the ledger"
    if rel == "ledger":
        assert checked.out.splitlines()[2:] == ["", "1 problem in 1 file (0 records read)"]
    assert fab.state() == before


def _unix_socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


@pytest.mark.parametrize(("make", "what"), [
    (os.mkfifo, "a named pipe (FIFO)"),
    (_unix_socket, "a socket"),
    (lambda path: os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3)), "a device"),  # /dev/null's numbers
], ids=["fifo", "socket", "device"])
def test_a_fifo_socket_or_device_record_is_a_problem_and_is_never_opened(fab, make, what):
    """Before: fab check opened the FIFO and waited forever for a writer."""
    rel = "ledger/members/dora.yaml"
    try:
        make(fab.root / rel)
    except PermissionError:
        pytest.skip("making a device file needs privileges")
    before = fab.state()
    checked = run(fab.root, "check", timeout=30)  # a real process: it would block, not the test run
    assert checked.returncode == 1, checked.stderr
    assert checked.stdout.splitlines() == [
        f"{rel}:1:1: not-a-file 'dora.yaml' is {what}, not a regular file",
        "  hint: remove it, or replace it by a regular file: fab reads only regular files, and never opens anything else",
        "", "1 problem in 1 file (3 records read)"]
    assert fab.state() == before


def _address_space(limit: int):
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return preexec


def test_a_huge_record_is_refused_without_being_read(fab):
    """Before: a 3 GB record file was read whole (6 GB of memory) before the 1 MiB limit applied.  The file
    is sparse (it takes no disk), and fab runs with 1 GB of address space: reading it whole fails."""
    rel = "ledger/members/dora.yaml"
    with (fab.root / rel).open("wb") as handle:
        handle.truncate(3 * 1024 ** 3)
    checked = run(fab.root, "check", "--format", "json", timeout=60, preexec_fn=_address_space(1024 ** 3))
    assert checked.returncode == 1, checked.stderr[-2000:]
    assert checked.stderr == ""
    assert [(p["path"], p["code"], p["message"]) for p in json.loads(checked.stdout)["problems"]] == [
        (rel, "file-too-large", "the file is 3,221,225,472 bytes; a record file may hold at most 1 MiB")]
