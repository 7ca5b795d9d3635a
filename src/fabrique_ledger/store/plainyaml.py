"""The usual shape of a record file, read line by line instead of by a YAML parser.

Nearly every record file is a block mapping of ``key: value`` lines, sometimes with a block list of
small mappings (a contribution's co-authors).  Composing such a file with the C parser and turning
its nodes into values costs about five times more than reading its lines, and a cold read of a large
ledger is mostly that.  ``read`` gives exactly what ``yamlio.parse`` gives for those files (values,
positions of values and keys), and gives up (None) on anything else — anchors, tags, flow
collections, escapes, comments after a value, values on several lines, tabs, odd characters, empty
values, repeated keys — which the parser then reads and, when wrong, words.  tests/test_plainyaml.py
holds it to that: for every text it reads, the parser's result, on generated texts and real ledgers.

It also holds how a plain value is typed (YAML 1.2's implicit types, as ruamel.yaml defines them),
which both readers share.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from decimal import Decimal
from typing import Any

CORE = "tag:yaml.org,2002:"
STR = CORE + "str"
_PLAIN_INT = re.compile(r"[-+]?[0-9]{1,30}")
_PLAIN_DEC = re.compile(r"[-+]?[0-9]{1,30}\.[0-9]{0,30}")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]{0,99}):(?: +(.*))?")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")

Loc = tuple[Any, ...]
Place = tuple[int, int]


def _implicit_tags() -> dict[str, list[tuple[str, Any]]]:
    """YAML 1.2's implicit scalar types, as ruamel.yaml defines them, indexed by first character."""
    from ruamel.yaml.resolver import implicit_resolvers

    table: dict[str, list[tuple[str, Any]]] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            for char in first or [""]:  # ruamel's patterns compile lazily, through a Python attribute hook
                table.setdefault(char, []).append((tag, re.compile(regexp.pattern, regexp.flags)))
    return table


TAGS = _implicit_tags()


@functools.lru_cache(maxsize=4096)  # keys, handles, kinds and dates come back file after file
def resolve(value: str) -> str:
    """The tag of a plain (unquoted) value."""
    for tag, regexp in TAGS.get(value[:1], ()):
        if regexp.fullmatch(value):
            return tag
    return STR


class NotPlain(ValueError):
    """A value whose tag records never need (the parser's reader says which, and where)."""


def typed(text: str, tag: str) -> Any:
    """Plain values only; numbers stay exact and odd forms (0x1F, 1e400, .inf) stay text."""
    if tag == STR:
        return text
    if tag == CORE + "null":
        return None
    if tag == CORE + "bool":
        return text.lower() == "true"
    if tag == CORE + "int":
        return int(text) if _PLAIN_INT.fullmatch(text) else text
    if tag == CORE + "float":
        return Decimal(text) if _PLAIN_DEC.fullmatch(text) else text
    if tag == CORE + "timestamp":
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    raise NotPlain(tag)


class _GiveUp(Exception):
    pass


def read(text: str) -> tuple[Any, dict[Loc, Place], dict[Loc, Place]] | None:
    """(data, positions of values, positions of keys), or None for a file of another shape."""
    if "\t" in text or "\r" in text or not text.replace("\n", "").isprintable():
        return None  # NEL, LS and PS are line breaks for the parser: lines would be counted differently
    lines = []
    for number, line in enumerate(text.split("\n"), 1):
        content = line.lstrip(" ")
        if content and not content.startswith("#"):
            lines.append((number, len(line) - len(content), content.rstrip(" ")))
    if not lines or lines[0][1] != 0:
        return None
    reader = _Lines(lines)
    try:
        data = reader.mapping(0, ())
    except _GiveUp:
        return None
    return (data, reader.values, reader.keys) if reader.at == len(lines) else None


class _Lines:
    """Block mappings and lists of ``key: value`` lines, each line (number, indentation, content)."""

    def __init__(self, lines: list[tuple[int, int, str]]) -> None:
        self.lines, self.at = lines, 0
        self.values: dict[Loc, Place] = {}
        self.keys: dict[Loc, Place] = {}

    def mapping(self, indent: int, loc: Loc) -> dict:
        out: dict[str, Any] = {}
        self.values[loc] = (self.lines[self.at][0], indent + 1)
        while self.at < len(self.lines):
            number, column, content = self.lines[self.at]
            if column < indent:
                break
            found = _KEY.fullmatch(content)
            if column > indent or found is None or found[1] in out or resolve(found[1]) != STR:
                raise _GiveUp
            key, value = found[1], found[2]
            self.keys[(*loc, key)] = (number, column + 1)
            self.at += 1
            if value:
                out[key] = self.scalar(value, (*loc, key), number, column + found.start(2) + 1)
            else:
                out[key] = self.nested(indent, (*loc, key))
        return out

    def nested(self, indent: int, loc: Loc) -> Any:
        """The block under ``key:`` (a list may stand at the key's own indentation)."""
        if self.at == len(self.lines):
            raise _GiveUp  # an empty value
        _, column, content = self.lines[self.at]
        if content.startswith("- ") and column >= indent:
            return self.sequence(column, loc)
        if column > indent:
            return self.mapping(column, loc)
        raise _GiveUp

    def sequence(self, indent: int, loc: Loc) -> list:
        out: list[Any] = []
        self.values[loc] = (self.lines[self.at][0], indent + 1)
        while self.at < len(self.lines):
            number, column, content = self.lines[self.at]
            if column < indent or (column == indent and not content.startswith("- ")):
                break
            if column > indent:
                raise _GiveUp
            rest = content[2:].lstrip(" ")
            start = indent + len(content) - len(rest)
            if not rest or rest.startswith("- "):
                raise _GiveUp
            if _KEY.fullmatch(rest):  # "- key: value": a mapping whose keys stand where this one does
                self.lines[self.at] = (number, start, rest)
                out.append(self.mapping(start, (*loc, len(out))))
            else:
                out.append(self.scalar(rest, (*loc, len(out)), number, start + 1))
                self.at += 1
        return out

    def scalar(self, text: str, loc: Loc, number: int, column: int) -> Any:
        self.values[loc] = (number, column)
        quote = text[0]
        if quote == "'":
            inner = text[1:-1]
            if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
                raise _GiveUp
            return inner.replace("''", "'")
        if quote == '"':
            inner = text[1:-1]
            if len(text) < 2 or text[-1] != '"' or '"' in inner or "\\" in inner:
                raise _GiveUp
            return inner
        if (quote in _INDICATORS and not (quote == "-" and text[1:2].isdigit())) or ": " in text or " #" in text \
                or text.endswith(":"):
            raise _GiveUp
        try:
            return typed(text, resolve(text))
        except NotPlain:
            raise _GiveUp from None
