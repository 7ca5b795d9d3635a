"""The ledger at any revision, read from git objects (never from the working tree).

A record's identity across history is its path; its content at a revision is a blob, whose
id is also what seals record.  Commands reach history through these few functions.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import git

from ..changes import Commit, FileChange
from ..i18n import M_, _
from ..ledger import Ledger, blob_id
from ..lineage import Graph, mark_merged
from ..log import follow
from ..problems import Problem
from ..records import ID_PATTERN
from ..settings import CHARTER_PATH as CHARTER
from ..settings import SETTINGS_PATH
from ..signing import allowed_signers, fingerprint
from . import yamlio
from .blobs import read_blobs
from .cache import ParseCache, enabled, location, own_folder
from .git import GitProblem, open_repo, resolve, work_tree
from .paths import is_record_path
from .proofs import HistoryCache
from .reading import assemble
from .root import LEDGER_DIR
from .safe import SUBMODULE, Refused, read_inside, submodule, symlink, too_large
from .yamlio import MAX_BYTES

SYMLINK_MODE = 0o120000
GITLINK_MODE = 0o160000  # a submodule


class Revision:
    """One commit of the repository, seen from the ledger's root folder."""

    def __init__(self, root: Path, rev: str) -> None:
        repo = open_repo(root)
        if repo is None:
            raise GitProblem(_("{root} is not inside a git repository: there is no history to read").format(root=root))
        self.commit = resolve(repo, rev)
        self.repo = repo
        self.prefix = _prefix(repo, root)

    def _entry(self, rel: str) -> git.objects.Blob | git.objects.Tree | Refused | None:
        """The tree entry at ``rel`` (relative to the ledger root), walked one name at a time: a symbolic
        link on the way (mode 120000, as in a ``ledger`` committed as a link) is ``Refused``, never followed."""
        item = self.commit.tree
        parts = (self.prefix + rel).split("/")
        for depth, name in enumerate(parts):
            if item.type != "tree":
                return None
            try:
                item = item[name]
            except KeyError:
                return None
            if item.mode in (SYMLINK_MODE, GITLINK_MODE):
                link = "/".join(parts[: depth + 1])[len(self.prefix):] or name
                refuse = symlink if item.mode == SYMLINK_MODE else submodule
                return refuse(name, link if depth + 1 < len(parts) else None)
        return item

    def _bytes(self, sha: str) -> bytes:
        """A blob's bytes, unless it is over the size limit (then ``Refused``, and it is not read: git gives its size)."""
        binsha = bytes.fromhex(sha)
        size = self.repo.odb.info(binsha).size
        return too_large(size) if size > MAX_BYTES else self.repo.odb.stream(binsha).read()

    def read(self, rel: str) -> bytes | None:
        """The bytes of ``rel`` (relative to the ledger root) at this revision, or None; ``Refused`` for a
        symbolic link (on the way or the file itself) or a file over the size limit."""
        item = self._entry(rel)
        if item is None or isinstance(item, Refused):
            return item
        return self._bytes(item.hexsha) if item.type == "blob" else None

    def files(self, problems: list[Problem]) -> Iterator[tuple[str, str, Callable[[], bytes]]]:
        """Every record file under ledger/ at this revision, listed by git (``ls-tree``: GitPython's tree
        objects took seconds for 100 000 files).  A symbolic link (mode 120000) or a submodule (a gitlink,
        mode 160000) is the problem it is in the working tree (``paths._record_files``), put in ``problems``
        at once, before any file is read."""
        tree = self._entry(LEDGER_DIR)
        if tree is None or isinstance(tree, Refused) or tree.type != "tree":
            return iter(())  # (a ledger/ committed as a link is said once, by the settings read through it)
        found = []
        for mode, kind, sha, path in sorted(self.tree_entries(), key=lambda entry: entry[3]):
            rel = path[len(self.prefix):]
            *folders, name = rel.split("/")
            if rel == SETTINGS_PATH or any(part.startswith(".") for part in folders):
                continue  # (the settings are read, and said, apart; hidden folders are not the ledger's)
            if mode == "120000":
                problems.append(Problem(rel, 1, 1, "symlink", M_("'{name}' is a symbolic link", name=name)))
            elif mode == "160000":
                problems.append(Problem(rel, 1, 1, "not-a-file", M_(SUBMODULE, name=name)))
            elif kind == "blob" and is_record_path(rel):
                found.append((rel, sha, partial(self._bytes, sha)))  # read only on a cache miss
        return iter(found)

    def tree_entries(self) -> list[tuple[str, str, str, str]]:
        """(mode, kind, object id, path from the repository's top) of every file and submodule under the
        ledger's folder."""
        out = self.repo.git.execute(["git", "ls-tree", "-r", "-z", "--full-tree", self.commit.hexsha, "--",
                                     f"{self.prefix}{LEDGER_DIR}/"], strip_newline_in_stdout=False)
        found = []
        for line in out.split("\x00"):
            info, _tab, path = line.partition("\t")
            mode, kind, sha = (info.split(" ") + ["", "", ""])[:3]
            if kind in ("blob", "commit"):
                found.append((mode, kind, sha, path))
        return found

    def ledger(self, today: date | None = None) -> Ledger:
        problems: list[Problem] = []
        store = ParseCache(location(work_tree(self.repo)) if enabled() and not self.repo.bare else None)
        ledger = assemble(self.read(SETTINGS_PATH), self.files(problems), self.read(CHARTER), today, problems, store)
        store.save()
        return ledger


