"""Services for referenced consultants: a mission from posting to assignment, what each member may
see, the rule of ``fab check`` on mission files, and the response templates.

The ``fab`` fixture has alice (contributor, with an email), bruno (consultant) and chloe (consultant
and contributor); nobody has signed.  Today is 2026-11-27.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable

import pytest

from conftest import REPO, Fab

M = "2026-11-20-etude-covoiturage-rural"
MP = f"ledger/missions/{M}.yaml"
POSTED = (
    "title: Étude covoiturage rural\nclient: Métropole de Lyon\ndeadline: 2026-12-15\n"
    "skills:\n- covoiturage\n- enquêtes\nurl: https://marches.example.org/ao-2026-118\n"
    "posted_by: alice\ndate: 2026-11-20\nstatus: open\n"
)
POST = ("mission", "post", "--title", "Étude covoiturage rural", "--client", "Métropole de Lyon", "--deadline", "2026-12-15",
        "--skill", "covoiturage", "--skill", "enquêtes", "--url", "https://marches.example.org/ao-2026-118",
        "--by", "alice", "--date", "2026-11-20")
REFUSED_CHLOE = [
    f"error: nothing was written; {MP} would have these problems:",
    f"{MP}:12:3: mission '{{key}}' names chloe, who was not a referenced consultant on {{day}}: chloe had not signed the charter by then",
    "  hint: only referenced consultants can express interest in or be assigned a mission; "
    "to become referenced, sign the charter with: fab sign chloe",
]


def _sha(fab: Fab) -> str:
    return hashlib.sha256((fab.root / "charter.md").read_bytes()).hexdigest()


def _one_commit(fab: Fab, subject: str, path: str) -> None:
    assert fab.git("log", "-1", "--format=%s").strip() == subject
    assert fab.git("show", "--name-only", "--format=", "HEAD").split() == [path]


def _posted(fab: Fab) -> None:
    assert fab("sign", "bruno", "--date", "2026-01-20").code == 0
    result = fab(*POST)
    assert result.code == 0, result.err


# --- from posting to assignment ------------------------------------------------------------------

def test_a_mission_from_posting_to_assignment(fab):
    assert fab("sign", "bruno", "--date", "2026-01-20").code == 0
    result = fab(*POST)
    assert result.code == 0, result.err
    assert result.out == f"recorded {MP} (committed {fab.head()[:10]})\nid: {M}\n"
    assert (fab.root / MP).read_text() == POSTED
    _one_commit(fab, "mission: alice posts Étude covoiturage rural (Métropole de Lyon, deadline 2026-12-15)", MP)
    assert fab.git("log", "-1", "--format=%an <%ae>").strip() == "Alice Martin <alice@example.org>"  # as the poster

    block = [f"{M}", "  Étude covoiturage rural — Métropole de Lyon", "  deadline 15 Dec 2026 · open · skills: covoiturage, enquêtes"]
    assert fab("mission", "list").out.splitlines() == ["Open mission proposals on 27 Nov 2026: 1", "", *block]
    seen = fab("mission", "list", "--for", "bruno")
    assert seen.code == 0 and seen.out.splitlines() == ["Open mission proposals for bruno (referenced since 20 Jan 2026): 1", "", *block]
    refused = fab("mission", "list", "--for", "chloe")
    assert refused.code == 0 and refused.out.splitlines() == [
        "No mission proposals for chloe: chloe has not signed the charter, "
        "and mission proposals are offered to referenced consultants only.",
        "To become referenced, sign the charter with: fab sign chloe",
    ]
    as_json = fab("mission", "list", "--for", "chloe", "--format", "json")
    assert (as_json.code, as_json.json()) == (0, []) and "chloe has not signed the charter" in as_json.err
    assert [m["id"] for m in fab("mission", "list", "--for", "bruno", "--format", "json").json()] == [M]

    # chloe is a consultant but not referenced: refused, nothing written
    before = fab.state()
    result = fab("mission", "interest", M, "--by", "chloe", "--date", "2026-11-22")
    assert result.code == 1
    assert result.err.splitlines() == [line.format(key="interest", day="2026-11-22") for line in REFUSED_CHLOE]
    assert fab.state() == before

    result = fab("mission", "interest", M, "--by", "bruno", "--date", "2026-11-22", "--format", "json")
    assert result.code == 0, result.err
    assert result.json() == {"id": M, "path": MP, "commit": fab.head(), "dry_run": False, "signed": False}
    interested = POSTED.replace("- covoiturage\n- enquêtes\n", "  - covoiturage\n  - enquêtes\n") + (
        "interest:\n  - member: bruno\n    date: 2026-11-22\n")
    assert (fab.root / MP).read_text() == interested
    _one_commit(fab, f"mission: bruno is interested in {M}", MP)

    before = fab.state()
    result = fab("mission", "assign", M, "--to", "chloe", "--date", "2026-11-26")
    assert result.code == 1
    assert result.err.splitlines() == [line.format(key="assigned", day="2026-11-26").replace(":12:3:", ":15:3:")
                                       for line in REFUSED_CHLOE]
    assert fab.state() == before

    result = fab("mission", "assign", M, "--to", "bruno", "--date", "2026-11-26")
    assert result.code == 0, result.err
    assert result.out == f"recorded {MP} (committed {fab.head()[:10]})\nid: {M}\n"
    assert (fab.root / MP).read_text() == interested.replace("status: open", "status: assigned") + (
        "assigned:\n  - member: bruno\n    date: 2026-11-26\n")
    _one_commit(fab, f"mission: {M} assigned to bruno", MP)

    assert fab("mission", "show", M).out.splitlines() == [
        "Étude covoiturage rural — Métropole de Lyon",
        f"id:        {M}",
        "deadline:  15 Dec 2026 (open)",
        "status:    assigned to bruno",
        "skills:    covoiturage, enquêtes",
        "url:       https://marches.example.org/ao-2026-118",
        "posted:    20 Nov 2026 by Alice Martin (alice)",
        "interest:  Bruno Lefèvre (bruno) on 22 Nov 2026",
        "assigned:  Bruno Lefèvre (bruno) on 26 Nov 2026",
    ]
    data = fab("mission", "show", M, "--format", "json").json()
    assert (data["status"], data["interest"], data["assigned"]) == (
        "assigned", [{"member": "bruno", "date": "2026-11-22"}], [{"member": "bruno", "date": "2026-11-26"}])
    # assigned: no longer open, but listed with --all
    assert fab("mission", "list").out == "Open mission proposals on 27 Nov 2026: none\n"
    assert fab("mission", "list", "--all").out.splitlines() == [
        "Missions on 27 Nov 2026: 1", "", M, "  Étude covoiturage rural — Métropole de Lyon",
        "  deadline 15 Dec 2026 · assigned to bruno · skills: covoiturage, enquêtes", "  interest: bruno",
    ]
    assert fab("check").out == "ok: 5 records, no problems\n"


def test_what_someone_who_is_not_a_referenced_consultant_sees(fab, monkeypatch):
    _posted(fab)
    result = fab("mission", "list", "--for", "alice")
    assert result.code == 0 and result.out.splitlines() == [
        "No mission proposals for alice: alice is not a consultant (roles: contributor), "
        "and mission proposals are offered to referenced consultants only.",
        "The services of the referencing are for consultants: add 'consultant' to the roles in "
        "ledger/members/alice.yaml, then sign the charter with: fab sign alice",
    ]
    result = fab("mission", "list", "--for", "zoe")
    assert result.code == 1 and result.err.splitlines()[0] == "error: 'zoe' is not a member"
    # past the deadline, the mission is no longer proposed
    monkeypatch.setenv("FAB_TODAY", "2026-12-16")
    assert fab("mission", "list", "--for", "bruno").out == "Open mission proposals for bruno (referenced since 20 Jan 2026): none\n"
    assert "deadline:  15 Dec 2026 (passed)" in fab("mission", "show", M).out


def test_refusals_leave_the_ledger_as_it_was(fab):
    _posted(fab)
    assert fab("sign", "chloe", "--date", "2026-11-21").code == 0
    assert fab("mission", "interest", M, "--by", "bruno", "--date", "2026-11-22").code == 0
    before = fab.state()
    cases = [
        (("mission", "interest", "nope", "--by", "bruno"),
         "ledger/missions/nope.yaml:1:1: unknown-reference there is no mission 'nope'"),
        (("mission", "interest", M, "--by", "bruno"),
         f"{MP}:12:3: mission bruno already expressed interest in this mission on 2026-11-22"),
        (("mission", "interest", M, "--by", "alice"),
         f"{MP}:12:3: mission 'interest' names alice, who is not a consultant (roles: contributor)"),
        (("mission", "interest", M, "--by", "zoe"),
         f"{MP}:12:3: unknown-reference 'interest' names 'zoe', who is not a member"),
        (("mission", "interest", M, "--by", "chloe", "--date", "2026-11-28"),
         f"{MP}:12:3: future-date the interest of chloe on 2026-11-28 is in the future (today is 2026-11-27)"),
        (("mission", "interest", M, "--by", "chloe", "--date", "2026-11-20"),
         f"{MP}:12:3: mission 'interest' names chloe, who was not a referenced consultant on 2026-11-20: "
         "chloe had not signed the charter by then"),
        (("mission", "assign", M, "--to", "alice"),
         f"{MP}:15:3: mission 'assigned' names alice, who is not a consultant (roles: contributor)"),
        (("mission", "post", "--title", "T", "--client", "C", "--deadline", "2026-11-01", "--by", "alice"),
         "ledger/missions/2026-11-27-t.yaml:3:11: mission the deadline 2026-11-01 is before the mission was posted (2026-11-27)"),
        (("mission", "post", "--title", "T", "--client", "C", "--deadline", "2026-12-01", "--by", "zoe"),
         "ledger/missions/2026-11-27-t.yaml:4:12: unknown-reference 'posted_by' names 'zoe', who is not a member"),
        (("mission", "post", "--title", "T", "--client", "C", "--deadline", "2026-12-01", "--by", "alice", "--url", "www.x.org"),
         "ledger/missions/2026-11-27-t.yaml:4:6: bad-value 'url': 'www.x.org' is not a web address starting with http:// or https://"),
        (("mission", "post", "--title", "T", "--client", "C", "--deadline", "2026-12-01", "--by", "alice", "--id", M),
         f"{MP}:1:1: duplicate-id {MP} already exists"),
    ]
    for args, problem in cases:
        result = fab(*args)
        assert (result.code, result.err.splitlines()[1]) == (1, problem), (args, result.err)
        assert fab.state() == before, args
    for args in (("mission", "post", "--title", "T", "--client", "C", "--by", "alice"),
                 ("mission", "post", "--title", "T", "--client", "C", "--deadline", "2026-13-01", "--by", "alice"),
                 ("mission", "interest", M)):
        assert fab(*args).code == 2, args
        assert fab.state() == before, args
    # once assigned, a mission takes no more interest; a closed one takes no assignment
    assert fab("mission", "assign", M, "--to", "bruno", "--date", "2026-11-26").code == 0
    before = fab.state()
    result = fab("mission", "interest", M, "--by", "chloe")
    assert result.code == 1 and result.err.splitlines()[1] == (
        f"{MP}:10:9: mission the mission is assigned to bruno: it no longer takes interest")
    result = fab("mission", "assign", M, "--to", "bruno")
    assert result.code == 1 and "the mission was already assigned to bruno on 2026-11-26" in result.err
    assert fab.state() == before
    # a team: a second referenced consultant joins the assignment
    assert fab("mission", "assign", M, "--to", "chloe").code == 0
    assert (fab.root / MP).read_text().endswith("assigned:\n  - member: bruno\n    date: 2026-11-26\n"
                                               "  - member: chloe\n    date: 2026-11-27\n")


def test_dry_run_and_comments_kept(fab):
    _posted(fab)
    path = fab.root / MP
    path.write_text("# proposé par la Fabrique, relayé sur la liste consultants\n" + POSTED)
    fab.git("commit", "-qam", "comment")
    before = fab.state()
    dry = fab("mission", "interest", M, "--by", "bruno", "--dry-run")
    assert dry.code == 0 and dry.out.startswith(f"would write {MP}:\n\n# proposé par la Fabrique")
    assert fab.state() == before
    assert fab("mission", "interest", M, "--by", "bruno").code == 0
    assert path.read_text().startswith("# proposé par la Fabrique, relayé sur la liste consultants\ntitle: ")


# --- the rule of fab check -----------------------------------------------------------------------

MISSION = "title: Étude\nclient: Lyon\ndeadline: 2026-12-15\nposted_by: alice\ndate: 2026-11-20\nstatus: open\n"
X = "ledger/missions/m1.yaml"


def _steps(interest: str = "", assigned: str = "", status: str = "open") -> str:
    text = MISSION.replace("status: open", f"status: {status}")
    for key, steps in (("interest", interest), ("assigned", assigned)):
        if steps:
            text += f"{key}:\n" + "".join(f"- member: {h}\n  date: {d}\n" for h, d in (s.split("@") for s in steps.split()))
    return text


@dataclass
class Bad:
    text: str
    expected: tuple[str, int, int, str, str]
    prepare: Callable[[Fab], None] | None = None


def _signed(*who: str) -> Callable[[Fab], None]:
    def prepare(fab: Fab) -> None:
        for handle, day in (w.split("@") for w in who):
            assert fab("sign", handle, "--date", day).code == 0
    return prepare


def _dereferenced(fab: Fab) -> None:
    _signed("bruno@2026-01-20")(fab)
    fab.write("ledger/periods/2026-H1.yaml", (
        "period: 2026-H1\ndate: 2026-07-03\npolicy:\n  name: proportional\npool: 0.00\ncommons: 0.00\n"
        f"distributable: 0.00\ncarried_over: 0.00\ndereferenced:\n- bruno\ndigest: {'0' * 64}\nfiles: {{}}\n"))


BAD = {
    "interest-not-signed": Bad(_steps("chloe@2026-11-22"), (
        X, 8, 1, "mission", "'interest' names chloe, who was not a referenced consultant on 2026-11-22: "
                            "chloe had not signed the charter by then")),
    "assigned-before-signing": Bad(_steps(assigned="bruno@2026-11-21", status="assigned"), (
        X, 8, 1, "mission", "'assigned' names bruno, who was not a referenced consultant on 2026-11-21: "
                            "bruno had not signed the charter by then"), _signed("bruno@2026-11-25")),
    "interest-not-a-consultant": Bad(_steps("alice@2026-11-22"), (
        X, 8, 1, "mission", "'interest' names alice, who is not a consultant (roles: contributor)"), _signed("alice@2026-01-10")),
    "interest-after-dereferencing": Bad(_steps("bruno@2026-11-22"), (
        X, 8, 1, "mission", "'interest' names bruno, who was not a referenced consultant on 2026-11-22: "
                            "bruno left the referencing on 2026-07-03 (collective review of 2026-H1)"), _dereferenced),
    "unknown-in-assigned": Bad(_steps(assigned="zoe@2026-11-22", status="assigned"), (
        X, 8, 1, "unknown-reference", "'assigned' names 'zoe', who is not a member")),
    "unknown-poster": Bad(MISSION.replace("posted_by: alice", "posted_by: zoe"), (
        X, 4, 12, "unknown-reference", "'posted_by' names 'zoe', who is not a member")),
    "listed-twice": Bad(_steps("bruno@2026-11-21 bruno@2026-11-22"), (
        X, 8, 1, "mission", "bruno is listed twice in 'interest'"), _signed("bruno@2026-01-20")),
    "step-before-posting": Bad(_steps(assigned="bruno@2026-11-19", status="assigned"), (
        X, 8, 1, "mission", "the assignment of bruno is dated 2026-11-19, before the mission was posted (2026-11-20)"),
        _signed("bruno@2026-01-20")),
    "interest-after-deadline": Bad(_steps("bruno@2026-11-22").replace("deadline: 2026-12-15", "deadline: 2026-11-21"), (
        X, 8, 1, "mission", "the interest of bruno on 2026-11-22 came after the deadline (2026-11-21)"), _signed("bruno@2026-01-20")),
    "step-in-future": Bad(_steps("bruno@2026-11-30"), (
        X, 8, 1, "future-date", "the interest of bruno on 2026-11-30 is in the future (today is 2026-11-27)"), _signed("bruno@2026-01-20")),
    "deadline-before-posting": Bad(MISSION.replace("deadline: 2026-12-15", "deadline: 2026-11-01"), (
        X, 3, 11, "mission", "the deadline 2026-11-01 is before the mission was posted (2026-11-20)")),
    "assigned-but-open": Bad(_steps(assigned="bruno@2026-11-22"), (
        X, 6, 9, "mission", "the mission is assigned to bruno but its status is 'open'"), _signed("bruno@2026-01-20")),
    "status-assigned-to-nobody": Bad(_steps(status="assigned"), (
        X, 6, 9, "mission", "the status is 'assigned' but nobody is listed in 'assigned'")),
    "unknown-key": Bad(MISSION + "assigne: bruno\n", (X, 7, 1, "unknown-key", "unknown key 'assigne'")),
    "step-without-date": Bad(MISSION + "interest:\n- member: bruno\n", (X, 8, 3, "missing-key", "missing key 'interest.0.date'")),
}


@pytest.mark.parametrize("name", list(BAD))
def test_check_refuses_a_bad_mission_file(fab, name):
    bad = BAD[name]
    if bad.prepare is not None:
        bad.prepare(fab)
    fab.write(X, bad.text)
    before = fab.state()
    result = fab("check", "--format", "json")
    assert result.code == 1 and fab.state() == before
    problems = [(p["path"], p["line"], p["column"], p["code"], p["message"]) for p in result.json()["problems"]]
    assert problems == [bad.expected]
    text = fab("check")
    assert text.out.splitlines()[0] == "{}:{}:{}: {} {}".format(*bad.expected)
    assert text.out.splitlines()[1].startswith("  hint: ")


def test_check_accepts_a_mission_taken_by_referenced_consultants(fab):
    _signed("bruno@2026-01-20", "chloe@2026-11-21")(fab)
    fab.write(X, _steps("bruno@2026-11-21 chloe@2026-11-21", "bruno@2026-11-25 chloe@2026-11-26", "assigned"))
    assert fab("check").out == "ok: 6 records, no problems\n"


def test_the_mission_code_is_documented_with_a_real_example():
    docs = (REPO / "docs/problems.md").read_text("utf-8")
    body = docs.split("## `mission`", 1)[1].split("\n## ", 1)[0]
    assert "'interest' names chloe, who was not a referenced consultant on 2026-11-22: chloe had not signed the charter by then" in body


# --- response templates --------------------------------------------------------------------------

def test_init_ships_the_templates(fab):
    assert sorted(fab.git("ls-files", "templates").split()) == [
        "templates/clause-reciprocite.md", "templates/offre-technique.md", "templates/references.md"]
    starter = REPO / "src/fabrique_ledger/starter/templates"
    for name in ("clause-reciprocite.md", "offre-technique.md", "references.md"):
        assert (fab.root / "templates" / name).read_text() == (REPO / "templates" / name).read_text() == (starter / name).read_text()


def test_template_list(fab):
    result = fab("template", "list")
    assert result.code == 0 and result.out.splitlines() == [
        "clause-reciprocite  Clause de réciprocité",
        "offre-technique     Proposition technique et financière — un commun au service de la mission",
        "references          Références et ressources du commun",
    ]
    assert fab("template", "list", "--format", "json").json()[0] == {
        "name": "clause-reciprocite", "path": "templates/clause-reciprocite.md", "heading": "Clause de réciprocité"}


def test_template_render_the_clause(fab):
    assert fab("sign", "bruno", "--date", "2026-01-20").code == 0
    result = fab("template", "render", "clause-reciprocite", "--for", "bruno")
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == [
        "# Clause de réciprocité",
        "",
        "Bruno Lefèvre figure parmi les consultants référencés du commun Fabrique des Mobilités depuis le 20 janvier 2026, "
        f"en tant que signataire de sa charte de réciprocité (version {_sha(fab)[:12]}). À ce titre, Bruno Lefèvre "
        "s'engage à rendre au commun une part de ce que le commun l'aide à produire, par des dons au pot commun et/ou "
        "par des contributions (pages du wiki, code, événements, mentorat, modèles de réponse, traductions, relectures). "
        "Ce que chacun utilise et rend est public dans le registre de réciprocité du commun et examiné collectivement "
        "tous les six mois.",
        "",
        "Le registre de réciprocité de la Fabrique des Mobilités est public : chacun peut y vérifier ce que",
        "Bruno Lefèvre utilise du commun et ce qui lui est rendu, en dons comme en contributions.",
        "",
        "*Clause établie le 27 novembre 2026, à reprendre telle quelle dans l'offre ou le contrat.*",
    ]


def test_template_render_an_offer_for_a_mission(fab, tmp_path):
    assert fab("member", "add", "david", "--name", "David Nguyen", "--role", "consultant", "--organisation",
               "Trajectoires SCOP", "--email", "david@example.org", "--joined", "2026-01-05").code == 0
    assert fab("sign", "david", "--date", "2026-02-01").code == 0
    assert fab(*POST).code == 0
    before = fab.state()
    out = tmp_path / "offre.md"
    result = fab("template", "render", "offre-technique", "--for", "david", "--mission", M, "--output", str(out))
    assert (result.code, result.out, result.err) == (0, "", f"wrote {out}\n")
    assert fab.state() == before
    text = out.read_text()
    assert "{{" not in text
    lines = text.splitlines()
    assert lines[:3] == [
        "# Proposition technique et financière — un commun au service de la mission",
        "",
        "*Section à insérer dans l'offre de Trajectoires SCOP pour « Étude covoiturage rural » "
        "(Métropole de Lyon, remise des offres le 15 décembre 2026).*",
    ]
    assert lines[6] == "Pour cette mission, David Nguyen s'appuie sur la Fabrique des Mobilités, un commun de l'innovation dans"
    assert "Le client, Métropole de Lyon, bénéficiera ainsi :" in lines
    assert any(line.startswith("David Nguyen (Trajectoires SCOP) figure parmi les consultants référencés du commun "
                               "Fabrique des Mobilités depuis le 1er février 2026, en tant que signataire de sa charte "
                               f"de réciprocité (version {_sha(fab)[:12]}).") for line in lines)
    assert lines[-4:] == [
        "Trajectoires SCOP : elle n'est pas refacturée au client (Métropole de Lyon). Les montants de l'offre sont",
        "exprimés en EUR hors taxes.",
        "",
        "Contact : David Nguyen, david@example.org — le 27 novembre 2026",
    ]


def test_template_values_the_ledger_lacks_are_left_and_named(fab):
    assert fab("sign", "bruno", "--date", "2026-01-20").code == 0
    result = fab("template", "render", "references", "--for", "bruno")
    assert result.code == 0
    assert result.err.splitlines() == [
        "warning: {{consultant.organisation}} is left as it is: bruno has no organisation in ledger/members/bruno.yaml",
        "warning: {{mission.title}} is left as it is: no mission was given (--mission ID)",
    ]
    assert result.out.splitlines()[2] == "## Références de {{consultant.organisation}}"
    assert result.out.splitlines()[-2:] == [
        "Fabrique des Mobilités, conformément à la charte de réciprocité signée par Bruno Lefèvre",
        f"(version {_sha(fab)[:12]}), référencé·e depuis le 20 janvier 2026.",
    ]


def test_template_render_refusals(fab):
    assert fab("sign", "bruno", "--date", "2026-01-20").code == 0
    result = fab("template", "render", "clause-reciprocite", "--for", "chloe")
    assert (result.code, result.out) == (1, "")
    assert result.err.splitlines() == [
        "error: chloe has not signed the charter: the response templates are for referenced consultants only",
        "  hint: to become referenced, sign the charter with: fab sign chloe",
    ]
    result = fab("template", "render", "clause-reciprocite", "--for", "alice")
    assert result.code == 1 and result.err.splitlines()[0] == (
        "error: alice is not a consultant (roles: contributor): the response templates are for referenced consultants only")
    result = fab("template", "render", "devis", "--for", "bruno")
    assert result.code == 1 and result.err.splitlines()[0] == (
        "error: there is no template 'devis' in templates/ (templates: clause-reciprocite, offre-technique, references)")
    result = fab("template", "render", "references", "--for", "bruno", "--mission", "nope")
    assert result.code == 1 and result.err.splitlines()[0] == "error: there is no mission 'nope'"
    fab.write("templates/devis.md", "# Devis\n\nPour {{consultant.nom}} :\n{{ mission.titre }} et {{today}} {{oops\n")
    result = fab("template", "render", "devis", "--for", "bruno")
    assert (result.code, result.out) == (1, "")
    assert result.err.splitlines() == [
        "error: templates/devis.md:3:6: unknown placeholder {{consultant.nom}}",
        "  hint: did you mean {{consultant.name}}?",
        "error: templates/devis.md:4:1: unknown placeholder {{ mission.titre }}",
        "  hint: did you mean {{mission.title}}?",
        "error: templates/devis.md:4:34: '{{' opens a placeholder that is never closed by '}}'",
        "  hint: close it, like {{consultant.name}}",
    ]


def test_template_list_without_templates_folder(fab):
    for path in sorted((fab.root / "templates").iterdir()):
        path.unlink()
    (fab.root / "templates").rmdir()
    result = fab("template", "list")
    assert result.code == 1 and result.err.startswith("error: there is no templates/ folder next to charter.md")


def test_a_refused_interest_is_data_worded_when_shown(fab):
    """The problem of a refused step is data: worded in the reader's language when shown, in English in
    JSON, whatever the language it was made in (the mission's status was once translated when made)."""
    from datetime import date

    import fabrique_ledger as lib
    from fabrique_ledger import i18n

    _posted(fab)
    assert fab("mission", "assign", M, "--to", "bruno", "--date", "2026-11-26").code == 0
    ledger = lib.open_ledger(fab.root, today=date(2026, 11, 27))
    i18n.set_language("fr")
    try:
        problem, = lib.drafts.mission_interest(ledger, M, (fab.root / MP).read_bytes(), by="chloe").problems
        assert str(problem.message) == "la mission est attribuée à bruno : on ne peut plus s'y positionner"
    finally:
        i18n.set_language(None)
    assert problem.as_dict()["message"] == "the mission is assigned to bruno: it no longer takes interest"
    assert str(problem.message) == "the mission is assigned to bruno: it no longer takes interest"
