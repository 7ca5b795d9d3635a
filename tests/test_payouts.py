"""Paying contributors: from a sealed period to the bank's SEPA file, then to payments on record.

H1, worked out by hand: bruno gives 1000.00; values alice 6 (wiki) + 2 (half of 4 h of code) = 8,
chloe 2, dan 1; total 11.  1000 × 8/11 = 727.27|27, × 2/11 = 181.81|81, × 1/11 = 90.90|90: floors
999.98, the two cents left go to the largest remainders (dan .0090, chloe .0081): alice 727.27,
chloe 181.82, dan 90.91 = 1000.00.  The private payees file (outside the repository) has bank
details for alice and chloe; dan has none: he is "to settle by hand".
"""

from __future__ import annotations

import csv
import io
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema

from conftest import Fab, replay

XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
ALICE_IBAN, CHLOE_IBAN, COMMONS_IBAN = "FR1420041010050500013M02606", "DE89370400440532013000", "FR7630006000011234567890189"
PAYEES = """\
# PRIVATE: the treasurer's bank details of the people paid by the commons
debtor:
  iban: FR76 3000 6000 0112 3456 7890 189
  bic: AGRIFRPP
payees:
  alice:
    name: Alice Martin
    iban: FR14 2004 1010 0505 0001 3M02 606
    bic: PSSTFRPP
  chloe:
    iban: DE89 3704 0044 0532 0130 00
"""
DESCRIPTION = "Fabrique des Mobilités - co-remuneration 2026-H1"
HEADER = "period,member,name,amount,currency,iban,bic,end_to_end_id,description,status"
ALICE_ROW = f"2026-H1,alice,Alice Martin,727.27,EUR,{ALICE_IBAN},PSSTFRPP,FAB-2026-H1-alice,{DESCRIPTION},to transfer"
CHLOE_ROW = f"2026-H1,chloe,Chloé Durand,181.82,EUR,{CHLOE_IBAN},,FAB-2026-H1-chloe,{DESCRIPTION},to transfer"
DAN_ROW = f"2026-H1,dan,Dan Petit,90.91,EUR,,,FAB-2026-H1-dan,{DESCRIPTION},to settle by hand"


def _seal_h1(fab: Fab, env) -> None:
    assert fab("member", "add", "dan", "--name", "Dan Petit", "--joined", "2026-01-05").code == 0
    steps = [
        ("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01"),
        ("contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage", "--hours", "6", "--date", "2026-02-02", "--id", "a1"),
        ("contribute", "--by", "chloe:0.5", "--by", "alice:0.5", "--kind", "code", "--title", "GTFS", "--hours", "4",
         "--date", "2026-02-03", "--id", "c1"),
        ("contribute", "--by", "dan", "--kind", "event", "--title", "Meetup", "--hours", "1", "--date", "2026-03-03", "--id", "d1"),
    ]
    for step in steps:
        result = fab(*step)
        assert result.code == 0, (step, result.err)
    env.setenv("FAB_TODAY", "2026-07-15")  # the review meeting, after the end of H1
    result = fab("close", "2026-H1", "--yes")
    assert result.code == 0, result.err


@pytest.fixture
def sealed(fab, monkeypatch) -> Fab:
    """H1 sealed (built once, copied for each test: see conftest.replay), on the treasurer's day."""
    replay(fab, "payouts-sealed", _seal_h1)
    assert "payouts:\n  alice: 727.27\n  chloe: 181.82\n  dan: 90.91\n" in (fab.root / "ledger/periods/2026-H1.yaml").read_text()
    monkeypatch.setenv("FAB_TODAY", "2026-07-20")  # the treasurer's day
    return fab


@pytest.fixture
def private(tmp_path) -> Path:
    """The treasurer's private folder, next to the ledger's repository (tmp_path/fabrique), not in it."""
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "payees.yaml").write_text(PAYEES, encoding="utf-8")
    return folder


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# --- the transfers to make ------------------------------------------------------------------------

