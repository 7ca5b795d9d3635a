"""The reciprocity report as a rich terminal page: a titled table per section, the sentence of each empty
one, the review's agenda as lists."""

from __future__ import annotations

from ..i18n import _
from .report_layout import Grid, Link, agenda_items, grids, split_warnings, subtitle, title

STATUS_STYLES = {"contributes": "green", "donates": "cyan", "both": "bold green",
                 "uses without giving back": "bold red", "dormant": "dim"}


def _status_style(text: str) -> str:
    for status, style in STATUS_STYLES.items():
        if text in (status, _(status)):
            return style
    return ""


# A text column is as wide as its longest word (so that words wrap whole), at least TEXT_MIN and at most TEXT_MAX
# (a longer word folds); a numeric column is as wide as its widest value, so that no amount is ever cut.
TEXT_MIN, TEXT_MAX = 8, 16


def _widths(grid: Grid, shown: list[int]) -> list[int]:
    """The narrowest width of each shown column that cuts no number and breaks no word."""
    widths = []
    for i in shown:
        column = grid.columns[i]
        cells = [column.short or column.header, *(row[i] for row in [*grid.rows, *grid.totals])]
        if column.numeric:
            widths.append(max(map(len, cells)))
        else:
            longest_word = max(len(word) for cell in cells for word in cell.split() or [""])
            widths.append(min(max(longest_word, TEXT_MIN), TEXT_MAX, max(map(len, cells))))
    return widths


def _fits(grid: Grid, shown: list[int], width: int) -> bool:
    """Whether a table of these columns fits ``width``: each column and two spaces (the table's edges, and
    between two columns a space of padding and a space of rule)."""
    return sum(_widths(grid, shown)) + 2 * len(shown) <= width


def _table(grid: Grid, shown: list[int], title_text: str):
    """The rich table of a grid's columns: numbers right-aligned and never cut, text wrapped."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title_text, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
              collapse_padding=True)
    for i, width in zip(shown, _widths(grid, shown)):
        column = grid.columns[i]
        if column.numeric:
            t.add_column(column.short or column.header, justify="right", no_wrap=True, min_width=width)
        else:
            t.add_column(column.short or column.header, overflow="fold", min_width=width)
    for row in grid.rows:
        t.add_row(*(Text(row[i], style=_status_style(row[i]) if grid.columns[i].header == _("status") else "")
                    for i in shown))
    if grid.totals:
        t.add_section()
        for row in grid.totals:
            t.add_row(*(Text(row[i], style="bold") for i in shown))
    return t


def _stacked(grid: Grid, console) -> None:
    """A grid too wide for the terminal: one block per row, its first cell as the block's title, then each
    other column as 'header: value' (nothing is cut, whatever the width)."""
    from rich.text import Text

    console.print(Text(grid.title, style="italic"))
    for row in [*grid.rows, *grid.totals]:
        console.print(Text(row[0], style="bold"))
        for column, cell in zip(grid.columns[1:], row[1:]):
            if cell:
                console.print(Text(f"  {column.header}: {cell}", overflow="fold"))


def print_grid(grid: Grid, console) -> None:
    """A grid as one table, or as narrower tables (its parts), or stacked when even those would cut a number."""
    from rich.text import Text

    if not grid.rows:
        console.print(Text(_("{title}: {empty}").format(title=grid.title, empty=grid.empty), style="italic"))
        return
    parts = [[i for i, c in enumerate(grid.columns) if c.part in (0, number)]
             for number in range(1, len(grid.parts) + 1)]
    everything = list(range(len(grid.columns)))
    if _fits(grid, everything, console.width):
        console.print(_table(grid, everything, grid.title))
    elif parts and all(_fits(grid, shown, console.width) for shown in parts):
        for shown, part_title in zip(parts, grid.parts):
            console.print(_table(grid, shown, part_title))
    else:
        _stacked(grid, console)


def print_terminal(report: dict, console) -> None:
    """A rich page: a titled table per section (see print_grid), and the sentence of each empty one."""
    from rich.rule import Rule
    from rich.text import Text

    console.print(Text(title(report), style="bold"))
    console.print(Text(subtitle(report)))
    for warning in report.get("warnings", []):
        console.print(Text.assemble((_("warning: "), "yellow"), str(warning)))
    for key, heading, sentences, tables in grids(report):
        console.print()
        console.print(Rule(Text(heading, style="bold")))
        for sentence in sentences:
            console.print(Text(sentence))
        for grid in tables:
            print_grid(grid, console)
        if key == "split":
            for warning in split_warnings(report):
                console.print(Text.assemble((_("warning: "), "yellow"), str(warning)))
    console.print()
    console.print(Rule(Text(_("Review agenda"), style="bold")))
    for _key, heading, empty, items in agenda_items(report):
        console.print(Text(heading, style="bold"))
        if not items:
            console.print(Text(f"  {empty}", style="italic"))
        for item in items:
            console.print(Text("  • " + "".join(f"{s.text} <{s.url}>" if isinstance(s, Link) else s for s in item)))
