"""Reading and writing record files: YAML text in, plain values with their positions out.

Files are composed into a node tree by ruamel.yaml's C parser (``ruamel.yaml.clib``), then turned
into Python values here rather than by a YAML constructor, because the ledger needs what
constructors do not give: the line of every key, duplicate keys refused, tags and alias bombs
refused, and numbers kept exact (``1500.10`` becomes a ``Decimal``, never a binary float).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.tokens import (
    AliasToken,
    BlockEndToken,
    BlockMappingStartToken,
    BlockSequenceStartToken,
    FlowMappingEndToken,
    FlowMappingStartToken,
    FlowSequenceEndToken,
    FlowSequenceStartToken,
)

from ..i18n import M_, Text
from ..problems import Problem
from . import plainyaml

MAX_BYTES = 1024 * 1024
MAX_ALIASES = 10
MAX_DEPTH = 20
MAX_NESTING = 100  # the C composer recurses on nesting and crashes on deep files; refuse them before it sees them
_NESTING_CHARS = "[{-?:"  # every level of nesting takes at least one of these characters
_OPEN = (BlockMappingStartToken, BlockSequenceStartToken, FlowMappingStartToken, FlowSequenceStartToken)
_CLOSE = (BlockEndToken, FlowMappingEndToken, FlowSequenceEndToken)
_CORE = plainyaml.CORE

Loc = tuple[Any, ...]


@dataclass
class Parsed:
    """A file's values, where each value and key stands, and what went wrong reading it."""

    data: Any = None
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def where(self, loc: Loc) -> tuple[int, int]:
        """The closest known position of ``loc`` (a key path): the value, else its key, else its parent.

        The whole file (the empty path) is at line 1, column 1, even after leading comments.
        """
        loc = tuple(loc)
        while loc:
            if loc in self.values:
                return self.values[loc]
            if loc in self.keys:
                return self.keys[loc]
            loc = loc[:-1]
        return 1, 1


class _Refused(Exception):
    line: int
    column: int

    def __init__(self, code: str, message: Text, mark: Any) -> None:
        super().__init__(message)
        self.code, self.message = code, message
        self.line, self.column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _too_deep_or_aliased(text: str) -> _Refused | None:
    """Nesting past MAX_NESTING or more than MAX_ALIASES aliases, found by the (non-recursive) scanner.

    The composer recurses once per level of nesting, in C: a file of 100000 '[' or '- ' would crash
    the process, so such files are refused from their tokens, before they are composed.  Files with
    few nesting characters and few '*' cannot be either, and are not scanned twice.
    """
    if sum(map(text.count, _NESTING_CHARS)) <= MAX_NESTING and text.count("*") <= MAX_ALIASES:
        return None
    depth = aliases = 0
    try:
        for token in YAML(typ="safe").scan(io.StringIO(text)):
            if isinstance(token, _OPEN):
                depth += 1
                if depth > MAX_NESTING:
                    return _Refused("yaml-alias", M_('values nested more than {MAX_NESTING} levels deep', MAX_NESTING=MAX_NESTING), token.start_mark)
            elif isinstance(token, _CLOSE):
                depth -= 1
            elif isinstance(token, AliasToken):
                aliases += 1
                if aliases > MAX_ALIASES:
                    return _Refused("yaml-alias", M_('more than {MAX_ALIASES} aliases (*name) in one file', MAX_ALIASES=MAX_ALIASES), token.start_mark)
    except (YAMLError, ValueError):
        pass  # the composer stops at the same place, no deeper than the tokens counted so far, and says why
    return None


def _tab_indent(text: str) -> tuple[int, int] | None:
    match = re.search(r"^[ ]*\t", text, re.MULTILINE)
    return _line_col(text, match.end() - 1) if match else None


