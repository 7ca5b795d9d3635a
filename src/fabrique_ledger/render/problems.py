"""Problems as text (grouped by file, hledger-style) and as JSON."""

from __future__ import annotations

from collections.abc import Sequence

from ..i18n import N_, _, ngettext

SEVERITIES = (N_("error"), N_("warning"))  # shown translated
from .formats import as_json as _as_json
from ..problems import Problem


def as_text(problems: Sequence[Problem]) -> str:
    """``path:line:col: CODE message`` then an indented hint; a blank line between files."""
    lines: list[str] = []
    previous = None
    for problem in problems:
        if previous is not None and problem.path != previous:
            lines.append("")
        previous = problem.path
        label = "" if problem.severity == "error" else _("{severity}: ").format(severity=_(problem.severity))
        lines.append(f"{problem.location()}: {problem.code} {label}{problem.message}")
        lines.append(_("  hint: {hint}").format(hint=problem.hint))
    return "\n".join(lines)


def summary(problems: Sequence[Problem], records: int) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    if not problems:
        return _("ok: {records} records, no problems").format(records=records)
    parts = [ngettext("{n} problem", "{n} problems", errors).format(n=errors)]
    if warnings:
        parts.append(ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings))
    read = ngettext("{records} record read", "{records} records read", records).format(records=records)
    return ngettext("{parts} in {files} file ({read})", "{parts} in {files} files ({read})",
                    files).format(parts=_(" and ").join(parts), files=files, read=read)


def as_json(problems: Sequence[Problem]) -> str:
    return _as_json({"problems": [p.as_dict() for p in problems]})
