"""Spreadsheets read for ``fab import`` (CSV, or XLSX through openpyxl): each sheet as a ``Table`` of cells
with their row numbers, values typed as the spreadsheet typed them (a date cell is a date, a number a
``Decimal`` as written, never a binary float), so that ``imports.py`` never touches a file."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..i18n import N_, _
from ..imports import Table
from ..problems import FabError

MAX_BYTES = 64 * 1024 * 1024  # a spreadsheet of history is a few MB; a bigger file is refused before it is read
MAX_ROWS = 200_000


SAVE_AS = N_("save the spreadsheet as .xlsx or as CSV UTF-8")


class SheetProblem(FabError):
    """The file cannot be read as a spreadsheet; the message says why."""


def read_tables(path: Path) -> list[Table]:
    """The tables of a .csv or .xlsx file."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise SheetProblem(_("cannot read {path}: {reason}").format(path=path, reason=error.strerror or error)) from None
    if not path.is_file():
        raise SheetProblem(_("{path} is not a file").format(path=path))
    if size > MAX_BYTES:
        raise SheetProblem(_("{path} is {size:,} bytes; fab imports spreadsheets of at most 64 MiB").format(path=path, size=size))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [_csv(path)]
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path)
    raise SheetProblem(_("{path} is neither a .csv nor a .xlsx file").format(path=path), SAVE_AS)


def _csv(path: Path) -> Table:
    """A CSV file in UTF-8 (a BOM is allowed), its fields separated by ',' or ';' (as the header shows)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetProblem(_("{path} is not UTF-8 text: save it as 'CSV UTF-8'").format(path=path), SAVE_AS) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if len(rows) > MAX_ROWS:
        raise SheetProblem(_("{path} has more than {rows:,} rows").format(path=path, rows=MAX_ROWS))
    header = tuple(cell.strip() for cell in rows[0]) if rows else ()
    return Table(path.name, None, header, tuple((number, tuple(row)) for number, row in enumerate(rows[1:], start=2)))


def _xlsx(path: Path) -> list[Table]:
    """Every sheet of a workbook, values as cached by the spreadsheet (a formula's last result, never run)."""
    import openpyxl  # only fab import and the xlsx outputs need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SheetProblem(_("{path} is not a readable .xlsx workbook ({reason})").format(path=path, reason=error), SAVE_AS) from None
    try:
        tables = []
        for sheet in book.worksheets:
            rows = []
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS:
                    raise SheetProblem(_("{path} has more than {rows:,} rows").format(path=path, rows=MAX_ROWS))
                rows.append((number, tuple(_value(cell) for cell in row)))
            header = tuple("" if cell is None else str(cell).strip() for cell in rows[0][1]) if rows else ()
            tables.append(Table(f"{path.name}[{sheet.title}]", sheet.title, header, tuple(rows[1:])))
        return tables
    finally:
        book.close()


def _value(cell: Any) -> Any:
    """A cell's value: a date for a date cell, a Decimal for a number (as the spreadsheet shows it: 0.29,
    not 0.28999999999999998), text otherwise; None for an empty cell."""
    if isinstance(cell, datetime):
        return cell.date() if cell.time() == datetime.min.time() else cell
    if isinstance(cell, bool) or cell is None or isinstance(cell, date):
        return cell
    if isinstance(cell, (int, float)):
        try:
            if isinstance(cell, float):  # 1500.0 is the whole number 1500 (a yen amount has no decimals)
                return Decimal(int(cell)) if cell.is_integer() else Decimal(repr(cell))
            return Decimal(cell)
        except InvalidOperation:
            return str(cell)
    return str(cell)
