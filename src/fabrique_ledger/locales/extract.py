"""pybabel's extractor for fab (babel.cfg): what Babel's Python extractor finds, plus two things it misses.

- The docstring of each command, which Typer shows as the command's help and ``cli/localize.py`` words in
  the run's language: a command is a function decorated with ``<typer app>.command(...)`` or
  ``.callback(...)``; its docstring is cleaned as Typer cleans it (``inspect.cleandoc``): that is the msgid.
- Messages marked inside an f-string (``f"<h2>{html(_('At a glance'))}</h2>"``), which Babel reads only on
  Python 3.12 and later (before 3.12 an f-string is one token); on 3.12 both find them, and the catalogue
  merges the two.
"""

from __future__ import annotations

import ast
import io
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from babel.messages.extract import extract_python

Found = tuple[int, str, "str | tuple[str | None, ...]", list[str]]


def _registers_a_command(decorator: ast.expr) -> bool:
    return (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr in ("command", "callback"))


def _marked_in_fstrings(tree: ast.AST, keywords: Collection[str]) -> Iterator[Found]:
    for fstring in (node for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)):
        for call in (node for node in ast.walk(fstring) if isinstance(node, ast.Call)):
            if isinstance(call.func, ast.Name) and call.func.id in keywords:
                texts = tuple(arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
                              for arg in call.args)
                yield call.lineno, call.func.id, texts, []


def extract(fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str],
            options: Mapping[str, Any]) -> Iterator[Found]:
    source = fileobj.read()
    # Babel's annotations are not its behaviour: extract_python yields (lineno, funcname, messages, comments),
    # not the (lineno, message, comments, context) they say, and takes the options mapping Babel passes
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)  # type: ignore[misc, arg-type]
    tree = ast.parse(source)
    yield from _marked_in_fstrings(tree, keywords)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(map(_registers_a_command, node.decorator_list)):
            docstring = ast.get_docstring(node, clean=True)
            if docstring:
                yield node.body[0].lineno, "", docstring, ["command help (the command's docstring)"]
