"""``fab import``: a spreadsheet of history (XLSX through openpyxl, or CSV) into records, checked row by row with
the whole ledger, all in one commit or nothing; and its templates, read back with openpyxl (issue 17)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

openpyxl = pytest.importorskip("openpyxl")

HEADER = ["authors", "kind", "title", "hours", "date"]


def history(path, rows: int, bad_row: int | None = None):
    """A workbook of ``rows`` contributions over 2026 (and two members), the row ``bad_row`` of the
    contributions sheet with hours in words."""
    book = openpyxl.Workbook()
    members = book.active
    members.title = "membres"
    members.append(["identifiant", "nom", "rôles", "arrivée", "courriel"])
    members.append(["dora", "Dora Petit", "contributor", date(2026, 1, 3), "dora@example.org"])
    members.append(["emil", "Émile Roux", "consultant, contributor", date(2026, 1, 4), None])
    sheet = book.create_sheet("contributions")
    sheet.append(HEADER)
    for n in range(rows):
        day = date(2026, 1, 10) + timedelta(days=n % 300)
        sheet.append(["dora" if n % 3 else "emil", "wiki" if n % 2 else "code",
                      f"Fiche {n}", 1.25 + n % 7, day])
    if bad_row is not None:
        sheet.cell(row=bad_row, column=4).value = "douze"
    book.save(path)
    return path


def test_a_history_of_2000_rows_with_a_bad_one_writes_nothing_then_imports_in_one_commit(fab, tmp_path):
    source = history(tmp_path / "historique.xlsx", 2000, bad_row=1235)
    before = fab.state()
    refused = fab("import", str(source))
    assert refused.code == 1
    assert refused.err.splitlines() == [
        "error: nothing was imported; historique.xlsx has 1 problem:",
        "historique.xlsx[contributions]:1235:4: bad-value 'hours': expected a number written in plain digits, like 1500.00",
        "  hint: write it like  hours: 6  (1.5 = an hour and a half)",
    ]
    assert fab.state() == before
    source = history(tmp_path / "historique.xlsx", 2000)
    head = fab.head()
    done = fab("import", str(source))
    assert done.code == 0, done.err
    assert done.out.startswith("imported 2 members, 2000 contributions from historique.xlsx (committed ")
    assert fab.git("rev-list", "--count", f"{head}..HEAD").strip() == "1"
    assert fab.git("log", "-1", "--format=%s").strip() == "import: 2 members, 2000 contributions from historique.xlsx"
    files = fab.git("show", "--name-only", "--format=", "HEAD").split()
    assert len(files) == 2002 and "ledger/members/dora.yaml" in files
    assert fab("check").out == "ok: 2005 records, no problems\n"
    assert (fab.root / "ledger/members/emil.yaml").read_text() == (
        "name: Émile Roux\nroles:\n- consultant\n- contributor\njoined: 2026-01-04\n")
    assert (fab.root / "ledger/contributions/2026-H1/2026-01-11-dora-fiche-1.yaml").read_text() == (
        "authors: dora\nkind: wiki\ntitle: Fiche 1\nhours: 2.25\ndate: 2026-01-11\n")
    again = fab("import", str(source))
    assert (again.code, again.out) == (0, "nothing to import: the 2002 rows of historique.xlsx are already in the ledger\n")
    assert fab.git("rev-list", "--count", f"{head}..HEAD").strip() == "1"


def test_a_french_csv_of_donations_with_problems_at_their_row_and_column(fab, tmp_path):
    source = tmp_path / "dons.csv"
    source.write_text("donateur;montant;date;référence\nbruno;1500;2026-02-18;VIR-1\nzoe;50;2026-02-19;\n"
                      "bruno;12.345;2026-02-20;\nbruno;40;2026-12-24;\n", "utf-8")
    before = fab.state()
    result = fab("import", str(source))
    assert result.code == 1
    assert [line for line in result.err.splitlines() if not line.startswith("  hint")] == [
        "error: nothing was imported; dons.csv has 3 problems:",
        "dons.csv:3:1: unknown-reference 'donor' names 'zoe', who is not a member",
        "dons.csv:4:2: amount-digits 'amount' 12.345 has more decimals than EUR allows (2)",
        "dons.csv:5:3: future-date 'date' 2026-12-24 is in the future (today is 2026-11-27)",
    ]
    assert fab.state() == before
    source.write_text("donateur;montant;date;référence\nbruno;1500;2026-02-18;VIR-1\n", "utf-8")
    dry = fab("import", str(source), "--dry-run")
    assert dry.code == 0 and "dons.csv:2" in dry.out and "bruno donates €1,500.00" in dry.out
    assert fab.state() == before
    assert fab("import", str(source)).out.startswith("imported 1 donation from dons.csv (committed ")
    assert (fab.root / "ledger/donations/2026-H1/2026-02-18-bruno.yaml").read_text() == (
        "donor: bruno\namount: 1500.00\ndate: 2026-02-18\nreference: VIR-1\n")


def test_a_member_row_that_contradicts_the_ledger_and_unknown_columns(fab, tmp_path):
    source = tmp_path / "members.csv"
    source.write_text("handle,name,joined\nalice,Alice Dupont,2026-01-05\n", "utf-8")
    result = fab("import", str(source))
    assert result.code == 1 and "members.csv:2:1: duplicate-id ledger/members/alice.yaml already exists with other values" in result.err
    source.write_text("handle,name,joined,phone\n", "utf-8")
    result = fab("import", str(source), "--kind", "member")
    assert result.code == 1 and "members.csv:1:4: unknown-key 'phone' is not a column of member records" in result.err
    source.write_text("title,hours\n", "utf-8")
    result = fab("import", str(source))
    assert result.code == 1 and "members.csv:1:1: bad-path cannot tell which records this table holds" in result.err
    assert fab("import", str(tmp_path / "nowhere.xlsx")).code == 1


def test_templates_read_back_with_openpyxl(fab, tmp_path, monkeypatch):
    assert fab("import", "--template", "donation").out == "donor,amount,date,mission,reference\n"
    monkeypatch.setenv("FAB_LANG", "fr")
    assert fab("import", "--template", "donation").out == "donateur,montant,date,mission,référence\n"
    out = tmp_path / "historique.xlsx"
    assert fab("import", "--template", "all", "--format", "xlsx", "--output", str(out)).code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["membres", "signatures", "contributions", "dons", "utilisations"]
    assert [c.value for c in book["dons"][1]] == ["donateur", "montant", "date", "mission", "référence"]
    assert book["dons"].freeze_panes == "A2"
    assert fab("import", "--template", "all", "--format", "csv").code == 2