def parse(raw: bytes, path: str) -> Parsed:
    """Parse one record file; never raises for anything a user can put in a file."""
    result = Parsed()

    def refuse(code: str, message: Text, line: int = 1, column: int = 1, hint: Text = "") -> Parsed:
        result.problems.append(Problem(path, line, column, code, message, hint))
        return result

    code = getattr(raw, "code", None)  # a file that was not read (store.safe.Refused): a link, a FIFO, too large
    if code is not None:
        result.problems.append(Problem(raw.path or path, 1, 1, code, raw.message))  # type: ignore[attr-defined]
        return result
    if len(raw) > MAX_BYTES:
        return refuse("file-too-large", M_('the file is {n_raw:,} bytes; a record file may hold at most 1 MiB', n_raw=len(raw)))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode("utf-8", "replace")
        line, column = _line_col(before, len(before))
        return refuse("file-encoding", M_('byte 0x{raw:02x} is not UTF-8 text', raw=raw[error.start]), line, column)
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        return refuse("file-encoding", M_("the file contains a NUL byte: it is not a text file"), *_line_col(text, text.index("\x00")))
    if (where := _tab_indent(text)) is not None:
        return refuse("yaml-tab", M_("a tab is used for indentation"), *where)
    if (refused := _too_deep_or_aliased(text)) is not None:
        return refuse(refused.code, refused.message, refused.line, refused.column)
    plain = plainyaml.read(text)
    if plain is not None:
        result.data, result.values, result.keys = plain
        return result
    try:
        node = compose(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = error.problem or str(error).splitlines()[0]
        return refuse("yaml-syntax", M_('invalid YAML: {what}', what=what), line, column)
    except (YAMLError, ValueError, RecursionError) as error:
        return refuse("yaml-syntax", M_('invalid YAML: {value}', value=str(error).splitlines()[0] if str(error) else type(error).__name__))
    if node is None:
        return refuse("file-empty", M_("the file is empty"))
    try:
        result.data = _Builder(result).build(node, (), 0)
    except _Refused as error:
        result.data = None
        return refuse(error.code, error.message, error.line, error.column)
    return result


_MAP, _SEQ, _STR = _CORE + "map", _CORE + "seq", plainyaml.STR

try:  # the C parser of ruamel.yaml.clib: 4 to 5 times faster than the pure-Python composer
    from _ruamel_yaml import CParser as _CParser

    class _Composer(_CParser):
        """The C parser with a small resolver: ruamel's own resolver, in Python, costs more than parsing."""

        def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
            if kind is ScalarNode:
                return plainyaml.resolve(value) if implicit[0] else _STR
            return _MAP if kind is MappingNode else _SEQ

        def descend_resolver(self, *args: Any) -> None:
            pass

        def ascend_resolver(self, *args: Any) -> None:
            pass

    def compose(text: str) -> Any:
        composer = _Composer(text)
        try:
            return composer.get_single_node()
        finally:
            composer.dispose()

except ImportError:  # pragma: no cover - without ruamel.yaml.clib (PyPy, exotic platforms)
    _PURE = YAML(typ="safe", pure=True)

    def compose(text: str) -> Any:
        return _PURE.compose(io.StringIO(text))


def _tag(node: Any) -> str:
    """A node's full tag; read from its parts, since ruamel's ``node.tag`` re-decodes it on every access."""
    tag = node.ctag
    return tag.suffix if tag.handle is None and isinstance(tag.suffix, str) else str(tag)


class _Builder:
    """Turns composed nodes into values, recording positions and refusing what records never need."""

    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed
        self.seen: set[int] = set()
        self.aliases = 0
        self.expanding: Any = None  # where the alias being expanded is written

    def build(self, node: Any, loc: Loc, depth: int, at: Any = None) -> Any:
        """``at``: where the node is written (a composed alias only knows the place of its anchor)."""
        if depth > MAX_DEPTH:
            raise _Refused("yaml-alias", M_('values nested more than {MAX_DEPTH} levels deep', MAX_DEPTH=MAX_DEPTH), node.start_mark)
        alias, outer = id(node) in self.seen, self.expanding
        mark = at if alias and outer is None and at is not None else node.start_mark
        if alias:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _Refused("yaml-alias", M_('aliases (*name) repeat values more than {MAX_ALIASES} times in one file', MAX_ALIASES=MAX_ALIASES), outer or mark)
            self.expanding = outer or mark
        self.seen.add(id(node))
        self.parsed.values[loc] = (mark.line + 1, mark.column + 1)
        tag = _tag(node)
        try:
            if isinstance(node, MappingNode):
                self._expect(tag, "map", node)
                return self._mapping(node, loc, depth)
            if isinstance(node, SequenceNode):
                self._expect(tag, "seq", node)
                return [self.build(item, (*loc, i), depth + 1, node.start_mark) for i, item in enumerate(node.value)]
            return self._scalar(node, tag)
        finally:
            self.expanding = outer

    @staticmethod
    def _expect(tag: str, name: str, node: Any) -> None:
        if tag != _CORE + name:
            raise _Refused("yaml-tag", M_("the tag '{written}' is not allowed", written=_written(tag)), node.start_mark)

    def _mapping(self, node: MappingNode, loc: Loc, depth: int) -> dict:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _Refused("not-a-mapping", M_("a key must be plain text"), key_node.start_mark)
            if _tag(key_node) == _CORE + "merge":
                raise _Refused("yaml-alias", M_("merge keys (<<) are not allowed"), key_node.start_mark)
            key = self._scalar(key_node, _tag(key_node))
            if not isinstance(key, str):
                key = str(key_node.value)
            if key in out:
                raise _Refused("yaml-duplicate-key", M_("the key '{key}' appears twice", key=key), key_node.start_mark)
            self.parsed.keys[(*loc, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, (*loc, key), depth + 1, key_node.start_mark)
        return out

    @staticmethod
    def _scalar(node: ScalarNode, tag: str) -> Any:
        try:
            return plainyaml.typed(node.value, tag)
        except plainyaml.NotPlain:
            raise _Refused("yaml-tag", M_("the tag '{written}' is not allowed", written=_written(tag)), node.start_mark) from None


def _written(tag: str) -> str:
    """A tag as the file spells it: tag:yaml.org,2002:python/object -> !!python/object."""
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _yaml_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _Plain(format(value, "f"))
    if isinstance(value, dict):
        return {k: _yaml_value(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_yaml_value(v) for v in value]
    return value


class _Plain(str):
    """A number to write as plain digits (1500.00 stays 1500.00, never 1500.0 or a float)."""


_LINE_BREAKS = ("\x85", "\u2028", "\u2029")


def _text(representer: Any, value: str) -> Any:
    """Text; double-quoted (so escaped) when it holds a line break other than \\n, which YAML would fold."""
    style = '"' if any(c in value for c in _LINE_BREAKS) else None
    return representer.represent_scalar(_STR, value, style=style)


def dump(data: dict) -> str:
    """The YAML text of a new record: block style, keys in the given order, no empty keys."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    # ruamel.yaml infers this attribute's type from its default (None: sort); False is its documented other value
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.representer.add_representer(
        _Plain, lambda r, v: r.represent_scalar(_CORE + ("float" if "." in v else "int"), str(v))
    )
    yaml.representer.add_representer(str, _text)
    out = io.StringIO()
    yaml.dump(_yaml_value(data), out)
    return out.getvalue()


def edit(raw: bytes, changes: dict[str, Any]) -> str:
    """The file's text with some top-level keys set, comments and layout kept (round-trip mode)."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(raw.decode("utf-8"))
    for key, value in changes.items():
        data[key] = _yaml_value(value)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