def test_csv_lists_every_transfer_and_what_to_settle_by_hand(sealed, private):
    before = sealed.state()
    result = sealed("payouts", "2026-H1", "--payees", str(private / "payees.yaml"))
    assert result.code == 0, result.err
    assert result.out.splitlines() == [HEADER, ALICE_ROW, CHLOE_ROW, DAN_ROW]
    assert result.err.splitlines() == [
        "2026-H1: 2 transfers, €909.09",
        "to settle by hand: Dan Petit (dan) €90.91 — no bank details in the payees file",
        "once paid: fab payouts 2026-H1 --mark-paid REFERENCE [--member HANDLE]...",
    ]
    # the CSV's amounts are the seal's payouts, to the cent
    assert sum(Decimal(r["amount"]) for r in _rows(result.out)) == Decimal("1000.00")
    assert sealed.state() == before  # reading bank details writes nothing in the ledger
    french = sealed("--lang", "fr", "payouts", "2026-H1", "--payees", str(private / "payees.yaml"))
    assert french.out.splitlines() == [HEADER, ALICE_ROW, CHLOE_ROW, DAN_ROW]  # the CSV is the same
    assert french.err.splitlines() == [
        "2026-H1 : 2 virements, 909,09\xa0€",
        "à régler à la main : Dan Petit (dan) 90,91\xa0€ — aucune coordonnée bancaire dans le fichier des bénéficiaires",
        "une fois payé : fab payouts 2026-H1 --mark-paid RÉFÉRENCE [--member HANDLE]...",
    ]


def test_payees_as_csv_with_semicolons(sealed, private):
    (private / "payees.csv").write_text(
        "handle;name;iban;bic\n"
        "alice;Alice Martin;FR14 2004 1010 0505 0001 3M02 606;PSSTFRPP\n"
        "chloe;;DE89 3704 0044 0532 0130 00;\n"
        "dan;Dan Petit;;\n", encoding="utf-8")
    result = sealed("payouts", "2026-H1", "--payees", str(private / "payees.csv"))
    assert result.code == 0, result.err
    assert result.out.splitlines() == [HEADER, ALICE_ROW, CHLOE_ROW, DAN_ROW]  # dan listed without an IBAN: by hand
    assert "to settle by hand: Dan Petit (dan) €90.91 — listed without an IBAN in the payees file" in result.err


def test_sepa_file_validates_against_pain_001_001_03(sealed, private):
    out = private / "virements-2026-H1.xml"
    before = sealed.state()
    result = sealed("payouts", "2026-H1", "--format", "sepa", "--payees", str(private / "payees.yaml"),
                    "--output", str(out), "--execution-date", "2026-07-21")
    assert result.code == 0, result.err
    assert result.out == ""
    assert f"2026-H1: 2 transfers, €909.09 (in {out})" in result.err
    assert "to settle by hand: Dan Petit (dan) €90.91" in result.err
    assert sealed.state() == before
    assert oct(out.stat().st_mode & 0o777) == "0o600"  # bank details: readable by the treasurer only
    xml = out.read_bytes()
    xmlschema.XMLSchema(str(XSD)).validate(xml.decode("utf-8"))  # raises on any departure from the schema

    root = ET.fromstring(xml)
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    info = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    txs = info.findall("p:CdtTrfTxInf", NS)
    amounts = {tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS): Decimal(tx.findtext("p:Amt/p:InstdAmt", namespaces=NS))
               for tx in txs}
    assert amounts == {"FAB-2026-H1-alice": Decimal("727.27"), "FAB-2026-H1-chloe": Decimal("181.82")}
    assert [tx.find("p:Amt/p:InstdAmt", NS).get("Ccy") for tx in txs] == ["EUR", "EUR"]
    assert [tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) for tx in txs] == [ALICE_IBAN, CHLOE_IBAN]
    assert [tx.findtext("p:Cdtr/p:Nm", namespaces=NS) for tx in txs] == ["Alice Martin", "Chloe Durand"]
    assert txs[0].findtext("p:CdtrAgt/p:FinInstnId/p:BIC", namespaces=NS) == "PSSTFRPP"
    assert txs[1].find("p:CdtrAgt", NS) is None  # no BIC given: IBAN only, as SEPA allows
    assert {tx.findtext("p:RmtInf/p:Ustrd", namespaces=NS) for tx in txs} == {"Fabrique des Mobilites - co-remuneration 2026-H1"}
    assert header.findtext("p:NbOfTxs", namespaces=NS) == info.findtext("p:NbOfTxs", namespaces=NS) == "2"
    assert Decimal(header.findtext("p:CtrlSum", namespaces=NS)) == Decimal(info.findtext("p:CtrlSum", namespaces=NS)) \
        == sum(amounts.values()) == Decimal("909.09")
    assert info.findtext("p:ReqdExctnDt", namespaces=NS) == "2026-07-21"
    assert info.findtext("p:Dbtr/p:Nm", namespaces=NS) == "Fabrique des Mobilites"  # the ledger's name, transliterated
    assert info.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == COMMONS_IBAN
    assert info.findtext("p:DbtrAgt/p:FinInstnId/p:BIC", namespaces=NS) == "AGRIFRPP"

    # the XML's amounts are the CSV's "to transfer" rows, to the cent; with what is settled by hand, the seal's payouts
    rows = _rows(sealed("payouts", "2026-H1", "--payees", str(private / "payees.yaml")).out)
    assert sum(amounts.values()) == sum(Decimal(r["amount"]) for r in rows if r["status"] == "to transfer")
    assert sum(amounts.values()) + sum(Decimal(r["amount"]) for r in rows if r["status"] == "to settle by hand") \
        == Decimal("1000.00")


