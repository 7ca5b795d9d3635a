"""The ledger is public: fab check warns about bank details and phone numbers in free text (issue 7).

Each case writes ONE record holding private data in a free-text field, runs ``fab check`` in JSON
and in text, and asserts the exact warning (path, line, column, code, message), its one-line hint,
exit 0 (a warning is not an error), and that the number itself is never printed in full.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from fabrique_ledger.privacy import findings
from fabrique_ledger.problems import CODES

IBAN = "FR76 3000 6000 0112 3456 7890 189"
CARD = "4111 1111 1111 1111"
PHONE = "06 12 34 56 78"
D = "ledger/donations/2026-H1/2026-03-02-bruno.yaml"
C = "ledger/contributions/2026-H1/c1.yaml"
CONTRIBUTION = "authors: alice\nkind: wiki\ntitle: Page\nhours: 3\ndate: 2026-03-02\n"
IBAN_SAYS = "holds what looks like an IBAN (a bank account) (FR76…189); the ledger is public"
PHONE_SAYS = "holds what looks like a phone number (0612…678); the ledger is public"


def case(id: str, files: dict[str, str], expected: tuple):
    return pytest.param(files, expected, id=id)


PRIVACY_CASES = [
    case("iban-in-donation-reference", {D: f"donor: bruno\namount: 10.00\ndate: 2026-03-02\nreference: {IBAN}\n"},
         (D, 4, 12, "private-data", f"'reference' {IBAN_SAYS}")),
    case("compact-iban-in-a-sentence", {D: "donor: bruno\namount: 10.00\ndate: 2026-03-02\n"
                                           "mission: 'AMO, virement depuis FR7630006000011234567890189 merci'\n"},
         (D, 4, 10, "private-data", f"'mission' {IBAN_SAYS}")),
    case("phone-in-contribution-description", {C: CONTRIBUTION + f"description: Appelez-moi au {PHONE}\n"},
         (C, 6, 14, "private-data", f"'description' {PHONE_SAYS}")),
    case("phone-in-a-block-scalar", {C: CONTRIBUTION + "description: |\n  Pour me joindre :\n  +33 6 12 34 56 78\n"},
         (C, 6, 14, "private-data", "'description' holds what looks like a phone number (+336…678); the ledger is public")),
    case("card-in-review-comment", {
        C: CONTRIBUTION,
        "ledger/reviews/2026-H1/c1--bruno.yaml": f"target: c1\nreviewer: bruno\nverdict: approve\ndate: 2026-03-05\n"
                                                 f"comment: payé avec la carte {CARD}\n"},
         ("ledger/reviews/2026-H1/c1--bruno.yaml", 5, 10, "private-data",
          "'comment' holds what looks like a payment card number (4111…111); the ledger is public")),
    case("phone-in-member-organisation", {"ledger/members/zoe.yaml": "name: Zoé\nroles: [contributor]\njoined: 2026-01-05\n"
                                                                     "organisation: Zoé Conseil, tél. +33 (0)6 12 34 56 78\n"},
         ("ledger/members/zoe.yaml", 4, 15, "private-data",
          "'organisation' holds what looks like a phone number (+336…678); the ledger is public")),
    case("international-phone-in-alert-note", {"ledger/alerts/a1.yaml": "about: Vélocité Conseil\nevidence: https://example.org/offre\n"
                                                                       "reported_by: alice\ndate: 2026-04-02\nnote: rappeler +44 20 7946 0958\n"},
         ("ledger/alerts/a1.yaml", 5, 7, "private-data",
          "'note' holds what looks like a phone number (+442…958); the ledger is public")),
    case("iban-in-use-resource", {"ledger/uses/2026-H1/u1.yaml": "member: bruno\nresource: 'wiki; payé sur GB82 WEST 1234 5698 7654 32'\n"
                                                                 "date: 2026-03-02\n"},
         ("ledger/uses/2026-H1/u1.yaml", 2, 11, "private-data",
          "'resource' holds what looks like an IBAN (a bank account) (GB82…432); the ledger is public")),
]


@pytest.mark.parametrize("files, expected", PRIVACY_CASES)
def test_private_data_is_one_exact_warning(fab, files, expected):
    for rel, text in files.items():
        fab.write(rel, text)
    as_json = fab("check", "--format", "json")
    as_text = fab("check")
    for result in (as_json, as_text):
        assert result.code == 0, (result.out, result.err)  # a warning, not an error
        assert "Traceback" not in result.out + result.err
    problems = as_json.json()["problems"]
    assert [(p["path"], p["line"], p["column"], p["code"], p["message"]) for p in problems] == [expected]
    problem = problems[0]
    assert problem["severity"] == "warning"
    assert problem["hint"] == CODES["private-data"][1]
    assert re.fullmatch(r"\S.*\S", problem["hint"]) and "\n" not in problem["hint"]
    path, line, column, code, message = expected
    assert as_text.out.splitlines()[:2] == [f"{path}:{line}:{column}: {code} warning: {message}", f"  hint: {problem['hint']}"]
    assert "1 warning" in as_text.out
    for secret in (IBAN, IBAN.replace(" ", ""), CARD, CARD.replace(" ", ""), PHONE, "7946 0958", "5698 7654 32"):
        assert secret not in as_json.out + as_text.out  # shown masked only


def test_the_private_data_code_is_covered_like_every_code():
    """test_check_bad_input covers every error code; the warning code is covered here, the same way."""
    assert {expected[3] for _, expected in (param.values for param in PRIVACY_CASES)} == {"private-data"}
    assert "private-data" in CODES


def test_a_write_command_records_it_and_check_warns(fab):
    result = fab("contribute", "--by", "alice", "--kind", "event", "--title", "Atelier", "--hours", "2",
                 "--date", "2026-03-02", "--description", f"Inscriptions au {PHONE}")
    assert result.code == 0, result.err
    problems = fab("check", "--format", "json").json()["problems"]
    assert [(p["code"], p["severity"], p["line"]) for p in problems] == [("private-data", "warning", 6)]


def test_an_ordinary_ledger_raises_no_alarm(fab):
    """Dates, amounts, hours, ids, links with digits, invoice numbers, SIRET, wrong IBANs and card numbers
    that fail their check digits are not private data."""
    fab.write(D, "donor: bruno\namount: 1500.00\ndate: 2026-03-02\nreference: VIR-2026-031 facture 2026-0312-3456-7890\n"
                 "mission: 'AMO covoiturage, lot 12345678, SIRET 732 829 320 00074'\n")
    fab.write(C, CONTRIBUTION + "url: https://wiki.lafabriquedesmobilites.fr/wiki/Page?oldid=0612345678\n"
                 "description: 'du 01.02.2026 au 03.04.2026, 2026-01-05 2026-02-03, 12 h 30, 1 500,00 EUR, "
                 "IBAN faux FR76 3000 6000 0112 3456 7890 188, carte fausse 4111 1111 1111 1112, ISBN 978-2-07-036822-8'\n")
    result = fab("check", "--format", "json")
    assert result.code == 0 and result.json()["problems"] == []


@pytest.mark.parametrize("text, found", [
    ("Virement sur FR76 3000 6000 0112 3456 7890 189 merci", [("an IBAN (a bank account)", "FR76…189")]),
    ("iban: fr76 3000 6000 0112 3456 7890 189", [("an IBAN (a bank account)", "FR76…189")]),
    ("DE89370400440532013000 et 06 12 34 56 78", [("an IBAN (a bank account)", "DE89…000"), ("a phone number", "0612…678")]),
    ("carte 4111-1111-1111-1111", [("a payment card number", "4111…111")]),
    ("amex 3782 822463 10005", [("a payment card number", "3782…005")]),
    ("06.12.34.56.78", [("a phone number", "0612…678")]),
    ("0612345678", [("a phone number", "0612…678")]),
    ("+33 (0)6 12 34 56 78", [("a phone number", "+336…678")]),
    ("0033 6 12 34 56 78", [("a phone number", "0033…678")]),
    ("+1 415 555 2671", [("a phone number", "+141…671")]),
    ("FR76 3000 6000 0112 3456 7890 188", []),           # wrong check digits
    ("XX76 3000 6000 0112 3456 7890 189", []),           # no such country
    ("4111 1111 1111 1112", []),                         # fails Luhn
    ("1234 5678 9012 3452", []),                         # passes Luhn, but no card network starts with 1
    ("lot 0612-3456-78", []),                            # not written in pairs
    ("dates 2026-01-05 2026-02-03 2026-03-04", []),
    ("01-02-2026 12:30", []),
    ("+33 06 12 34 56 78", []),                          # +33 then a national 0: not a number
    ("https://example.org/p?id=0612345678", []),
    ("5 contributions : 12, 34, 56, 78, 90, 12", []),
])
def test_what_counts_as_private_data(text, found):
    assert findings(text) == found


def test_a_member_who_leaves_keeps_their_records_under_their_handle(fab):
    """docs/privacy.md, 'How a member leaves': the member file keeps only the handle; records and seals stay."""
    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "Guide", "--hours", "4", "--date", "2026-03-02").code == 0
    assert fab("donate", "--by", "bruno", "--amount", "100", "--date", "2026-03-03").code == 0
    assert fab("close", "2026-H1", "--yes").code == 0
    sealed = fab.git("ls-tree", "-r", "HEAD", "--", "ledger/contributions", "ledger/donations", "ledger/periods")
    fab.write("ledger/members/alice.yaml", "name: alice\nroles:\n- contributor\njoined: 2026-01-05\nreceives: false\n")
    assert fab("check").code == 0
    fab.git("commit", "-q", "-m", "member: alice leaves; name replaced by the handle on request", "--", "ledger/members/alice.yaml")
    assert fab("check").out.startswith("ok: ")
    assert fab.git("ls-tree", "-r", "HEAD", "--", "ledger/contributions", "ledger/donations", "ledger/periods") == sealed
    report = fab("report", "--period", "2026-H1", "--format", "json").json()
    assert [(c["member"], c["name"]) for c in report["contributors"]] == [("alice", "alice")]
    assert "Alice Martin" not in fab("report", "--period", "2026-H1", "--format", "md").out
    found = subprocess.run(["git", "-C", str(fab.root), "grep", "-n", "-i", "-e", "Alice Martin", "-e", "alice@example.org",
                            "--", "ledger/"], capture_output=True, text=True)
    assert (found.returncode, found.stdout) == (1, "")  # nothing found


def test_a_write_says_what_fab_check_will_warn_about(fab):
    result = fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "Atelier", "--hours", "2",
                 "--date", "2026-03-01", "--description", "Appeler le 06 12 34 56 78")
    assert result.code == 0 and "private-data" in result.err and "recorded ledger/contributions" in result.out
