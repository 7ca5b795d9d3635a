"""``fab schema`` agrees with ``fab check`` (issue 17): a corpus of good and bad records of every kind, each
judged by fab check in a real ledger and by real validators of the schemas fab prints: ``jsonschema`` on the
YAML loaded the way editors load it (YAML 1.2: dates stay text, numbers are numbers, compared as the decimals
written, as VS Code's YAML extension does), and ``check-jsonschema`` on the files themselves."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from hashlib import sha256
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor

from conftest import Fab, build_template, copy_ledger

jsonschema = pytest.importorskip("jsonschema")

C = "ledger/contributions/2026-H2/2026-09-02-chloe-chargeur-gtfs.yaml"
GOOD = {  # kind -> (path, text): records fab check accepts in the corpus ledger
    "member": ("ledger/members/dora.yaml", "name: Dora Petit\nroles: [contributor]\njoined: 2026-09-01\n"),
    "signature": ("ledger/signatures/bruno--2026-09-01.yaml", "member: bruno\ndate: 2026-09-01\ncharter: {charter}\n"),
    "contribution": (C, "authors:\n  - member: chloe\n    share: 0.75\n  - member: alice\n    share: '0.25'\n"
                        "kind: code\ntitle: Chargeur GTFS\nhours: 12.5\ndate: 2026-09-02\nurl: https://example.org/gtfs\n"),
    "donation": ("ledger/donations/2026-H2/2026-09-03-bruno.yaml", "donor: bruno\namount: 1500.00\ndate: 2026-09-03\nmission: AMO vélo\n"),
    "use": ("ledger/uses/2026-H2/2026-09-04-bruno-wiki.yaml", "member: bruno\nresource: 'wiki: Covoiturage'\ndate: 2026-09-04\nmission_revenue: 24000\n"),
    "review": ("ledger/reviews/2026-H2/2026-09-02-chloe-chargeur-gtfs--bruno.yaml",
               "target: 2026-09-02-chloe-chargeur-gtfs\nreviewer: bruno\nverdict: approve\nscore: 4\ndate: 2026-09-05\n"),
    "request": ("ledger/requests/2026-H2/2026-h2-chloe.yaml", "member: chloe\namount: '300'\njustification: [2026-09-02-chloe-chargeur-gtfs]\ndate: 2026-09-06\n"),
    "allocation": ("ledger/allocations/2026-H2/alice.yaml", "giver: alice\npoints:\n  chloe: 60\n  bruno: 0\ndate: 2026-09-07\n"),
    "alert": ("ledger/alerts/2026-09-08-velocite.yaml", "about: Vélocité Conseil\nevidence: https://example.org/offre\nreported_by: alice\ndate: 2026-09-08\nstatus: invited\n"),
    "mission": ("ledger/missions/2026-09-09-etude-velo.yaml", "title: Étude vélo\nclient: Métropole\ndeadline: 2026-12-15\n"
                "skills: [vélo, enquêtes]\nposted_by: alice\ndate: 2026-09-09\n"),
    "seal": ("ledger/periods/2026-H1.yaml", None),  # as fab close wrote it
    "payment": (None, None),  # as fab payouts --mark-paid wrote it
}

BAD = [  # (kind, what is wrong, (text to replace, by what) in the good record, or the whole text)
    ("member", "blank name", ("name: Dora Petit", "name: '   '")),
    ("member", "unknown role", ("[contributor]", "[treasurer]")),
    ("member", "no roles", ("roles: [contributor]", "roles: []")),
    ("member", "a date that is no date", ("joined: 2026-09-01", "joined: 2026-02-30")),
    ("member", "a date written otherwise", ("joined: 2026-09-01", "joined: 01/09/2026")),
    ("member", "an unknown key", ("joined: 2026-09-01", "joined: 2026-09-01\nphone_number: x")),
    ("member", "a missing key", ("joined: 2026-09-01\n", "")),
    ("member", "an email without domain", ("joined: 2026-09-01", "joined: 2026-09-01\nemail: dora@example")),
    ("member", "receives as text", ("joined: 2026-09-01", "joined: 2026-09-01\nreceives: 'no'")),
    ("member", "a control character", ("name: Dora Petit", 'name: "Dora \\u202e Petit"')),
    ("signature", "a charter that is no sha256", ("charter: ", "charter: x")),
    ("signature", "a handle with capitals", ("member: bruno", "member: Bruno")),
    ("contribution", "hours in words", ("hours: 12.5", "hours: douze")),
    ("contribution", "hours with a unit", ("hours: 12.5", "hours: 6h")),
    ("contribution", "negative hours", ("hours: 12.5", "hours: -3")),
    ("contribution", "no hours", ("hours: 12.5", "hours: 0")),
    ("contribution", "three decimals", ("hours: 12.5", "hours: 12.345")),
    ("contribution", "quoted three decimals", ("hours: 12.5", "hours: '12.345'")),
    ("contribution", "too many hours", ("hours: 12.5", "hours: 10000.5")),
    ("contribution", "quoted too many hours", ("hours: 12.5", "hours: '20000'")),
    ("contribution", "a blank title", ("title: Chargeur GTFS", "title: '  '")),
    ("contribution", "an unknown kind", ("kind: code", "kind: poetry")),
    ("contribution", "a share above 1", ("share: 0.75", "share: 1.5")),
    ("contribution", "a share of 0", ("share: '0.25'", "share: '0'")),
    ("contribution", "a url that is no url", ("url: https://example.org/gtfs", "url: example.org/gtfs")),
    ("contribution", "an author with a typo", ("share: 0.75", "shares: 0.75")),
    ("donation", "a negative amount", ("amount: 1500.00", "amount: -5")),
    ("donation", "quoted zero", ("amount: 1500.00", "amount: '0.00'")),
    ("donation", "cents of cents", ("amount: 1500.00", "amount: 1500.005")),
    ("donation", "a comma", ("amount: 1500.00", "amount: '1500,00'")),
    ("donation", "yen with cents", ("amount: 1500.00", "amount: 1500.5\ncurrency: JPY\nrate: 0.0062")),
    ("donation", "a currency in lowercase", ("amount: 1500.00", "amount: 1500.00\ncurrency: usd\nrate: 0.9")),
    ("donation", "a negative rate", ("amount: 1500.00", "amount: 1500.00\ncurrency: USD\nrate: -0.9")),
    ("use", "revenue in words", ("mission_revenue: 24000", "mission_revenue: beaucoup")),
    ("use", "revenue of zero", ("mission_revenue: 24000", "mission_revenue: 0")),
    ("use", "a blank resource", ("resource: 'wiki: Covoiturage'", "resource: ''")),
    ("review", "an unknown verdict", ("verdict: approve", "verdict: maybe")),
    ("review", "a score of 6", ("score: 4", "score: 6")),
    ("review", "a score as text", ("score: 4", "score: '4'")),
    ("request", "an amount in words", ("amount: '300'", "amount: trois-cents")),
    ("request", "cents of cents", ("amount: '300'", "amount: '300.001'")),
    ("allocation", "negative points", ("bruno: 0", "bruno: -5")),
    ("allocation", "points to a bad handle", ("bruno: 0", "Bruno: 5")),
    ("allocation", "points as decimals", ("chloe: 60", "chloe: 60.5")),
    ("alert", "an unknown status", ("status: invited", "status: closed")),
    ("alert", "evidence that is no url", ("evidence: https://example.org/offre", "evidence: ftp://example.org")),
    ("mission", "a blank client", ("client: Métropole", "client: ' '")),
    ("mission", "an unknown status", ("date: 2026-09-09", "date: 2026-09-09\nstatus: pending")),
    ("mission", "an interest without date", ("date: 2026-09-09", "date: 2026-09-09\ninterest: [{member: bruno}]")),
    ("mission", "a blank skill", ("skills: [vélo, enquêtes]", "skills: [vélo, '']")),
    ("seal", "a pool in words", ("pool: ", "pool: beaucoup\nx_pool: ")),
    ("seal", "a digest that is no sha256", ("digest: ", "digest: abc\nx_digest: ")),
    ("payment", "nothing paid", None),
    ("payment", "an amount in words", ("paid:", "paid:\n  bruno: beaucoup\nx_paid:")),
]

# The codes of what one file shows (the rest needs the ledger: docs/editors.md); each bad record has one.
IN_THE_FILE = {"bad-value", "missing-key", "unknown-key", "amount-not-positive", "amount-digits", "unknown-kind", "shares"}


def _closed_first_half(fab: Fab, env: pytest.MonkeyPatch) -> None:
    """A sealed 2026-H1 with a payment of it: the good seal and payment of the corpus."""
    for args in (["contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage", "--hours", "6", "--date", "2026-03-10"],
                 ["donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-18"],
                 ["close", "2026-H1", "--yes"], ["payouts", "2026-H1", "--mark-paid", "VIR-0720", "--date", "2026-07-20"]):
        result = fab(*args)
        assert result.code == 0, result.out + result.err


@pytest.fixture(scope="module")
def corpus_template(fab_template, tmp_path_factory) -> Path:
    return build_template(tmp_path_factory, "schema-corpus", _closed_first_half, base=fab_template)


@pytest.fixture
def corpus(corpus_template, tmp_path) -> tuple[Fab, dict[str, tuple[str, str]]]:
    """The corpus ledger (a copy), and the good record of each kind (path, text) written into it."""
    fab = Fab(copy_ledger(corpus_template, tmp_path / "fabrique"))
    charter = sha256((fab.root / "charter.md").read_bytes()).hexdigest()
    good = {}
    for kind, (path, text) in GOOD.items():
        if kind == "payment":
            path = next(str(p.relative_to(fab.root)) for p in (fab.root / "ledger/payments").rglob("*.yaml"))
        text = (fab.root / path).read_text("utf-8") if text is None else text.format(charter=charter)
        fab.write(path, text)
        good[kind] = (path, text)
    return fab, good


def bad_records(good: dict[str, tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    """(kind, what, path, text) of every bad case: its kind's good record changed."""
    cases = []
    for kind, what, change in BAD:
        path, text = good[kind]
        if change is None:  # a payment that pays nobody
            bad = text.split("paid:")[0] + "paid: {}\n"
        else:
            old, new = change
            assert old in text, (kind, what)
            bad = text.replace(old, new, 1)
        cases.append((kind, what, path, bad))
    return cases


