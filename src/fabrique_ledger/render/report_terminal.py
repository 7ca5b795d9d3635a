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


def print_terminal(report: dict, console) -> None:
    """A rich page: a titled table per section, and the sentence of each empty one."""
    from rich import box
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    console.print(Text(title(report), style="bold"))
    console.print(Text(subtitle(report)))
    for warning in report.get("warnings", []):
        console.print(Text.assemble((_("warning: "), "yellow"), warning))

    def table(grid: Grid) -> None:
        if not grid.rows:
            console.print(Text(_("{title}: {empty}").format(title=grid.title, empty=grid.empty), style="italic"))
            return
        for number, part_title in enumerate(grid.parts or (grid.title,), start=1):
            shown = [i for i, c in enumerate(grid.columns) if not grid.parts or c.part in (0, number)]
            t = Table(title=part_title, title_justify="left", box=box.SIMPLE_HEAD)
            for i in shown:
                column = grid.columns[i]
                t.add_column(column.short or column.header, justify="right" if column.numeric else "left",
                             no_wrap=column.numeric or i == 0)
            for row in grid.rows:
                t.add_row(*(Text(row[i], style=_status_style(row[i]) if grid.columns[i].header == _("status") else "")
                            for i in shown))
            if grid.totals:
                t.add_section()
                for row in grid.totals:
                    t.add_row(*(Text(row[i], style="bold") for i in shown))
            console.print(t)

    for key, heading, sentences, tables in grids(report):
        console.print()
        console.print(Rule(Text(heading, style="bold")))
        for sentence in sentences:
            console.print(Text(sentence))
        for grid in tables:
            table(grid)
        if key == "split":
            for warning in split_warnings(report):
                console.print(Text.assemble((_("warning: "), "yellow"), warning))
    console.print()
    console.print(Rule(Text(_("Review agenda"), style="bold")))
    for _key, heading, empty, items in agenda_items(report):
        console.print(Text(heading, style="bold"))
        if not items:
            console.print(Text(f"  {empty}", style="italic"))
        for item in items:
            console.print(Text("  • " + "".join(f"{s.text} <{s.url}>" if isinstance(s, Link) else s for s in item)))
