"""Text from the ledger, made safe for where it is shown (issue 13, "safe outputs").

What one member types reaches other members' terminals, spreadsheets, pull-request comments and wiki
pages.  Records refuse control characters at input (``controls.CONTROLS``); this module is the one place
that makes any text safe for each output, whatever got in anyway (a file name, a commit message, an
old file), and every renderer and the command line use it, never a copy of it:

- ``visible``: every control character but the line break shown as ``\\u001b`` (the JSON escape, so
  that JSON passed through it stays exact), for every human output: the terminal, stderr, ``--output``
  files; ``console`` is a rich Console that does the same to every text it prints;
- ``md``, ``md_code``, ``md_fence``, ``md_url``: Markdown (CommonMark, GitHub and GitLab) that shows the
  text as typed: no emphasis, link, image, autolink, mention, HTML, heading, list or table cell from it;
- ``wiki``, ``wiki_title``, ``wiki_url``: MediaWiki text with no markup, magic word, link or signature from
  it, the page title of a ``[[User:...]]`` link (None when the text cannot be one), an external link's address;
- ``html``: HTML text and attribute values;
- ``csv_text``: a CSV table whose cells a spreadsheet never runs as a formula (OWASP: a cell starting
  with ``= + - @``, a tab or a carriage return gets a leading ``'``; numbers written by fab stay numbers).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from html import escape as _html_escape
from typing import Any

from ..controls import CONTROLS

# --- the terminal and every human output -------------------------------------------------------------

# Everything ``controls.CONTROLS`` holds, the tab and the carriage return, and lone surrogates (bytes of a
# file name that are not UTF-8): only the line break is printed as it is.
_HIDDEN = re.compile(f"[\\t\\r{CONTROLS}\\ud800-\\udfff]")


def _shown(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def visible(text: Any) -> str:
    """``text`` with every control character but the line break written out (ESC as ``\\u001b``)."""
    return _HIDDEN.sub(_shown, str(text))


def console(stderr: bool = False):
    """A rich Console for fab's pages: rich markup and emoji codes in the text are shown as written, and
    every control character in it is shown as ``visible`` writes it, whatever the renderable (tables, rules...)."""
    from rich.console import Console, RenderHook

    class _Visible:
        """A renderable whose text segments are made visible (rich's own control segments are kept)."""

        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def __rich_console__(self, out: Console, options: Any) -> Iterator[Any]:
            from rich.segment import Segment

            for segment in out.render(self.inner, options):
                if segment.control or not _HIDDEN.search(segment.text):
                    yield segment
                else:
                    yield Segment(visible(segment.text), segment.style)

    class _Hook(RenderHook):
        def process_renderables(self, renderables: list) -> list:
            return [_Visible(r) for r in renderables]

    made = Console(stderr=stderr, markup=False, emoji=False, highlight=False)  # no colour in fragments of ids, amounts
    made.push_render_hook(_Hook())
    return made


# --- Markdown ---------------------------------------------------------------------------------------

_MD = str.maketrans({"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "~": "\\~", "[": "\\[", "]": "\\]",
                     "|": "\\|", "$": "\\$", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": " ", "\n": " "})
_MD_URL = re.compile(r"(?i)(?<![a-z0-9])(https?|ftps?|mailto|xmpp|file|javascript|data)(?=:)")  # scheme: autolinks
_MD_WWW = re.compile(r"(?i)(?<![a-z0-9])(www)(?=\.)")  # www.example.org: GitHub's autolinks
_MD_MENTION = re.compile(r"@(?=\w)")  # @team, and the @ of an address (an autolink)
_MD_LINE_START = re.compile(r"^[ \t]*(#{1,6}|[-+]|\d{1,9}[.)]|=+|-+)(?=\s|$)")  # a heading, list item, setext line


def md(text: Any, mentions: bool = True) -> str:
    """Text shown as typed in Markdown, on one line: in a paragraph, a list item, a heading or a table cell.

    Backslash escapes for emphasis, code, links and images, strikethrough, math and table pipes; entities for
    HTML and ``&``; ``https\\://`` and ``www\\.`` so that no address becomes a link; a zero-width space after
    ``@`` (``mentions``) so that no one is notified and no address is linked; a line-start marker escaped."""
    out = str(text).translate(_MD)
    out = _MD_WWW.sub(r"\1\\", _MD_URL.sub(r"\1\\", out))
    if mentions:
        out = _MD_MENTION.sub("@&#8203;", out)
    start = _MD_LINE_START.match(out)
    if start is None:
        return out
    at = start.end(1) - 1 if start.group(1)[0].isdigit() else start.start(1)  # 1. -> 1\.   # -> \#   - -> \-
    return f"{out[:at]}\\{out[at:]}"


_MD_LINK = str.maketrans({" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "|": "%7C", "\\": "%5C",
                          "`": "%60", '"': "%22", "[": "%5B", "]": "%5D"})


def md_url(url: str) -> str:
    """A web address as the destination of a Markdown link ``[text](...)``, which nothing in it can end."""
    return str(url).translate(_MD_LINK)


def md_code(text: Any) -> str:
    """A code span holding ``text`` as it is: a fence of back-ticks longer than any run inside it."""
    inner = str(text).replace("\r", " ").replace("\n", " ")
    fence = "`" * (max((len(run) for run in re.findall("`+", inner)), default=0) + 1)
    pad = " " if inner.startswith("`") or inner.endswith("`") or not inner.strip() else ""
    return f"{fence}{pad}{inner}{pad}{fence}"


def md_fence(text: str, info: str = "") -> list[str]:
    """A fenced code block holding ``text`` as it is (lines kept): its fence is longer than any inside it."""
    fence = "`" * max(3, max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return [f"{fence}{info}", *text.splitlines(), fence]


# --- MediaWiki --------------------------------------------------------------------------------------

_WIKI = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "[": "&#91;", "]": "&#93;",
                       "{": "&#123;", "}": "&#125;", "~": "&#126;", "\n": " ", "\r": " "})
_WIKI_QUOTES = re.compile(r"'(?=')|(?<=')'|^'|'$")  # '' italic, ''' bold: no two quotes side by side, none at an edge
_WIKI_UNDERSCORES = re.compile(r"_(?=_)")  # __NOTOC__, __NOINDEX__ and every behaviour switch
# MediaWiki's $wgUrlProtocols: a bare address with one of them becomes a link
_WIKI_URL = re.compile(r"(?i)(?<![a-z0-9+.-])(bitcoin|ftps?|geo|git|gopher|https?|ircs?|magnet|mailto|matrix|mms|news|"
                       r"nntp|redis|sftp|sips?|sms|ssh|svn|tel|telnet|urn|worldwind|xmpp):")
_WIKI_LINE_START = re.compile(r"^(?:[*#:;=]|-{4})")  # a list, an indent, a heading, a rule


def wiki(text: Any) -> str:
    """Text that MediaWiki shows as typed: no table, link, template, bold/italic, magic word, signature,
    HTML or line-start markup (the special characters become numeric entities)."""
    out = _WIKI_QUOTES.sub("&#39;", str(text).translate(_WIKI))
    out = _WIKI_URL.sub(r"\1&#58;", _WIKI_UNDERSCORES.sub("&#95;", out))
    return _WIKI_LINE_START.sub(lambda m: f"&#{ord(m.group()[0])};{m.group()[1:]}", out)


_WIKI_LINK = str.maketrans({" ": "%20", "[": "%5B", "]": "%5D", "<": "%3C", ">": "%3E", '"': "%22", "'": "%27",
                            "{": "%7B", "}": "%7D", "|": "%7C", "~": "%7E", "_": "%5F"})


def wiki_url(url: str) -> str:
    """A web address as the target of a MediaWiki external link ``[url text]``, which nothing in it can end,
    and in which no markup MediaWiki reads before its links forms: behaviour switches (``__NOTOC__``: ``_``
    as ``%5F``), signatures (``~~~~``), templates (``{{``), bold and italic (``''``), tags.  The same
    address for a browser: these characters are percent-encoded, never dropped."""
    return str(url).translate(_WIKI_LINK)


# What MediaWiki's Title refuses: its illegal characters, control characters, a percent-encoded byte, an
# HTML entity, three tildes (a signature), relative paths, a leading colon (a namespace or interwiki prefix).
_NOT_IN_TITLE = re.compile(f"[#<>\\[\\]|{{}}\ufffd{CONTROLS}\\t\\n\\r]|%[0-9A-Fa-f]{{2}}|&[A-Za-z0-9#]+;|~~~"
                           r"|^\.\.?(/|$)|/\.\.?(/|$)|^:")


def wiki_title(text: str | None) -> str | None:
    """The page title ``text`` as MediaWiki markup inside ``[[...]]`` (entities that MediaWiki decodes, so
    that no magic word or signature forms), or None when it cannot be a title."""
    if not text or not text.strip():
        return None
    title = " ".join(text.replace("_", " ").split())  # MediaWiki reads _ as a space
    if len(title.encode("utf-8")) > 255 or _NOT_IN_TITLE.search(title):
        return None
    return wiki(title)


# --- HTML -------------------------------------------------------------------------------------------

def html(text: Any) -> str:
    """Text and attribute values of an HTML page (``&``, ``<``, ``>`` and both quotes as entities)."""
    return _html_escape(str(text), quote=True)


# --- CSV --------------------------------------------------------------------------------------------

_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # and their full-width forms
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def csv_cell(value: Any) -> str:
    """One cell a spreadsheet shows as text: ``'`` before a formula's first character (OWASP's CSV
    injection advice); a plain number (``-12.50``) is data and stays as it is."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) and not _NUMBER.fullmatch(text) else text


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """Every CSV fab writes: a header row, then the rows, each cell through ``csv_cell``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(cell) for cell in header])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