def test_sepa_debtor_from_the_options(sealed, private):
    (private / "payees.yaml").write_text("payees:" + PAYEES.split("payees:", 1)[1])  # no debtor: entry
    args = ("payouts", "2026-H1", "--format", "sepa", "--payees", str(private / "payees.yaml"))
    result = sealed(*args)
    assert result.code == 2 and "--debtor-iban" in result.err and "'debtor:'" in result.err
    result = sealed(*args, "--debtor-iban", "FR76 3000 6000 0112 3456 7890 188")
    assert result.code == 2 and "is not a valid IBAN (invalid checksum digits)" in result.err
    result = sealed(*args, "--debtor-iban", "FR76 3000 6000 0112 3456 7890 189", "--debtor-name", "Association La Fabrique")
    assert result.code == 0, result.err
    xmlschema.XMLSchema(str(XSD)).validate(result.out)  # printed on the screen without --output
    root = ET.fromstring(result.out.encode("utf-8"))
    info = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert info.findtext("p:Dbtr/p:Nm", namespaces=NS) == "Association La Fabrique"
    assert info.findtext("p:DbtrAgt/p:FinInstnId/p:BIC", namespaces=NS) == "AGRIFRPPXXX"  # found from the IBAN
    assert info.findtext("p:ReqdExctnDt", namespaces=NS) == "2026-07-20"  # today by default
    result = sealed(*args, "--debtor-iban", COMMONS_IBAN, "--execution-date", "2026-07-01")
    assert result.code == 2 and "is in the past" in result.err


# --- bank details stay out of the ledger's repository ---------------------------------------------

