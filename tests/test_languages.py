"""Every command speaks French and English (issue 8, item 1).

Each command of the application runs here twice on the same ledger, with FAB_LANG=en and with
FAB_LANG=fr, and a line people read is asserted in each language; a test fails if a command is
added without a case here.  The commands' own test files assert their whole output in detail.
"""

from __future__ import annotations

import pytest

from conftest import Fab, replay
from fabrique_ledger.cli import app

C = "2026-03-02-alice-gtfs"  # the contribution of the ledger below


def would(path: str) -> tuple[int, str, str]:
    """A --dry-run: exit 0, and the file it would write."""
    return 0, f"would write ledger/{path}", f"écrirait ledger/{path}"


NOTHING = (1, "error: nothing was written; ledger/missions/nope.yaml would have these problems:",
           "erreur : rien n'a été écrit ; ledger/missions/nope.yaml aurait ces problèmes :")

# command -> (arguments after it, exit code, a line of the English output, the same line in French)
CASES = {
    "check": ((), 0, "ok: 7 records, no problems", "ok : 7 fiches, aucun problème"),
    "log": (("--member", "alice"), 0, "member alice: 2 commits, oldest first",
            "membre alice : 2 commits, du plus ancien au plus récent"),
    "diff": (("HEAD~1", "HEAD"), 0, "Changes (1):", "Changements (1) :"),
    "verify": ((), 0, "signed commits: none of 8 commits", "commits signés : aucun sur 8 commits"),
    "schema": (("nope",), 2, "error: KIND: unknown kind 'nope'", "erreur : KIND : type 'nope' inconnu"),
    "contributors": (("--format", "md"), 0, "# Thank you! — contributors to Fabrique des Mobilités",
                     "# Merci ! — les contributeurs de Fabrique des Mobilités"),
    "review": ((C, "--by", "bruno", "--approve", "--dry-run"), *would(f"reviews/2026-H2/{C}--bruno.yaml")),
    "request": (("--by", "alice", "--amount", "100", "--dry-run"), *would("requests/2026-H2/")),
    "allocate": (("--by", "bruno", "alice=10", "--dry-run"), *would("allocations/2026-H2/bruno.yaml")),
    "split": (("--period", "2026-H1", "--format", "md"), 0, "## Split of 2026-H1 — proportional",
              "## Co-rémunération de 2026-H1 — proportional"),
    "payouts": (("2026-H1",), 2, "error: missing option '--payees'", "erreur : option '--payees' manquante"),
    "alert": (("--about", "Vélocité Conseil", "--evidence", "https://example.org/offre", "--by", "alice", "--dry-run"),
              *would("alerts/2026-11-27-velocite-conseil.yaml")),
    "report": (("--period", "2026-H1", "--format", "md"), 0, "# Fabrique des Mobilités — reciprocity report 2026-H1",
               "# Fabrique des Mobilités — rapport de réciprocité 2026-H1"),
    "close": (("2026-H1", "--dry-run"), 0, "## Split of 2026-H1 — proportional",
              "## Co-rémunération de 2026-H1 — proportional"),
    "init": (("{tmp}/new",), 0, "new ledger in ", "nouveau registre dans "),
    "sign": (("chloe", "--dry-run"), *would("signatures/chloe--2026-11-27.yaml")),
    "contribute": (("--by", "chloe", "--kind", "wiki", "--title", "Vélo", "--hours", "2", "--dry-run"),
                   *would("contributions/2026-H2/2026-11-27-chloe-velo.yaml")),
    "donate": (("--by", "bruno", "--amount", "10", "--dry-run"), *would("donations/2026-H2/2026-11-27-bruno.yaml")),
    "use": (("--by", "bruno", "--resource", "wiki: Vélo", "--dry-run"), *would("uses/2026-H2/2026-11-27-bruno-wiki-velo.yaml")),
    "mission post": (("--title", "Étude", "--client", "Région", "--deadline", "2026-12-20", "--by", "bruno", "--dry-run"),
                     *would("missions/2026-11-27-etude.yaml")),
    "mission list": ((), 0, "Open mission proposals on 27 Nov 2026: none",
                     "Propositions de mission ouvertes au 27 nov. 2026 : aucune"),
    "mission show": (("nope",), 1, "error: there is no mission 'nope'", "erreur : il n'y a pas de mission 'nope'"),
    "mission interest": (("nope", "--by", "bruno"), *NOTHING),
    "mission assign": (("nope", "--to", "bruno"), *NOTHING),
    "template list": (("--format", "xml"), 2, "│ Invalid value for '--format': 'xml' is not one of 'text', 'json'.",
                      "│ Valeur invalide pour '--format' : 'xml' n'est pas l'une des valeurs 'text',"),
    "template render": (("nope", "--for", "bruno"), 1, "error: there is no template 'nope' in templates/",
                        "erreur : il n'y a pas de modèle 'nope' dans templates/"),
    "member add": (("dan", "--name", "Dan Petit", "--dry-run"), *would("members/dan.yaml")),
    "member list": ((), 0, "┃ handle ┃ name ", "┃ membre ┃ nom "),
    "keys allowed-signers": (("--output", "{tmp}.signers"), 0, "wrote ", "écrit "),
    "guard": (("--install", "{tmp}/nothing.git"), 2, "error: ", "erreur : "),
    "wiki publish": ((), 1, "error: the settings name no wiki", "erreur : les réglages ne nomment aucun wiki"),
    "wiki harvest": ((), 1, "error: the settings name no wiki", "erreur : les réglages ne nomment aucun wiki"),
    "import": (("{tmp}/history.xlsx",), 1, "error: cannot read ", "erreur : impossible de lire "),
}


def _commands() -> set[str]:
    found = set()

    def walk(typer_app, prefix: str) -> None:
        for command in typer_app.registered_commands:
            found.add(prefix + (command.name or command.callback.__name__).replace("_", "-"))
        for group in typer_app.registered_groups:
            walk(group.typer_instance, f"{prefix}{group.name} ")
    walk(app, "")
    return found


def test_every_command_has_a_case():
    assert set(CASES) == _commands()


def _ledger(fab: Fab, env) -> None:
    assert fab("sign", "bruno", "--date", "2026-01-20").code == 0
    assert fab("contribute", "--by", "alice", "--kind", "code", "--title", "GTFS", "--hours", "6",
               "--date", "2026-03-02").code == 0
    assert fab("donate", "--by", "bruno", "--amount", "1500", "--date", "2026-02-18").code == 0
    assert fab("review", C, "--by", "bruno", "--approve", "--date", "2026-03-10").code == 0


@pytest.fixture
def ledger(fab):
    """The ledger of _ledger (built once, copied for each test: see conftest.replay)."""
    replay(fab, "languages-ledger", _ledger)
    return fab


@pytest.mark.parametrize("command", sorted(CASES))
def test_the_command_speaks_both_languages(ledger, command, tmp_path, monkeypatch):
    args, code, english, french = CASES[command]

    def lines(lang: str, folder: str) -> list[str]:
        monkeypatch.setenv("FAB_LANG", lang)
        result = ledger(*command.split(), *(a.format(tmp=tmp_path / folder) for a in args))
        assert result.code == code, (lang, result.out, result.err)
        return (result.out + result.err).splitlines()

    assert any(line.startswith(english) for line in lines("en", "en")), (command, english)
    assert any(line.startswith(french) for line in lines("fr", "fr")), (command, french)
