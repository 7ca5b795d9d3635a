"""The reciprocity page as Markdown (GitHub-flavoured) and as MediaWiki markup: one walk over the page's
layout (report_layout), two dialects that differ only in how a heading, a table, a link and a warning are
written.  Every text from the ledger is escaped for the dialect (escape.md, escape.wiki)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..i18n import N_, _
from .escape import md, md_url, wiki, wiki_url
from .report_layout import Cell, Grid, Link, Segment, agenda_items, grids, is_web_url, split_warnings, subtitle, title


@dataclass(frozen=True)
class Dialect:
    """How one markup writes the page's pieces."""

    escape: Callable[[str], str]
    title: Callable[[str], str]  # the page's title line, from its escaped text
    heading: Callable[[int, str], str]  # level 2 (a section) or 3 (a table, an agenda list), text as given
    table: Callable[[Grid], list[str]]
    link: Callable[[Link], str]  # a web link (other evidence is written as text)
    warning: str  # a message with {warning}
    agenda: str  # the agenda's heading line
    bullet: str
    grid_title: Callable[[str], str]  # a table's title in its heading


def _md_table(grid: Grid) -> list[str]:
    if not grid.rows:
        return [grid.empty]
    lines = [f"| {' | '.join(c.header for c in grid.columns)} |",
             "|" + "|".join("---:" if c.numeric else "---" for c in grid.columns) + "|"]
    lines += [f"| {' | '.join(md(cell) for cell in row)} |" for row in grid.rows]
    lines += ["|" + "|".join(f" **{md(cell)}** " if cell else " " for cell in row) + "|" for row in grid.totals]
    return lines


def _wiki_table(grid: Grid) -> list[str]:
    if not grid.rows:
        return [wiki(grid.empty)]

    def cells(row: list[str], bold: bool = False) -> str:
        out = []
        for column, cell in zip(grid.columns, row):
            text = wiki(cell)
            text = f"'''{text}'''" if bold and text else text
            attributes = f'data-sort-value="{cell.sort}" ' if isinstance(cell, Cell) else ""  # sorts by value (issue 16)
            attributes += 'style="text-align:right" ' if column.numeric and text else ""
            out.append(f"{attributes}| {text}" if attributes else text)
        return ("| " + " || ".join(out)).rstrip()

    lines = ['{| class="wikitable sortable"', f"|+ {wiki(grid.title)}",
             "! " + " !! ".join(wiki(c.header) for c in grid.columns)]
    for row in grid.rows:
        lines += ["|-", cells(row)]
    for row in grid.totals:
        lines += ['|- class="sortbottom"', cells(row, bold=True)]
    return lines + ["|}"]


MARKDOWN = Dialect(
    escape=md, title=lambda text: f"# {text}", heading=lambda level, text: f"{'#' * level} {text}",
    table=_md_table, link=lambda link: f"[{md(link.text)}]({md_url(link.url)})",
    warning=N_("> **warning:** {warning}"), agenda=N_("## Review agenda"), bullet="- ", grid_title=str)
WIKI = Dialect(
    escape=wiki, title=lambda text: f"'''{text}'''", heading=lambda level, text: f"{'=' * level} {text} {'=' * level}",
    table=_wiki_table, link=lambda link: f"[{wiki_url(link.url)} {wiki(link.text)}]",
    warning=N_("'''Warning:''' {warning}"), agenda=N_("== Review agenda =="), bullet="* ", grid_title=wiki)


def _segments(dialect: Dialect, segments: list[Segment]) -> str:
    out = []
    for seg in segments:
        if isinstance(seg, Link):
            out.append(dialect.link(seg) if is_web_url(seg.url)
                       else _("{text}: {url}").format(text=dialect.escape(seg.text), url=dialect.escape(seg.url)))
        else:
            out.append(dialect.escape(seg))
    return "".join(out)


def page(report: dict, dialect: Dialect) -> str:
    """Title, pool, reciprocity, contributors, split, payments, agenda, in the dialect's markup."""
    esc = dialect.escape
    warn = lambda text: ["", _(dialect.warning).format(warning=esc(text))]  # noqa: E731
    lines = [dialect.title(esc(title(report))), "", esc(subtitle(report))]
    for warning in report.get("warnings", []):
        lines += warn(warning)
    for key, heading, sentences, tables in grids(report):
        lines += ["", dialect.heading(2, heading)]
        for sentence in sentences:
            lines += ["", esc(sentence)]
        for grid in tables:
            if len(tables) > 1:
                lines += ["", dialect.heading(3, dialect.grid_title(grid.title))]
            lines += ["", *dialect.table(grid)]
        if key == "split":
            lines += [x for w in split_warnings(report) for x in warn(w)]
    lines += ["", _(dialect.agenda)]
    for _key, heading, empty, items in agenda_items(report):
        lines += ["", dialect.heading(3, heading), ""]
        lines += [f"{dialect.bullet}{_segments(dialect, item)}" for item in items] if items else [empty]
    return "\n".join(lines) + "\n"


def as_markdown(report: dict) -> str:
    """GitHub-flavoured Markdown: # headings, pipe tables, [text](url) links."""
    return page(report, MARKDOWN)


def as_wiki(report: dict) -> str:
    """MediaWiki markup to paste on the Fabrique's wiki: == headings ==, sortable wikitables, [url text] links."""
    return page(report, WIKI)