def test_a_payees_file_inside_the_repository_is_refused(sealed, private, monkeypatch):
    inside = [sealed.root / "payees.yaml", sealed.root / "ledger" / "payees.yaml", sealed.root / "private" / "payees.csv"]
    for path in inside:
        path.parent.mkdir(exist_ok=True)
        path.write_text(PAYEES if path.suffix == ".yaml" else "handle,iban\n")
    (sealed.root / ".gitignore").write_text("payees*\n")  # even when git ignores it
    link = private / "link.yaml"
    link.symlink_to(sealed.root / "payees.yaml")  # a link outside to a file inside: resolved, refused
    before = sealed.state()
    for path in [*inside, link]:
        out = private / "out.csv"
        result = sealed("payouts", "2026-H1", "--payees", str(path), "--output", str(out))
        assert result.code == 2, (path, result.err)
        assert f"--payees: {path} is inside the ledger's git repository ({sealed.root})" in result.err
        assert "bank details, which must never be committed" in result.err and "Traceback" not in result.err
        assert not out.exists()
    # relative to the current folder, inside the repository
    monkeypatch.chdir(sealed.root / "ledger")
    result = sealed("payouts", "2026-H1", "--payees", "../payees.yaml")
    assert result.code == 2 and "--payees: ../payees.yaml is inside the ledger's git repository" in result.err
    monkeypatch.chdir(private)
    # an output file holding IBANs is refused inside the repository too
    result = sealed("payouts", "2026-H1", "--payees", str(private / "payees.yaml"), "--output", str(sealed.root / "t.csv"))
    assert result.code == 2 and f"--output: {sealed.root / 't.csv'} is inside the ledger's git repository" in result.err
    assert not (sealed.root / "t.csv").exists()
    assert sealed.state() == before


def test_a_payees_file_in_the_repository_around_a_ledger_folder_is_refused(tmp_path, monkeypatch):
    outer = tmp_path / "association"
    outer.mkdir()
    subprocess.run(["git", "init", "-q", str(outer)], check=True)
    (outer / "README.md").write_text("the association's files\n")
    fab = Fab(outer / "registre")
    assert fab("init", str(fab.root)).code == 0
    assert fab("member", "add", "alice", "--name", "Alice Martin", "--joined", "2026-01-05").code == 0
    (outer / "payees.yaml").write_text(PAYEES)  # outside the ledger's folder, inside its git repository
    result = fab("payouts", "2026-H1", "--payees", str(outer / "payees.yaml"))
    assert result.code == 2 and f"is inside the ledger's git repository ({outer})" in result.err


def test_bad_bank_details_are_reported_with_path_and_line(sealed, private):
    path = private / "payees.yaml"
    path.write_text(PAYEES.replace("DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 01")
                    .replace("bic: PSSTFRPP", "bic: PSSTFRP")
                    + "  Zoe:\n    iban: FR14 2004 1010 0505 0001 3M02 606\n  bruno:\n    iban: FR14 2004 1010\n    ibn: x\n")
    out = private / "h1.csv"
    result = sealed("payouts", "2026-H1", "--payees", str(path), "--output", str(out))
    assert result.code == 1
    assert result.err.splitlines() == [
        f"error: nothing was written; {path} has these problems:",
        f"{path}:9: alice: 'PSSTFRP' is not a valid BIC (invalid length '7')",
        f"{path}:11: chloe: 'DE89 3704 0044 0532 0130 01' is not a valid IBAN (invalid checksum digits)",
        f"{path}:12: 'Zoe' is not a member handle (lowercase letters, digits and '-', as in the ledger)",
        f"{path}:15: bruno: 'FR14 2004 1010' is not a valid IBAN (invalid IBAN length)",
        f"{path}:16: bruno: unknown key 'ibn' (the keys are name, iban and bic)",
    ]
    assert not out.exists() and result.out == ""
    csv_path = private / "payees.csv"
    csv_path.write_text("handle,name,iban,bic\nalice,Alice Martin,FR14 2004 1010 0505 0001 3M02 606,\n"
                        "chloe,Chloé,DE00 3704 0044 0532 0130 00,\nalice,Again,,\n")
    result = sealed("payouts", "2026-H1", "--payees", str(csv_path))
    assert result.code == 1
    assert result.err.splitlines()[1:] == [
        f"{csv_path}:3: chloe: 'DE00 3704 0044 0532 0130 00' is not a valid IBAN (invalid checksum digits)",
        f"{csv_path}:4: alice is already listed on line 2",
    ]
    result = sealed("payouts", "2026-H1", "--payees", str(private / "missing.yaml"))
    assert result.code == 2 and "there is no file" in result.err


# --- recording what was paid ----------------------------------------------------------------------