def fab_refuses(fab: Fab, cases: list[tuple[str, str, str, str]]) -> dict[int, set[str]]:
    """The error codes fab check finds at each case's path, the cases written over their kind's good record,
    a round of fab check per case of a kind (each case judged alone in the ledger)."""
    found: dict[int, set[str]] = {}
    rounds: dict[int, list[int]] = {}
    for number, (kind, *_rest) in enumerate(cases):
        rounds.setdefault(sum(1 for k, *_r in cases[:number] if k == kind), []).append(number)
    originals = {path: (fab.root / path).read_text("utf-8") for _k, _w, path, _t in cases}
    for numbers in rounds.values():
        for number in numbers:
            fab.write(cases[number][2], cases[number][3])
        problems = fab("check", "--format", "json").json()["problems"]
        for number in numbers:
            found[number] = {p["code"] for p in problems if p["path"] == cases[number][2] and p["severity"] == "error"}
        for path, text in originals.items():
            fab.write(path, text)
    return found


class _EditorConstructor(SafeConstructor):
    """YAML as an editor's language server reads it: YAML 1.2 (a date is text), numbers exact as written.
    (A class of its own: ruamel's add_constructor changes the class it is called on, for every loader.)"""


_EditorConstructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)
_EditorConstructor.add_constructor("tag:yaml.org,2002:float", lambda c, node: Decimal(c.construct_scalar(node)))


