"""``fab log`` (DESIGN §7): the commits that touched a record or named a member, field by field."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .changes import Commit, FieldChange, FileChange, field_changes, fields_text, joined
from .i18n import M_, Message
from .records import Member, path_of
from .signing import named_members


@dataclass(frozen=True)
class LogLine:
    """What one commit did to one file: added, changed, removed or moved, key by key."""

    change: FileChange
    action: str  # added, changed, removed, moved
    fields: tuple[FieldChange, ...]
    readable: bool = True  # both versions read as keys and values

    @property
    def text(self) -> Message | str:
        """'added', 'hours 4 → 6', 'moved from X to Y; date 2026-06-30 → 2026-07-01'."""
        if self.action == "added":
            return M_("added")
        if self.action == "removed":
            return M_("removed")
        words = [M_("moved from {old} to {new}", old=self.change.old_path, new=self.change.new_path)] \
            if self.action == "moved" else []
        if self.fields:
            words.append(fields_text(self.fields))
        elif self.change.old != self.change.new:
            words.append(M_("layout or comments changed, no value") if self.readable
                         else M_("content changed (a version cannot be read as keys and values)"))
        return joined(words)


@dataclass(frozen=True)
class LogEntry:
    commit: Commit
    lines: tuple[LogLine, ...]


def follow(changes: Iterable[FileChange], path: str) -> list[FileChange]:
    """The changes of one file, following renames back in time like ``git log --follow``."""
    return (changes if isinstance(changes, Trail) else Trail(changes)).follow(path)


class Trail(tuple):
    """Changes (oldest first) indexed by the path each one brings, so that following many files
    (``fab verify``: every signature, request and seal) costs one pass, not one per file."""

    _index: dict[str, list[int]] | None = None

    def follow(self, path: str) -> list[FileChange]:
        """Change i counts when it brings one of the names the file had when i is reached walking back,
        i.e. a name given up by a rename later than i (or the path itself)."""
        if self._index is None:
            self._index = {}
            for i, change in enumerate(self):
                key = change.old_path if change.status == "D" else change.new_path
                if key is not None:
                    self._index.setdefault(key, []).append(i)
        limits, todo, taken = {path: len(self)}, [path], set()
        while todo:
            name = todo.pop()
            for i in self._index.get(name, ()):
                if i >= limits[name]:
                    break
                taken.add(i)
                change = self[i]
                if change.status == "R" and change.old_path and limits.get(change.old_path, -1) < i:
                    limits[change.old_path] = i
                    todo.append(change.old_path)
        return [self[i] for i in sorted(taken)]


def names_member(data: Mapping[str, Any] | None, handle: str) -> bool:
    """Whether a record's raw data names ``handle`` as author, donor, member, reviewer, giver, reporter or poster."""
    return handle in named_members("", data)


def might_name(raw: bytes | None, handle: str) -> bool:
    """Whether a version of a file may name ``handle``: a handle is plain letters, so a file naming it holds
    it as written, unless YAML escapes (a backslash) spell it otherwise.  Files that cannot are not parsed."""
    return raw is not None and (handle.encode() in raw or b"\\" in raw)


def member_changes(changes: Iterable[FileChange], handle: str, blob: Callable[[str | None], bytes | None],
                   with_contents: Callable[[list[FileChange]], list[FileChange]]) -> list[FileChange]:
    """The member's own file (renames followed) and every version of a record that names them, with their
    contents; only the versions whose bytes (``blob``) may name them are parsed (``with_contents``)."""
    changes = list(changes)
    own = {id(c) for c in follow(changes, path_of(Member, None, handle))}
    maybe = [c for c in changes if id(c) in own or might_name(blob(c.old_blob), handle) or might_name(blob(c.new_blob), handle)]
    return [full for c, full in zip(maybe, with_contents(maybe))
            if id(c) in own or names_member(full.old_data, handle) or names_member(full.new_data, handle)]


def log_line(change: FileChange) -> LogLine:
    action = {"A": "added", "D": "removed", "R": "moved"}.get(change.status, "changed")
    before, after = change.old_data, change.new_data
    readable = before is not None and after is not None
    fields = tuple(field_changes(before, after)) if readable and action not in ("added", "removed") else ()
    return LogLine(change, action, fields, readable)


def log_entries(changes: Iterable[FileChange], since: date | None = None) -> list[LogEntry]:
    """Changes grouped by commit, oldest first; ``since`` keeps commits authored on or after that day."""
    entries: dict[str, list[LogLine]] = {}
    commits: dict[str, Commit] = {}
    for change in changes:
        if since is not None and change.commit.day < since:
            continue
        commits[change.commit.sha] = change.commit
        entries.setdefault(change.commit.sha, []).append(log_line(change))
    return [LogEntry(commits[sha], tuple(lines)) for sha, lines in entries.items()]


def paths_of(record_id: str, current: Iterable[str], history: Iterable[FileChange]) -> list[str]:
    """The files a record id may stand for: those of the current ledger, else those of history
    (a file renamed later counts once, under its last name)."""
    def stem(path: str) -> str:
        return path.rsplit("/", 1)[-1].removesuffix(".yaml")

    now = sorted({p for p in current if stem(p) == record_id})
    if now:
        return now
    history = list(history)
    renamed_away = {c.old_path for c in history if c.status == "R"}
    seen = {p for c in history for p in (c.old_path, c.new_path) if p and stem(p) == record_id}
    return sorted(seen - renamed_away)