def test_mark_paid_records_a_payment_and_the_owed_list_shrinks(sealed, private):
    payees = str(private / "payees.yaml")
    head = sealed.head()
    result = sealed("payouts", "2026-H1", "--mark-paid", "VIR-2026-07-20", "--member", "alice", "--member", "chloe")
    assert result.code == 0, result.err
    assert result.out == (f"recorded ledger/payments/2026-h1-vir-2026-07-20.yaml (committed {sealed.head()[:10]})\n"
                          "id: 2026-h1-vir-2026-07-20\n")
    assert sealed.git("rev-list", "--count", f"{head}..HEAD").strip() == "1"  # one commit
    assert sealed.git("show", "--name-only", "--format=%s", "HEAD").splitlines()[:3] == [
        "pay 2026-H1: 909.09 EUR to alice, chloe (VIR-2026-07-20)", "", "ledger/payments/2026-h1-vir-2026-07-20.yaml"]
    assert (sealed.root / "ledger/payments/2026-h1-vir-2026-07-20.yaml").read_text() == (
        "period: 2026-H1\ndate: 2026-07-20\nreference: VIR-2026-07-20\npaid:\n  alice: 727.27\n  chloe: 181.82\n")
    assert sealed("check").code == 0
    # what is still owed: dan only
    result = sealed("payouts", "2026-H1", "--payees", payees)
    assert result.out.splitlines() == [HEADER, DAN_ROW]
    assert result.err.splitlines()[0] == "2026-H1: 0 transfers, €0.00"
    result = sealed("payouts", "2026-H1", "--format", "sepa", "--payees", payees)
    assert result.code == 1 and "no SEPA file was written: there is no transfer" in result.err
    # the report of the closed period shows paid and owed
    report = sealed("report", "--period", "2026-H1", "--format", "json").json()
    assert report["payments"] == {
        "due": "1000.00", "paid": "909.09", "owed": "90.91",
        "members": [
            {"member": "alice", "name": "Alice Martin", "due": "727.27", "paid": "727.27", "owed": "0.00", "references": ["VIR-2026-07-20"]},
            {"member": "chloe", "name": "Chloé Durand", "due": "181.82", "paid": "181.82", "owed": "0.00", "references": ["VIR-2026-07-20"]},
            {"member": "dan", "name": "Dan Petit", "due": "90.91", "paid": "0.00", "owed": "90.91", "references": []},
        ],
    }
    md = sealed("report", "--period", "2026-H1", "--format", "md").out
    section = md.split("## Payments\n", 1)[1].split("\n## ", 1)[0]
    assert section.strip().splitlines() == [
        "Sealed payouts €1,000.00: paid €909.09, still owed €90.91.",
        "",
        "| member | sealed (EUR) | paid (EUR) | still owed (EUR) | references |",
        "|---|---:|---:|---:|---|",
        "| Alice Martin (alice) | 727.27 | 727.27 | 0.00 | VIR-2026-07-20 |",
        "| Chloé Durand (chloe) | 181.82 | 181.82 | 0.00 | VIR-2026-07-20 |",
        "| Dan Petit (dan) | 90.91 | 0.00 | 90.91 |  |",
        "| **total** | **1,000.00** | **909.09** | **90.91** | |",
    ]
    html = sealed("report", "--period", "2026-H1", "--format", "html").out
    assert 'id="table-payments"' in html and "VIR-2026-07-20" in html
    wiki = sealed("report", "--period", "2026-H1", "--format", "wiki").out
    assert "== Payments ==" in wiki and wiki.count("{|") == wiki.count("|}")
    # dan is paid by hand; then nothing is owed
    result = sealed("payouts", "2026-H1", "--mark-paid", "cash 2026-07-20", "--member", "dan", "--format", "json")
    assert result.code == 0, result.err
    assert result.json()["path"] == "ledger/payments/2026-h1-cash-2026-07-20.yaml"
    assert sealed("report", "--period", "2026-H1", "--format", "json").json()["payments"]["owed"] == "0.00"
    result = sealed("payouts", "2026-H1", "--payees", payees)
    assert result.code == 0 and result.out == HEADER + "\n" and "nothing is owed" in result.err
    before = sealed.state()
    result = sealed("payouts", "2026-H1", "--mark-paid", "VIR-again")
    assert result.code == 1 and "nothing is owed for 2026-H1" in result.err
    assert sealed.state() == before