def editor_load(text: str):
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = _EditorConstructor
    return yaml.load(text)


def schemas(fab: Fab) -> dict[str, dict]:
    return json.loads(fab("schema").out, parse_float=Decimal)


def schema_refuses(schema: dict, text: str) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return [error.message for error in validator.iter_errors(editor_load(text))]


def test_the_schemas_are_valid_and_cover_every_kind(corpus):
    fab, _good = corpus
    every = schemas(fab)
    assert sorted(every) == sorted([*GOOD, "settings"])
    for schema in every.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    import typer.main

    from fabrique_ledger.cli import app

    kind = typer.main.get_command(app).commands["schema"].params[0]
    assert kind.help.startswith("member, signature, contribution, donation, use, review, request, allocation, alert, "
                                "seal, mission, payment or settings.")


def test_schema_and_fab_check_agree_on_every_record_of_the_corpus(corpus):
    fab, good = corpus
    every = schemas(fab)
    problems = fab("check", "--format", "json").json()["problems"]
    assert [p for p in problems if p["severity"] == "error"] == []
    disagreements = [(kind, "good", schema_refuses(every[kind], text)) for kind, (_path, text) in good.items()
                     if schema_refuses(every[kind], text)]
    cases = bad_records(good)
    refused = fab_refuses(fab, cases)
    for number, (kind, what, _path, text) in enumerate(cases):
        # (a case of a round may break a reference of another kind's case: only the file's own problems count)
        assert refused[number] & IN_THE_FILE, f"fab check accepts the bad {kind} ({what}): not a bad record"
        if not schema_refuses(every[kind], text):
            disagreements.append((kind, what, sorted(refused[number])))
    assert disagreements == []
    assert len(cases) >= 50 and {kind for kind, *_r in cases} == set(GOOD)


