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

Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]  # title, header, rows
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


def workbook(sheets: Sequence[Sheet], money: Sequence[str] = ()) -> bytes:
    """The .xlsx bytes of ``sheets``; columns whose header is in ``money`` show two decimals."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(_sheet_title(title, ILLEGAL_CHARACTERS_RE))
        widths = [len(str(h)) for h in header]
        for number, values in enumerate([header, *rows], start=1):
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=number, column=column)
                _put(cell, value, ILLEGAL_CHARACTERS_RE)
                if number > 1 and header[column - 1] in money and isinstance(value, (Decimal, int, float)):
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