def read_ledger_at(root: Path, rev: str, today: date | None = None) -> Ledger:
    return Revision(root, rev).ledger(today)


# --- the ledger's history: commits and file changes, for fab log, diff and verify -------------------

LOG_FORMAT = "%x1e%H%x00%P%x00%an%x00%ae%x00%aI%x00%G?%x00%cn <%ce>%x00%cI%x00%GK%x00%s"
HEADER_FIELDS = 10


def _prefix(repo: git.Repo, root: Path) -> str:
    """Where the ledger's root sits in the repository ('' at its top, or in a bare repository)."""
    if repo.bare or repo.working_tree_dir is None:
        return ""
    prefix = Path(root).resolve().relative_to(Path(repo.working_tree_dir).resolve()).as_posix()
    return "" if prefix == "." else prefix + "/"


class History:
    """Every commit of a revision's history (HEAD's by default) that touched the ledger (or the charter),
    read with one ``git log`` and handed to ``log``, ``diff`` and ``verify`` as plain values, oldest first;
    a merge's changes are those against its first parent that are its own (``lineage``).  Signatures are
    checked by git against the keys the ledger's member files ever declared.  ``also``: other revisions
    whose history is read with it (the guard judges a branch as it would reach the main branch)."""

    def __init__(self, root: Path, rev: str = "HEAD", kept: HistoryCache | None = None, also: tuple[str, ...] = ()) -> None:
        self.root = Path(root)
        self.rev = rev
        self.head = Revision(root, rev)
        self.repo, self.prefix = self.head.repo, self.head.prefix
        self.revs = [*also, self.head.commit.hexsha]
        self.kept = kept if not also else None  # what earlier runs read of this revision's history
        self._key = (self.head.commit.hexsha, self.prefix, "ledger")
        self._all: list[FileChange] | None = self.kept.history(self._key)[0] if self.kept is not None else None
        self._own: list[FileChange] | None = None
        self._graph: Graph | None = None
        self._signers: str | None = None
        self._blobs: dict[str, bytes] = {}  # what prefetch read

    def _git(self, *args: str, signers: bool = True) -> str:
        """git's output; ``signers``: with the ledger's allowed signers, for git to check signatures."""
        config = ["-c", f"gpg.ssh.allowedSignersFile={self._signers_file()}"] if signers else []
        try:
            return self.repo.git.execute(["git", "-c", "core.quotePath=false", *config, *args], strip_newline_in_stdout=False)
        except git.GitCommandError as error:
            raise GitProblem(_("git {command} failed: {reason}").format(command=args[0], reason=(error.stderr or '').strip() or error)) from None

    def _signers_file(self) -> str:
        """git's allowed-signers file of every key a member file of the ledger ever declared (principal: the
        handle), kept in the git directory: git then checks SSH signatures and names the key (%GK)."""
        if self._signers is None:
            try:
                out = self.repo.git.execute(["git", "log", *self.revs, "--diff-merges=first-parent", "--format=", "--raw",
                                             "--no-abbrev", "-z", "--", f":(top){self.prefix}{LEDGER_DIR}/members"],
                                            strip_newline_in_stdout=False)
            except git.GitCommandError:
                out = ""
            keys: dict[str, set[str]] = {}
            fields = out.split("\x00")
            for info, path in zip(fields, fields[1:]):
                if info.lstrip("\n").startswith(":") and path.endswith(".yaml"):
                    data = yamlio.parse(self.blob(info.split()[3]) or b"", path).data
                    found = data.get("signing_keys") if isinstance(data, dict) else None
                    handle = path.rsplit("/", 1)[-1].removesuffix(".yaml")
                    if isinstance(found, list) and ID_PATTERN.fullmatch(handle):  # never a pattern: '*' names anyone
                        keys.setdefault(handle, set()).update(k for k in found if isinstance(k, str) and fingerprint(k))
            text = allowed_signers(keys)
            place = Path(self.repo.git_dir) / "fab" / "allowed_signers"
            try:  # it decides which keys are members': only in fab's own folder (cache.own_folder), as the caches
                if not own_folder(place.parent):
                    raise OSError(place.parent)
                if not place.is_file() or place.read_text("utf-8") != text:
                    place.write_text(text, "utf-8")
            except OSError:
                place = Path(os.devnull)  # a read-only repository: signatures are then reported unknown
            self._signers = str(place)
        return self._signers

    @property
    def changes(self) -> list[FileChange]:
        """File changes, oldest commit first (parents before children); renames are detected.  A merge's
        are its own only (``merged``: the others, what the commits it brings made already)."""
        if self._own is None:
            self._own = [c for c in self._every() if not c.merged]
        return self._own

    @property
    def merged(self) -> list[FileChange]:
        """The changes merges bring that the merged commits made already (for the rule of signatures)."""
        return [c for c in self._every() if c.merged]

    def _every(self) -> list[FileChange]:
        if self._all is None:
            out = self._git("log", *self.revs, "--reverse", "--topo-order", "--full-history", "--diff-merges=first-parent",
                            "-M", "--raw", "--no-abbrev", "-z", f"--format={LOG_FORMAT}", "--",
                            f":(top){self.prefix}{LEDGER_DIR}", f":(top){self.prefix}{CHARTER}")
            self._all = self._merges([change for chunk in out.split("\x1e")[1:] for change in self._parse(chunk)])
            if self.kept is not None:
                self.kept.keep_history(self._key, self._all, None)
        return self._all

    def _merges(self, changes: list[FileChange]) -> list[FileChange]:
        """``lineage.mark_merged``, when history has merges (the graph is read only then)."""
        return mark_merged(changes, self.graph()) if any(len(c.commit.parents) > 1 for c in changes) else changes

    def graph(self) -> Graph:
        """Every commit of the history and its parents, in topological order (``git rev-list --parents``)."""
        if self._graph is None:
            out = self._git("rev-list", "--topo-order", "--reverse", "--parents", *self.revs, signers=False)
            parents = {line.split()[0]: tuple(line.split()[1:]) for line in out.splitlines() if line}
            self._graph = Graph(parents, tuple(self.revs))
        return self._graph

    def commits_exist(self) -> None:
        """Ask git for the revision's last commit, so that a git failure is reported before any work."""
        self._git("log", "-1", "--format=%H", self.rev)

    def _parse(self, chunk: str) -> Iterator[FileChange]:
        """One commit of ``git log --raw -z``: the header's fields, then ':modes blobs STATUS\\0path[\\0path]'."""
        yield from self._entries(Commit(*self._header(chunk)), chunk.split("\x00")[HEADER_FIELDS:])

    def _entries(self, commit: Commit, fields: list[str]) -> Iterator[FileChange]:
        rest = [f.lstrip("\n") for f in fields]
        i = 0
        while i < len(rest):
            if not rest[i].startswith(":"):
                i += 1
                continue
            _, _, old_blob, new_blob, status = rest[i][1:].split(" ")
            paths = rest[i + 1: i + (3 if status[0] in "RC" else 2)]
            i += 1 + len(paths)
            old_path, new_path = (paths[0], paths[-1]) if status[0] in "RC" else (paths[0], paths[0])
            kind = {"A": "A", "D": "D", "R": "R", "C": "A"}.get(status[0], "M")
            yield FileChange(commit, kind, None if kind == "A" else self._rel(old_path), None if kind == "D" else self._rel(new_path),
                             None if kind == "A" else old_blob, None if kind == "D" else new_blob)

    def changes_of(self, path: str) -> list[FileChange]:
        """``follow(self.changes, path)``, asking git only about the file's names (``git log -- NAME``) rather
        than the whole history: 0.2 s instead of 15 s for 100 000 records in 20 000 commits.  A commit that
        adds or removes one of the names is diffed again over the whole ledger (``git diff-tree -M``), as
        the whole log sees it, to tell a rename; a rename's old name is then asked about too.  A merge's
        changes are told its own or brought per name (``lineage``), as in the whole log."""
        if self._all is not None:
            return follow(self.changes, path)
        names: set[str] = {path}
        while True:
            found = self._log_of(sorted(names))
            older = {c.old_path for c in found if c.status == "R" and c.new_path in names and c.old_path not in names}
            if not older:
                return follow([c for c in self._merges(found) if not c.merged], path)
            names |= {p for p in older if p}

    def _log_of(self, names: list[str]) -> list[FileChange]:
        """The whole log's changes of these files, in its order (a linear history's, or git's topological order)."""
        spec = [f":(top,literal){self.prefix}{name}" for name in names]
        out = self._git("log", *self.revs, "--reverse", "--topo-order", "--full-history", "--diff-merges=first-parent", "-M",
                        "--raw", "--no-abbrev", "-z", f"--format={LOG_FORMAT}", "--", *spec)
        found = []
        for chunk in out.split("\x1e")[1:]:
            changes = list(self._parse(chunk))
            if any(c.status in "ADR" for c in changes):
                changes = [c for c in self._whole_diff(changes[0].commit) if c.old_path in names or c.new_path in names]
            found += changes
        return found

    def _whole_diff(self, commit: Commit) -> Iterator[FileChange]:
        """A commit's changes as ``changes`` has them: diffed with its first parent over the ledger and the charter."""
        out = self._git("diff-tree", "--no-commit-id", "--root", "-r", "-M", "--raw", "--no-abbrev", "-z", *commit.parents[:1],
                        commit.sha, "--", f":(top){self.prefix}{LEDGER_DIR}", f":(top){self.prefix}{CHARTER}")
        return self._entries(commit, out.split("\x00"))

    def _rel(self, path: str) -> str:
        return path[len(self.prefix):] if path.startswith(self.prefix) else path

    def prefetch(self, shas: Iterable[str | None]) -> None:
        """Read many blobs at once (``store.blobs``): what ``blob`` then answers from."""
        self._blobs.update(read_blobs(self.repo.git_dir, sorted({sha for sha in shas if sha} - self._blobs.keys())))

    def blob(self, sha: str | None) -> bytes | None:
        """The bytes of a blob, or None when it is not in the repository (any more); one over the size
        limit is not read (``Refused``)."""
        if not sha:
            return None
        if sha in self._blobs:
            return self._blobs[sha]
        try:
            return self.head._bytes(sha)
        except (ValueError, git.BadName, git.BadObject, git.GitCommandError):
            return None

    def with_seals(self) -> list[FileChange]:
        """``changes``, the seal files' with their contents (their history is checked), the others as they are."""
        read = iter(self.with_contents([c for c in self.changes if _is_seal(c)]))
        return [next(read) if _is_seal(c) else c for c in self.changes]

    def with_contents(self, changes: Iterable[FileChange]) -> list[FileChange]:
        """The changes with both versions of each file: their bytes, and their keys and values."""
        changes = list(changes)
        if len(changes) > 50:
            self.prefetch(blob for c in changes for blob in (c.old_blob, c.new_blob))
        found = []
        for c in changes:
            old, new = self.blob(c.old_blob), self.blob(c.new_blob)
            if self.kept is None:
                old_data, new_data = _data(old, c.old_path), _data(new, c.new_path)
            else:
                old_data = self.kept.parse(c.old_blob, partial(_data, old, c.old_path))
                new_data = self.kept.parse(c.new_blob, partial(_data, new, c.new_path))
            found.append(replace(c, old=old, new=new, old_data=old_data, new_data=new_data))
        return found

    def read(self, rel: str, sha: str) -> bytes | None:
        """A version of a file by blob id: from git, else from the working tree when it is that version."""
        found = self.blob(sha)
        if found is None:
            raw = read_inside(self.root, rel)
            found = raw if raw is not None and not isinstance(raw, Refused) and blob_id(raw) == sha else None
        return found

    def read_data(self, rel: str, sha: str) -> Mapping[str, Any] | None:
        """The keys and values of a version of a file (``read``), or None when it is not a mapping."""
        return _data(self.read(rel, sha), rel)

    def ancestors(self, sha: str) -> frozenset[str]:
        """The commit and every commit it descends from."""
        return frozenset(self._git("rev-list", sha, signers=False).split())

    def commits(self) -> list[Commit]:
        """Every commit of the revision (not only the ledger's), with its signature status, oldest first."""
        found = self.kept.history(self._key)[1] if self.kept is not None else None
        if found is None:
            out = self._git("log", *self.revs, "--reverse", "--topo-order", "-z", f"--format={LOG_FORMAT}")
            found = [Commit(*self._header(chunk)) for chunk in out.split("\x1e")[1:]]
            if self.kept is not None:
                self.kept.keep_history(self._key, None, found)
        return found

    @staticmethod
    def _header(chunk: str) -> tuple:
        sha, parents, author, email, when, signature, committer, committed, key, subject = chunk.split("\x00")[:HEADER_FIELDS]
        return sha, tuple(parents.split()), author, email, when, signature, subject, committer, committed, key

    def head_blobs(self) -> dict[str, str]:
        """path -> blob id of every file under ledger/ in HEAD (what is committed)."""
        tree = self.head._entry(LEDGER_DIR)
        if tree is None or isinstance(tree, Refused) or tree.type != "tree":
            return {}
        return {path[len(self.prefix):]: sha for _mode, kind, sha, path in self.head.tree_entries() if kind == "blob"}

    def ledger_at(self, sha: str, today: date | None = None) -> Ledger:
        return Revision(self.root, sha).ledger(today)


def main_base(root: Path) -> tuple[str, str]:
    """The merge-base of HEAD with the main branch (main, master, their origin copies, else the
    upstream), and the name of that branch: the default BASE of fab diff."""
    repo = Revision(root, "HEAD").repo
    for name in ("main", "master", "origin/main", "origin/master", "@{upstream}"):
        try:
            other = resolve(repo, name)
        except GitProblem:
            continue
        bases = repo.merge_base("HEAD", other)
        if bases:
            return bases[0].hexsha, name
    raise GitProblem(_("no main branch to compare with (no main, master or upstream): give the base, like fab diff origin/main"))


def _is_seal(change: FileChange) -> bool:
    return any(p and p.startswith(f"{LEDGER_DIR}/periods/") for p in (change.old_path, change.new_path))


def _data(raw: bytes | None, path: str | None) -> Mapping[str, Any] | None:
    """A file's keys and values; None when missing or not a readable mapping."""
    if raw is None:
        return None
    data = yamlio.parse(raw, path or "").data
    return data if isinstance(data, dict) else None