def test_check_jsonschema_agrees_on_every_record_of_the_corpus(corpus, tmp_path):
    if shutil.which("check-jsonschema") is None:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    fab, good = corpus
    every = json.loads(fab("schema").out)
    cases = [(kind, "good", path, text) for kind, (path, text) in good.items()] + bad_records(good)
    disagreements = []
    for kind in GOOD:
        (tmp_path / f"{kind}.json").write_text(json.dumps(every[kind]), "utf-8")
        files = {}
        for number, (case_kind, what, _path, text) in enumerate(cases):
            if case_kind == kind:
                files[str(tmp_path / f"case-{number}.yaml")] = what
                (tmp_path / f"case-{number}.yaml").write_text(text, "utf-8")
        done = subprocess.run(["check-jsonschema", "-o", "json", "--schemafile", str(tmp_path / f"{kind}.json"), *files],
                              capture_output=True, text=True)
        report = json.loads(done.stdout)
        assert report["parse_errors"] == []
        failed = {error["filename"] for error in report["errors"]}
        disagreements += [(kind, what) for name, what in files.items() if (name in failed) != (what != "good")]
    assert disagreements == []


def test_binary_float_validators_and_cents(corpus, tmp_path):
    """0.29 has no exact binary form: a validator that divides binary floats (check-jsonschema, python's
    jsonschema on floats) finds it no multiple of 0.01; one that compares the decimals written (VS Code's YAML
    extension; jsonschema here, on exact numbers) accepts it, as fab check does.  docs/editors.md says so."""
    fab, good = corpus
    path, text = good["donation"]
    text = text.replace("amount: 1500.00", "amount: 0.29")
    fab.write(path, text)
    assert fab("check").code == 0
    assert schema_refuses(schemas(fab)["donation"], text) == []
    if shutil.which("check-jsonschema") is not None:
        (tmp_path / "donation.json").write_text(fab("schema", "donation").out, "utf-8")
        (tmp_path / "d.yaml").write_text(text, "utf-8")
        done = subprocess.run(["check-jsonschema", "--schemafile", str(tmp_path / "donation.json"), str(tmp_path / "d.yaml")],
                              capture_output=True, text=True)
        assert done.returncode == 1 and "0.29 is not a multiple of 0.01" in done.stdout
