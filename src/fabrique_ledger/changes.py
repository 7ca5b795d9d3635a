"""The vocabulary of the audit trail (DESIGN §7): commits, the file changes they make, and the
changes of a record field by field, as the store hands them over and ``log``, ``diff`` and ``verify``
use them.  Plain values: nothing here touches git, files or the terminal."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .i18n import M_, Joined, Message
from .records import Record

DataReader = Callable[[str, str], "Mapping[str, Any] | None"]  # (path, blob id) -> that version's keys and values


@dataclass(frozen=True)
class Commit:
    """One commit: who, when, what it says, and whether (and how well) it is signed."""

    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    date: str  # the author date, ISO 8601
    signature: str  # git's %G?: N none, G good, U good but unknown key, B bad, X/Y expired, R revoked, E not checkable
    subject: str
    committer: str = ""  # 'Name <email>' of who committed it (may differ from the author: fab commits as the member)
    committed: str = ""  # the committer date, ISO 8601
    key: str = ""  # the fingerprint of the key that signed it (git's %GK), when signed

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def day(self) -> datetime.date:  # (written so: the field 'date' shadows the type in the class)
        return datetime.date.fromisoformat(self.date[:10])

    @property
    def signed(self) -> bool:
        return self.signature not in ("N", "")

    @property
    def label(self) -> str:
        """How a commit is named in every report: short sha and subject, as git log --oneline."""
        return f'{self.short} "{self.subject}"'


@dataclass(frozen=True)
class FileChange:
    """One file changed by one commit; paths relative to the ledger root.  ``status`` is A, M, D or R
    (a rename, possibly with edits); ``old``/``new`` are the bytes when the store has read them, and
    ``old_data``/``new_data`` their keys and values (None: absent, or not a mapping).  A merge's change is
    against its first parent."""

    commit: Commit
    status: str
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None
    old: bytes | None = None
    new: bytes | None = None
    old_data: Mapping[str, Any] | None = None
    new_data: Mapping[str, Any] | None = None
    merged: bool = False  # a merge's change that the commits it brings made already: theirs, not the merge's (``lineage``)

    @property
    def path(self) -> str:
        return self.new_path or self.old_path or ""

    def touches(self, path: str) -> bool:
        return path in (self.old_path, self.new_path)


@dataclass(frozen=True)
class FieldChange:
    """One key of a record that differs: ``before``/``after`` is None when the key is absent."""

    field: str
    before: Any
    after: Any

    @property
    def text(self) -> Message | str:
        """'hours 4 → 6', 'url added: https://…', 'comment removed (was: …)'."""
        if self.before is None:
            return M_("{field} added: {value}", field=self.field, value=value_text(self.after))
        if self.after is None:
            return M_("{field} removed (was: {value})", field=self.field, value=value_text(self.before))
        return f"{self.field} {value_text(self.before)} → {value_text(self.after)}"


def value_text(value: Any, limit: int = 80) -> str:
    """A value as a person reads it: exact numbers, ISO dates, lists joined, long text cut."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, (list, tuple)):
        text = "[" + ", ".join(value_text(v, limit) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {value_text(v, limit)}" for k, v in value.items()) + "}"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _flat(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted keys (points.alice, weights.code), so a change names the exact value."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and value:
            out.update(_flat(value, f"{prefix}{key}."))
        elif value is not None and value != {}:
            out[f"{prefix}{key}"] = value
    return out


def field_changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[FieldChange]:
    """Key by key, what differs between two versions of a record (in the order of the keys)."""
    old, new = _flat(before or {}), _flat(after or {})
    keys = list(dict.fromkeys([*old, *new]))
    return [FieldChange(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def joined(parts: Iterable[Message | str]) -> Joined:
    """Parts of one sentence: 'a; b' ('a ; b' in French)."""
    return Joined(list(parts), M_("; "))


def fields_text(changes: Iterable[FieldChange]) -> Joined:
    return joined(c.text for c in changes)


def record_fields(record: Record | None) -> dict[str, Any] | None:
    """A record's YAML keys and values (its id and source left out)."""
    return None if record is None else record.model_dump()
