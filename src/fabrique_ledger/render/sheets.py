"""Workbooks (.xlsx, through openpyxl): the reciprocity report and the split for treasurers, and the
empty templates of ``fab import``.

Numbers and dates are typed cells (amounts with two decimals), the header row is frozen, columns are
as wide as their content.  Text is always a text cell: a member's title that starts with ``=``, ``+``,
``-`` or ``@`` is shown as written and never becomes a formula (openpyxl would otherwise store
``=HYPERLINK(...)`` as one), and characters a workbook cannot hold are shown as U+FFFD.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

# title, header, rows (and, optionally, its money columns)
Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]] | tuple[str, Sequence[str], Sequence[Sequence[Any]], Sequence[str]]
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


def workbook(sheets: Sequence[Sheet], money: Sequence[str] = ()) -> bytes:
    """The .xlsx bytes of ``sheets``; columns whose header is in ``money`` (or in a sheet's own fourth
    element) show two decimals."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for title, header, rows, *own in sheets:
        amounts = set(own[0] if own else money)
        sheet = book.create_sheet(_sheet_title(title, ILLEGAL_CHARACTERS_RE))
        widths = [len(str(h)) for h in header]
        for number, values in enumerate([header, *rows], start=1):
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=number, column=column)
                _put(cell, value, ILLEGAL_CHARACTERS_RE)
                if number > 1 and header[column - 1] in amounts and isinstance(value, (Decimal, int, float)):
                    cell.number_format = MONEY_FORMAT
                if column <= len(widths):
                    widths[column - 1] = max(widths[column - 1], min(60, len(_shown(value))))
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width + 2
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(cell: Any, value: Any, illegal: Any) -> None:
    """A value in a cell: numbers and dates typed, text always as text (never a formula)."""
    if isinstance(value, bool) or value is None:
        cell.value = value
    elif isinstance(value, (Decimal, int, float)):
        cell.value = value
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif value == "":
        cell.value = None
    else:
        text = illegal.sub("\ufffd", str(value))
        cell.value = text
        cell.data_type = "s"  # openpyxl types text starting with '=' as a formula: it is text here


def _shown(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


def _sheet_title(title: str, illegal: Any) -> str:
    """A sheet title a workbook accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = illegal.sub("", "".join("-" if c in "[]:*?/\\" else c for c in title))
    return cleaned[:31] or "sheet"


def template_csv(header: Sequence[str]) -> str:
    """An empty CSV template: the header row only."""
    return ",".join(header) + "\n"


# --- the report and the split as workbooks ---------------------------------------------------------------

NUMBERS = {"donations", "amount", "uses", "mission_revenue", "suggested_donation", "contributions", "hours", "value",
           "reviews_given", "rank", "share", "score", "pool", "carried_in", "commons", "distributable", "paid",
           "carried_over"}
MONEY = ("donations", "amount", "mission_revenue", "suggested_donation", "pool", "carried_in", "commons",
         "distributable", "paid", "carried_over")
DATES = {"signed", "date", "sealed_on"}


def report_workbook(report: dict) -> bytes:
    """The reciprocity report: a sheet per section (pool, reciprocity, contributors, split, agenda), the
    same columns as ``fab report --format csv --section ...``."""
    from .report_csv import SECTIONS, _csv_rows  # the CSV's tables, typed here

    return workbook([(section, header, _typed(header, rows), [h for h in MONEY if not (section == "pool" and h == "donations")])
                     for section in SECTIONS for header, rows in [_csv_rows(report, section)]])  # (pool: donations counted)


def split_workbook(data: dict) -> bytes:
    """The split: its payouts (the CSV's columns), and the pool and what becomes of it."""
    header = ["period", "member", "amount", "currency", "share", "score", "status"]
    rows = [[data["period"], row["member"], row["amount"], data["currency"], row["share"], row["score"], data["status"]]
            for row in data["payouts"]]
    totals = [[key, data.get(key), data["currency"]] for key in
              ("donations", "carried_in", "pool", "commons", "distributable", "paid", "carried_over")]
    return workbook([("payouts", header, _typed(header, rows)),
                     ("pool", ["line", "amount", "currency"], [[k, _number(v), c] for k, v, c in totals])], MONEY)


def _typed(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Cells of the CSV tables typed: numbers of the number columns as Decimal, ISO dates as dates."""
    return [[_number(v) if h in NUMBERS or h.startswith("hours_") else _date(v) if h in DATES else v
             for h, v in zip(header, row)] for row in rows]


def _number(value: Any) -> Any:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except ArithmeticError:
        return value


def _date(value: Any) -> Any:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return value
