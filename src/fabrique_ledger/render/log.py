"""``fab log`` for people (a table of commits, field by field) and as JSON."""

from __future__ import annotations

from ..changes import FieldChange
from ..i18n import _, ngettext
from ..log import LogEntry
from .sentences import jsonable, when


def log_data(entries: list[LogEntry], what: dict) -> dict:
    return {
        **what,
        "commits": [{
            "commit": e.commit.sha, "short": e.commit.short, "date": e.commit.date, "author": e.commit.author,
            "email": e.commit.email, "message": e.commit.subject, "signed": e.commit.signed,
            "changes": [{"path": line.change.path, "action": line.action,
                         "from": line.change.old_path if line.action == "moved" else None, "text": line.text,
                         "fields": [_field(f) for f in line.fields]} for line in e.lines],
        } for e in entries],
    }


def _field(change: FieldChange) -> dict:
    return {"field": change.field, "before": jsonable(change.before), "after": jsonable(change.after)}


def log_text(entries: list[LogEntry], title: str) -> str:
    """One block per commit, oldest first: date, short sha, author, message, then each file's change."""
    if not entries:
        return _("{title}: no commit").format(title=title) + "\n"
    lines = [_("{title}: {commits}, oldest first").format(
        title=title, commits=commits(len(entries))), ""]
    for entry in entries:
        c = entry.commit
        signed = _(" [signed]") if c.signed else ""
        lines.append(f"{when(c.day)}  {c.short}  {c.author} <{c.email}>{signed}  {c.subject}")
        lines += [_("    {path}: {change}").format(path=line.change.path, change=line.text) for line in entry.lines]
    return "\n".join(lines) + "\n"


def commits(count: int) -> str:
    return ngettext("{count} commit", "{count} commits", count).format(count=count)
