"""French and English (issue 8, item 1) for what the store says: git, lock, journal and repair messages,
privacy warnings, the write commands, fab member list, fab mission list|show and fab template list|render.

Each situation is produced for real (a stale index.lock, a lock held by a paused fab process, a repository
without a git identity, a write killed half-way); each message is asserted exactly in both languages.
The ``fab`` fixture has alice (contributor), bruno (consultant) and chloe (both); today is 2026-11-27.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys

import pytest

from conftest import Fab, Result, paused_env, replay
from fabrique_ledger import i18n

DAY = "2026-11-20"
DONATE = ("donate", "--by", "bruno", "--amount", "10", "--date", DAY)
DONATION = f"ledger/donations/2026-H2/{DAY}-bruno.yaml"


@pytest.fixture
def both(monkeypatch):
    """Runs a fab command in French (FAB_LANG=fr), then the same in English: (french, english)."""
    def run(fab: Fab, *args: str) -> tuple[Result, Result]:
        results = []
        for lang in ("fr", "en"):
            monkeypatch.setenv("FAB_LANG", lang)
            i18n.set_language(None)
            results.append(fab(*args))
        return results[0], results[1]
    return run


@pytest.fixture
def in_lang(monkeypatch):
    """Runs one fab command in the language given: in_lang("fr", fab, "check")."""
    def run(lang: str, fab: Fab, *args: str) -> Result:
        monkeypatch.setenv("FAB_LANG", lang)
        i18n.set_language(None)
        return fab(*args)
    return run


# --- git and lock refusals -----------------------------------------------------------------------

def test_a_stale_index_lock_refuses_the_write_then_repair_removes_it(fab, both, in_lang):
    lock = fab.root / ".git/index.lock"
    lock.write_text("")
    before = fab.state()
    fr, en = both(fab, *DONATE)
    assert fr.code == en.code == 1 and fab.state() == before
    assert fr.err.splitlines() == [
        f"erreur : rien n'a été enregistré : une autre commande git tourne, ou l'une d'elles a planté en laissant {lock} ; "
        "attendez-la, ou si aucune commande git ne tourne, lancez fab check --repair (il supprime ce fichier), puis réessayez"]
    assert en.err.splitlines() == [
        f"error: nothing was recorded: another git command is running, or one crashed and left {lock}; wait for it, "
        "or if no git command is running, run fab check --repair (it removes that file), then try again"]
    fr, en = both(fab, "check")
    assert fr.code == en.code == 0
    assert fr.err == (f"note : le fichier {lock} de git est resté ; si aucune commande git ne tourne, supprimez-le avec : "
                      "fab check --repair\n")
    assert en.err == f"note: git's {lock} is left; if no git command is running, remove it with: fab check --repair\n"
    repaired = in_lang("fr", fab, "check", "--repair")
    assert repaired.code == 0 and not lock.exists()
    assert repaired.err == f"réparé : {lock} supprimé, laissé par une commande git interrompue\n"
    lock.write_text("")
    repaired = in_lang("en", fab, "check", "--repair")
    assert repaired.err == f"repaired: removed {lock}, left by a git command that was interrupted\n"


def _paused(fab: Fab, stage: str = "after-write") -> subprocess.Popen:
    """A real fab donate, paused by the test hook with its lock held and its journal written."""
    proc = subprocess.Popen([sys.executable, "-m", "fabrique_ledger", *DONATE, "--ledger", str(fab.root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=paused_env(stage))
    assert proc.stderr.readline().strip() == f"FAB_TEST_PAUSE {stage}"
    return proc


def _killed(proc: subprocess.Popen) -> None:
    proc.kill()
    proc.communicate()


def test_a_lock_held_by_another_fab_command_in_both_languages(fab):
    from fabrique_ledger.store.git import GitProblem
    from fabrique_ledger.store.lock import ledger_lock

    path = fab.root / ".git/fab.lock"
    expected = {
        "fr": f"une autre commande fab écrit dans ce registre depuis plus de 0 s (elle tient {path}) ; "
              "attendez qu'elle finisse, puis réessayez",
        "en": f"another fab command has been writing to this ledger for more than 0 s (it holds {path}); "
              "wait for it to finish, then try again",
    }
    holder = _paused(fab)
    try:
        for lang, message in expected.items():
            i18n.set_language(lang)
            with pytest.raises(GitProblem) as refused:
                with ledger_lock(fab.root, timeout=0.2):
                    pass
            assert str(refused.value) == message
    finally:
        _killed(holder)


def test_no_git_identity_in_both_languages(fab, both, monkeypatch):
    fab.git("config", "user.useConfigOnly", "true")
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(var)
    before = fab.state()
    fr, en = both(fab, *DONATE)
    assert fr.code == en.code == 1 and fab.state() == before
    assert fr.err == ("erreur : rien n'a été enregistré : git ne sait pas qui vous êtes : lancez  git config user.name "
                      "'Votre Nom'  et  git config user.email vous@example.org  (ou passez --author 'Nom <email>')\n")
    assert en.err == ("error: nothing was recorded: git does not know who you are: run  git config user.name 'Your Name'  "
                      "and  git config user.email you@example.org  (or pass --author 'Name <email>')\n")


INTERRUPTED = {
    "fr": "une commande fab précédente ('donate: bruno, 10.00 EUR') a été interrompue pendant qu'elle enregistrait " + DONATION,
    "en": "an earlier fab command ('donate: bruno, 10.00 EUR') was killed while recording " + DONATION,
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_check_repair_after_an_interrupted_write(fab, both, in_lang, lang):
    _killed(_paused(fab))
    assert (fab.root / DONATION).exists()
    fr, en = both(fab, "check")
    assert fr.err == f"note : {INTERRUPTED['fr']} ; défaites ce qu'elle a laissé avec : fab check --repair\n"
    assert en.err == f"note: {INTERRUPTED['en']}; undo it with: fab check --repair\n"
    fr, en = both(fab, *DONATE)
    assert fr.code == en.code == 1
    assert fr.err == (f"erreur : rien n'a été enregistré : {INTERRUPTED['fr']} ; défaites d'abord ce qu'elle a laissé "
                      "avec : fab check --repair\n")
    assert en.err == (f"error: nothing was recorded: {INTERRUPTED['en']}; undo what it left first with: "
                      "fab check --repair\n")
    repaired = in_lang(lang, fab, "check", "--repair")
    assert repaired.code == 0 and not (fab.root / DONATION).exists()
    assert repaired.err == {
        "fr": f"réparé : commande interrompue 'donate: bruno, 10.00 EUR' annulée : {DONATION} supprimé\n",
        "en": f"repaired: undid the interrupted 'donate: bruno, 10.00 EUR': removed {DONATION}\n",
    }[lang]


def test_temporary_files_left_by_a_kill_in_both_languages(fab, both, in_lang):
    _killed(_paused(fab, "before-rename"))
    temporary = next((fab.root / "ledger/donations/2026-H2").glob(".*.tmp")).relative_to(fab.root).as_posix()
    fr, en = both(fab, "check")
    assert fr.err.splitlines()[1] == (f"note : des fichiers temporaires d'une écriture interrompue restent : {temporary} ; "
                                      "supprimez-les avec : fab check --repair")
    assert en.err.splitlines()[1] == (f"note: temporary files of an interrupted write are left: {temporary}; "
                                      "remove them with: fab check --repair")
    repaired = in_lang("fr", fab, "check", "--repair")
    assert repaired.err.splitlines()[0] == f"réparé : {temporary} supprimé, fichier temporaire d'une écriture interrompue"


def test_branch_errors_in_both_languages(fab, both):
    fr, en = both(fab, *DONATE, "--branch", "bad..name")
    assert fr.err == "erreur : rien n'a été enregistré : 'bad..name' n'est pas un nom de branche valide\n"
    assert en.err == "error: nothing was recorded: 'bad..name' is not a valid branch name\n"
    fr, en = both(fab, *DONATE, "--branch", "x", "--no-commit")
    assert fr.code == en.code == 2
    assert fr.err.splitlines()[0] == "erreur : --branch : --branch commite sur une nouvelle branche : il ne va pas avec --no-commit"
    assert en.err.splitlines()[0] == "error: --branch: --branch commits on a new branch: it cannot be used with --no-commit"
    fab.git("branch", "taken")
    fr, en = both(fab, *DONATE, "--branch", "taken")
    assert fr.err == ("erreur : rien n'a été enregistré : la branche 'taken' existe déjà ; choisissez un autre nom, "
                      "ou passez dessus avec : git switch taken\n")
    assert en.err == ("error: nothing was recorded: the branch 'taken' already exists; choose another name, "
                      "or switch to it with: git switch taken\n")


# --- privacy warnings ----------------------------------------------------------------------------

def test_privacy_warnings_in_both_languages(fab, both):
    fr, en = both(fab, *DONATE, "--reference", "IBAN FR76 3000 6000 0112 3456 7890 189", "--dry-run")
    where = f"{DONATION}:4:12: private-data"
    assert fr.code == en.code == 0
    assert fr.err.splitlines()[0] == (f"{where} avertissement : 'reference' contient ce qui ressemble à un IBAN "
                                      "(un compte bancaire) (FR76…189) ; le registre est public")
    assert en.err.splitlines()[0] == (f"{where} warning: 'reference' holds what looks like an IBAN (a bank account) "
                                      "(FR76…189); the ledger is public")
    fab.write("ledger/uses/2026-H2/2026-11-20-bruno-x.yaml",
              "member: bruno\nresource: 'wiki, carte 4111 1111 1111 1111, tel 06 12 34 56 78'\ndate: 2026-11-20\n")
    fr, en = both(fab, "check")
    assert fr.code == en.code == 0
    assert [line for line in fr.out.splitlines() if "private-data" in line] == [
        "ledger/uses/2026-H2/2026-11-20-bruno-x.yaml:2:11: private-data avertissement : 'resource' contient ce qui "
        "ressemble à un numéro de carte de paiement (4111…111) ; le registre est public",
        "ledger/uses/2026-H2/2026-11-20-bruno-x.yaml:2:11: private-data avertissement : 'resource' contient ce qui "
        "ressemble à un numéro de téléphone (0612…678) ; le registre est public",
    ]
    assert [line for line in en.out.splitlines() if "private-data" in line] == [
        "ledger/uses/2026-H2/2026-11-20-bruno-x.yaml:2:11: private-data warning: 'resource' holds what looks like "
        "a payment card number (4111…111); the ledger is public",
        "ledger/uses/2026-H2/2026-11-20-bruno-x.yaml:2:11: private-data warning: 'resource' holds what looks like "
        "a phone number (0612…678); the ledger is public",
    ]


# --- write commands ------------------------------------------------------------------------------

def test_init_in_both_languages(tmp_path, both, in_lang):
    fr, en = both(Fab(tmp_path / "a"), "init", str(tmp_path / "a"))
    assert fr.code == 0 and re.fullmatch(
        rf"nouveau registre dans {tmp_path / 'a'} \(commité [0-9a-f]{{10}}\)\nensuite : fab member add IDENTIFIANT --name NOM\n",
        fr.out), fr.out
    assert en.code == 1 and en.err.splitlines() == [f"error: {tmp_path / 'a'} already holds a ledger",
                                                    "  hint: use it as it is: cd there and run fab check"]
    again = in_lang("fr", Fab(tmp_path / "a"), "init", str(tmp_path / "a"))
    assert again.err.splitlines() == [f"erreur : {tmp_path / 'a'} contient déjà un registre",
                                      "  conseil : utilisez-le tel quel : allez-y (cd) et lancez fab check"]
    english = in_lang("en", Fab(tmp_path / "b"), "init", str(tmp_path / "b"))
    assert re.fullmatch(rf"new ledger in {tmp_path / 'b'} \(committed [0-9a-f]{{10}}\)\nnext: fab member add HANDLE --name NAME\n",
                        english.out), english.out


def test_sign_donate_use_and_dry_run_in_both_languages(fab, both, in_lang):
    signature = "ledger/signatures/bruno--2026-11-27.yaml"
    fr, en = both(fab, "sign", "bruno", "--dry-run")
    assert fr.out.splitlines()[:2] == [f"écrirait {signature} :", ""]
    assert en.out.splitlines()[:2] == [f"would write {signature}:", ""]
    assert fr.out.splitlines()[2:] == en.out.splitlines()[2:] == [
        "member: bruno", "date: 2026-11-27", f"charter: {_charter(fab)}", ""]
    signed = in_lang("fr", fab, "sign", "bruno")
    assert signed.out == f"enregistré {signature} (commité {fab.head()[:10]})\nidentifiant : bruno--2026-11-27\n"
    fr, en = both(fab, *DONATE, "--dry-run")
    assert fr.out == f"écrirait {DONATION} :\n\ndonor: bruno\namount: 10.00\ndate: {DAY}\n\n"
    assert en.out == f"would write {DONATION}:\n\ndonor: bruno\namount: 10.00\ndate: {DAY}\n\n"
    donated = in_lang("fr", fab, *DONATE)
    assert donated.out == f"enregistré {DONATION} (commité {fab.head()[:10]})\nidentifiant : {DAY}-bruno\n"
    again = in_lang("en", fab, *DONATE)
    assert again.out == f"recorded {DONATION[:-5]}-2.yaml (committed {fab.head()[:10]})\nid: {DAY}-bruno-2\n"
    used = in_lang("en", fab, "use", "--by", "bruno", "--resource", "wiki: Covoiturage rural", "--date", DAY)
    assert used.out == (f"recorded ledger/uses/2026-H2/{DAY}-bruno-wiki-covoiturage-rural.yaml (committed {fab.head()[:10]})\n"
                        f"id: {DAY}-bruno-wiki-covoiturage-rural\n")
    used = in_lang("fr", fab, "use", "--by", "bruno", "--resource", "wiki: Covoiturage rural", "--date", DAY, "--no-commit")
    assert used.out == (f"enregistré ledger/uses/2026-H2/{DAY}-bruno-wiki-covoiturage-rural-2.yaml (non commité (--no-commit))\n"
                        f"identifiant : {DAY}-bruno-wiki-covoiturage-rural-2\n")


def _charter(fab: Fab) -> str:
    return hashlib.sha256((fab.root / "charter.md").read_bytes()).hexdigest()


def test_member_list_in_both_languages(fab, both, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # one line per member
    assert fab("member", "add", "dora", "--name", "Dora", "--no-receive", "--joined", "2026-01-05").code == 0
    assert fab("sign", "bruno", "--date", "2026-01-20").code == 0
    fr, en = both(fab, "member", "list")
    assert fr.code == en.code == 0
    cells = lambda out: [[cell.strip() for cell in line.split("│")[1:-1]] for line in out.splitlines() if line.startswith("│")]  # noqa: E731
    header = lambda out: [cell.strip() for cell in out.splitlines()[1].split("┃")[1:-1]]  # noqa: E731
    assert header(fr.out) == ["membre", "nom", "rôles", "organisation", "signée", "reçoit"]
    assert header(en.out) == ["handle", "name", "roles", "organisation", "signed", "receives"]
    assert ["bruno", "Bruno Lefèvre", "consultant", "", "2026-01-20", "oui"] in cells(fr.out)
    assert ["dora", "Dora", "contributor", "", "non signée", "non (y a renoncé)"] in cells(fr.out)
    assert ["dora", "Dora", "contributor", "", "not signed", "no (opted out)"] in cells(en.out)


# --- missions and templates ----------------------------------------------------------------------

M = "2026-11-20-etude-covoiturage-rural"
POST = ("mission", "post", "--title", "Étude covoiturage rural", "--client", "Métropole de Lyon", "--deadline", "2026-12-15",
        "--skill", "covoiturage", "--skill", "enquêtes", "--url", "https://marches.example.org/ao-2026-118",
        "--by", "alice", "--date", DAY)


def _mission(fab: Fab, env) -> None:
    for handle in ("bruno", "chloe"):
        assert fab("sign", handle, "--date", "2026-01-20").code == 0
    assert fab(*POST).code == 0
    assert fab("mission", "interest", M, "--by", "bruno", "--date", "2026-11-21").code == 0


@pytest.fixture
def mission(fab) -> Fab:
    """The ledger of _mission (built once, copied for each test: see conftest.replay)."""
    replay(fab, "store-fr-mission", _mission)
    return fab


def test_mission_list_in_both_languages(mission, both):
    fr, en = both(mission, "mission", "list", "--for", "bruno")
    assert fr.out.splitlines() == [
        "Propositions de mission ouvertes pour bruno (référencé depuis le 20 janv. 2026) : 1", "", M,
        "  Étude covoiturage rural — Métropole de Lyon",
        "  échéance 15 déc. 2026 · ouverte · compétences : covoiturage, enquêtes",
        "  intéressés : bruno"]
    assert en.out.splitlines() == [
        "Open mission proposals for bruno (referenced since 20 Jan 2026): 1", "", M,
        "  Étude covoiturage rural — Métropole de Lyon",
        "  deadline 15 Dec 2026 · open · skills: covoiturage, enquêtes",
        "  interest: bruno"]
    assert mission("mission", "assign", M, "--to", "chloe", "--date", "2026-11-22").code == 0
    fr, en = both(mission, "mission", "list")
    assert fr.out == "Propositions de mission ouvertes au 27 nov. 2026 : aucune\n"
    assert en.out == "Open mission proposals on 27 Nov 2026: none\n"
    fr, en = both(mission, "mission", "list", "--all")
    assert fr.out.splitlines()[0] == "Missions au 27 nov. 2026 : 1"
    assert fr.out.splitlines()[4] == "  échéance 15 déc. 2026 · attribuée à chloe · compétences : covoiturage, enquêtes"
    assert en.out.splitlines()[0] == "Missions on 27 Nov 2026: 1"
    assert en.out.splitlines()[4] == "  deadline 15 Dec 2026 · assigned to chloe · skills: covoiturage, enquêtes"
    fr, en = both(mission, "mission", "interest", M, "--by", "bruno")
    assert fr.err.splitlines()[1].endswith(" mission la mission est attribuée à chloe : on ne peut plus s'y positionner")
    assert en.err.splitlines()[1].endswith(" mission the mission is assigned to chloe: it no longer takes interest")


def test_mission_show_in_both_languages(mission, both):
    fr, en = both(mission, "mission", "show", M)
    assert fr.out.splitlines() == [
        "Étude covoiturage rural — Métropole de Lyon",
        f"id :           {M}",
        "échéance :     15 déc. 2026 (à venir)",
        "statut :       ouverte",
        "compétences :  covoiturage, enquêtes",
        "url :          https://marches.example.org/ao-2026-118",
        "publiée :      20 nov. 2026 par Alice Martin (alice)",
        "intéressés :   Bruno Lefèvre (bruno) le 21 nov. 2026",
        "attribuée à :  personne pour l'instant",
    ]
    assert en.out.splitlines() == [
        "Étude covoiturage rural — Métropole de Lyon",
        f"id:        {M}",
        "deadline:  15 Dec 2026 (open)",
        "status:    open",
        "skills:    covoiturage, enquêtes",
        "url:       https://marches.example.org/ao-2026-118",
        "posted:    20 Nov 2026 by Alice Martin (alice)",
        "interest:  Bruno Lefèvre (bruno) on 21 Nov 2026",
        "assigned:  nobody yet",
    ]


def test_template_list_and_render_in_both_languages(mission, both):
    mission.write("templates/essai.md", "Bonjour {{consultant.nme}}\n")
    fr, en = both(mission, "template", "list")
    assert fr.out.splitlines() == [
        "clause-reciprocite  Clause de réciprocité",
        "essai               (sans titre)",
        "offre-technique     Proposition technique et financière — un commun au service de la mission",
        "references          Références et ressources du commun",
    ]
    assert en.out.splitlines()[1] == "essai               (no heading)"
    fr, en = both(mission, "template", "render", "essai", "--for", "bruno")
    assert fr.code == en.code == 1
    assert fr.err.splitlines() == ["erreur : templates/essai.md:1:9: champ inconnu {{consultant.nme}}",
                                   "  conseil : vouliez-vous dire {{consultant.name}} ?"]
    assert en.err.splitlines() == ["error: templates/essai.md:1:9: unknown placeholder {{consultant.nme}}",
                                   "  hint: did you mean {{consultant.name}}?"]
    mission.write("templates/essai.md", "Mission : {{mission.title}}\n")
    fr, en = both(mission, "template", "render", "essai", "--for", "bruno")
    assert fr.out == en.out == "Mission : {{mission.title}}\n"
    assert fr.err == "avertissement : {{mission.title}} est laissé tel quel : aucune mission n'a été donnée (--mission ID)\n"
    assert en.err == "warning: {{mission.title}} is left as it is: no mission was given (--mission ID)\n"
    fr, en = both(mission, "template", "render", "nope", "--for", "bruno")
    names = "clause-reciprocite, essai, offre-technique, references"
    assert fr.err.splitlines()[0] == f"erreur : il n'y a pas de modèle 'nope' dans templates/ (modèles : {names})"
    assert en.err.splitlines()[0] == f"error: there is no template 'nope' in templates/ (templates: {names})"


# --- the treasurer's payees file -----------------------------------------------------------------

def test_payees_file_problems_in_both_languages(fab, tmp_path):
    from fabrique_ledger.store.payees import PayeesError, read_payees

    payees = tmp_path / "payees.yaml"
    payees.write_text("payees:\n  alice:\n    iban: FR00 1234\n    colour: blue\n  Bob: {}\n", encoding="utf-8")
    expected = {
        "fr": [f"{payees}:3: alice : 'FR00 1234' n'est pas un IBAN valide ({{reason}})",
               f"{payees}:4: alice : clé inconnue 'colour' (les clés sont name, iban et bic)",
               f"{payees}:5: 'Bob' n'est pas un identifiant de membre (lettres minuscules, chiffres et '-', comme dans le registre)"],
        "en": [f"{payees}:3: alice: 'FR00 1234' is not a valid IBAN ({{reason}})",
               f"{payees}:4: alice: unknown key 'colour' (the keys are name, iban and bic)",
               f"{payees}:5: 'Bob' is not a member handle (lowercase letters, digits and '-', as in the ledger)"],
    }
    for lang, lines in expected.items():
        i18n.set_language(lang)
        with pytest.raises(PayeesError) as refused:
            read_payees(payees, fab.root)
        problems = refused.value.lines
        reason = problems[0].rsplit("(", 1)[1].rstrip(")")
        assert problems == [line.format(reason=reason) for line in lines]


def test_validators_say_data_worded_when_shown(fab, both):
    """A record's validator (a date that is not in the calendar) and a period folder that is not a period
    give problems as data: fab check words them in French or English, and its JSON is the same bytes."""
    fab.write("ledger/members/dora.yaml", "name: Dora\nroles: [contributor]\njoined: 2026-13-01\n")
    fab.write("ledger/uses/2026-X1/u.yaml", "member: alice\nresource: wiki\ndate: 2026-01-01\n")
    fr, en = both(fab, "check", "--format", "json")
    assert fr.out == en.out
    assert [(p["path"], p["message"]) for p in en.json()["problems"]] == [
        ("ledger/members/dora.yaml", "'joined': '2026-13-01' is not a real calendar date"),
        ("ledger/uses/2026-X1/u.yaml", "the folder '2026-X1' is not a period: '2026-X1' is not a period id "
                                       "(expected something like 2026-H1)")]
    fab.write("ledger/members/dora.yaml", "name: Dora\nroles: [contributor]\njoined: 2026-02-30\n")  # a fresh parse
    fr, en = both(fab, "check")
    assert "ledger/members/dora.yaml:3:9: bad-value 'joined' : '2026-02-30' n'est pas une vraie date du calendrier" in fr.out.splitlines()
    assert "ledger/members/dora.yaml:3:9: bad-value 'joined': '2026-02-30' is not a real calendar date" in en.out.splitlines()


def test_a_cached_check_speaks_the_language_it_is_asked_in(fab, both):
    """The result cache keeps problems as data: the second run in French is still French, and English after."""
    fab.write("ledger/donations/2026-H1/2026-03-01-zoe.yaml", "donor: zoe\namount: 10\ndate: 2026-03-01\n")
    first, _ = both(fab, "check")
    again, english = both(fab, "check")
    assert again.out == first.out == (
        "ledger/donations/2026-H1/2026-03-01-zoe.yaml:1:8: unknown-reference 'donor' désigne 'zoe', qui n'est pas membre\n"
        "  conseil : corrigez l'identifiant, ou ajoutez d'abord le membre : fab member add zoe --name ...\n\n"
        "1 problème dans 1 fichier (4 fiches lues)\n")
    assert english.out.endswith("1 problem in 1 file (4 records read)\n") and "names 'zoe', who is not a member" in english.out


def test_a_problem_kept_in_the_parse_cache_is_worded_in_the_language_of_the_run(fab, both):
    """The parse cache keeps a file's problems as data too: after another file changes (the answer of the last
    check cannot be reused, the broken file is not parsed again), its problem is still said in each language."""
    fab.write("ledger/members/dora.yaml", "name: Dora\n")
    first, first_english = both(fab, "check")
    fab.write("ledger/members/eve.yaml", "name: Eve\nroles: [contributor]\njoined: 2026-01-05\n")
    again, english = both(fab, "check")
    dora = [line for line in first.out.splitlines() if "dora" in line or line.startswith("  conseil")]
    assert dora == [line for line in again.out.splitlines() if "dora" in line or line.startswith("  conseil")]
    assert dora[0] == "ledger/members/dora.yaml:1:1: missing-key clé 'joined' manquante"
    assert "ledger/members/dora.yaml:1:1: missing-key missing key 'joined'" in first_english.out.splitlines()
    assert "ledger/members/dora.yaml:1:1: missing-key missing key 'joined'" in english.out.splitlines()