def test_mark_paid_refusals_leave_the_ledger_unchanged(sealed):
    before = sealed.state()
    result = sealed("payouts", "2026-H1", "--mark-paid", "VIR-1", "--member", "bruno")
    assert result.code == 1 and "bruno is owed nothing for 2026-H1 (owed: alice, chloe, dan)" in result.err
    result = sealed("payouts", "2026-H2", "--mark-paid", "VIR-1")
    assert result.code == 1 and "2026-H2 is not closed" in result.err and "fab close 2026-H2" in result.err
    result = sealed("payouts", "2026-H1", "--member", "alice", "--payees", "x.yaml")
    assert result.code == 2 and "use it with --mark-paid" in result.err
    result = sealed("payouts", "2026-H1", "--mark-paid", "VIR-1", "--date", "2026-06-30")
    assert result.code == 1 and "paid on 2026-06-30, before 2026-H1 ended (2026-06-30)" in result.err
    result = sealed("payouts", "2026-H1")
    assert result.code == 2 and "missing option '--payees'" in result.err
    assert sealed.state() == before
    result = sealed("payouts", "2026-H1", "--mark-paid", "VIR-1", "--dry-run")
    assert result.code == 0 and result.out.startswith("would write ledger/payments/2026-h1-vir-1.yaml:")
    assert sealed.state() == before


def test_paying_more_than_owed_is_refused_by_fab_check(sealed):
    assert sealed("payouts", "2026-H1", "--mark-paid", "VIR-1", "--member", "alice").code == 0
    assert sealed("check").code == 0
    sealed.write("ledger/payments/again.yaml",
                 "period: 2026-H1\ndate: 2026-07-20\nreference: VIR-2\npaid:\n  alice: 10.00\n  chloe: 181.83\n  zoe: 5.00\n")
    sealed.write("ledger/payments/early.yaml", "period: 2026-H2\ndate: 2026-07-20\nreference: VIR-3\npaid:\n  dan: 1.00\n")
    result = sealed("check", "--format", "json")
    assert result.code == 1
    assert [(p["path"], p["line"], p["column"], p["code"], p["message"]) for p in result.json()["problems"]] == [
        ("ledger/payments/again.yaml", 5, 3, "payment", "'paid' names 'zoe', who is not a member"),
        ("ledger/payments/again.yaml", 5, 3, "payment", "alice is paid 10.00 but 2026-H1 still owes them 0.00 (sealed 727.27, paid before 727.27)"),
        ("ledger/payments/again.yaml", 5, 3, "payment", "chloe is paid 181.83 but 2026-H1 still owes them 181.82 (sealed 181.82, paid before 0.00)"),
        ("ledger/payments/early.yaml", 1, 9, "payment", "the payment is for 2026-H2, which is not closed: payouts are paid from a sealed period"),
    ]


def test_a_reopened_period_keeps_its_payments_and_can_be_closed_again(sealed, private):
    assert sealed("payouts", "2026-H1", "--mark-paid", "VIR-1", "--member", "alice").code == 0
    result = sealed("close", "--reopen", "2026-H1", "--reason", "a donation was missing")
    assert result.code == 0, result.err
    assert sealed("check").code == 0  # the payment still counts against the last seal's payouts
    result = sealed("payouts", "2026-H1", "--payees", str(private / "payees.yaml"))
    assert result.code == 1 and "2026-H1 was reopened" in result.err and "fab close 2026-H1" in result.err
    assert sealed("payouts", "2026-H1", "--mark-paid", "VIR-2").code == 1
    assert sealed("close", "2026-H1", "--yes").code == 0
    result = sealed("payouts", "2026-H1", "--payees", str(private / "payees.yaml"))
    assert result.code == 0 and result.out.splitlines() == [HEADER, CHLOE_ROW, DAN_ROW]
