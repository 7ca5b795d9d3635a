"""Response templates: Markdown texts with placeholders like ``{{consultant.name}}``.

Pure string work on texts the command line reads from ``templates/``: the first heading of a
template, its placeholders with their line and column, the unknown ones (a typo must not end up in
an offer sent to a client), and the filled text.
"""

from __future__ import annotations

from .i18n import N_, M_

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
NAME = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")


@dataclass(frozen=True)
class Slot:
    """One placeholder as written in a template: its name, where it starts, and its exact text."""

    name: str
    line: int
    column: int
    text: str


@dataclass(frozen=True)
class TemplateProblem:
    """A mistake in a template file, at its place."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


def heading(text: str) -> str | None:
    """The text of the first Markdown heading (``# Title``), or None."""
    for line in text.splitlines():
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match and match.group(1):
            return match.group(1)
    return None


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def slots(text: str) -> list[Slot]:
    """Every ``{{ name }}`` of the text, in order."""
    return [Slot(m.group(1).strip(), *_line_col(text, m.start()), m.group(0)) for m in PLACEHOLDER.finditer(text)]


def problems(text: str, path: str, known: Iterable[str]) -> list[TemplateProblem]:
    """Unknown or malformed placeholders, and ``{{`` that is never closed."""
    known = list(known)
    found = []
    for slot in slots(text):
        if "\n" in slot.text or "{{" in slot.text[2:]:
            found.append(TemplateProblem(path, slot.line, slot.column, M_("'{{' opens a placeholder that is not closed by '}}' on its line"),
                                         M_("write placeholders on one line, like {{consultant.name}}")))
        elif slot.name not in known:
            close = difflib.get_close_matches(slot.name, known, n=1, cutoff=0.6)
            hint = (M_("did you mean {placeholder}?", placeholder="{{" + close[0] + "}}") if close
                    else M_("known placeholders: {names}", names=", ".join("{{" + k + "}}" for k in known)))
            what = M_(N_("unknown placeholder {text}") if NAME.match(slot.name) else N_("{text} is not a placeholder name"),
                      text=slot.text)
            found.append(TemplateProblem(path, slot.line, slot.column, what, hint))
    rest = PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text)
    start = rest.find("{{")
    if start >= 0:
        line, column = _line_col(text, start)
        found.append(TemplateProblem(path, line, column, M_("'{{' opens a placeholder that is never closed by '}}'"),
                                     M_("close it, like {{consultant.name}}")))
    return sorted(found, key=lambda p: (p.line, p.column))


def fill(text: str, values: Mapping[str, str | None]) -> tuple[str, list[Slot]]:
    """The text with each placeholder replaced by its value; placeholders without a value (None) are
    left as written, and returned so that the caller can say what is left to complete.

    Call ``problems`` first: names not in ``values`` are left as written too.
    """
    left: list[Slot] = []
    by_start = {(s.line, s.column): s for s in slots(text)}

    def replace(match: re.Match) -> str:
        name = match.group(1).strip()
        value = values.get(name)
        if value is None:
            left.append(by_start[_line_col(text, match.start())])
            return match.group(0)
        return value

    return PLACEHOLDER.sub(replace, text), left
