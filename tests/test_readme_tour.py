"""The README's tour is reproducible as written (issue 15, item 11): its ```console blocks, run one after
the other in a scratch folder the way a reader types them, print what the README shows.

Only what cannot be the same from one run to the next is normalised, explicitly (``normalised``): commit
hashes and the scratch folder's path.  A line ``...`` of the README stands for any lines (the README cuts
long outputs).  ``FAB_TODAY`` is set once, by the tour's first line, for the whole tour."""

from __future__ import annotations

import gc
import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import copy_ledger, isolate
from fabrique_ledger.cli import app
from fabrique_ledger.i18n import set_language

REPO = Path(__file__).resolve().parent.parent

# The console blocks that are not steps of the tour, by a line they hold, and why.
NOT_THE_TOUR = {
    "fab --lang fr wiki publish": "it needs a MediaWiki (tests/test_wiki.py runs fab wiki against one)",
    "fab import --template all": "an imported history of 2000 rows (tests/test_import.py)",
    "fab guard --install": "a guarded bare repository and a forged push (tests/test_guard.py)",
    "A donation of May was missing": "a period paid in July, another story than the tour's",
    "is paid 1100.00 but": "what a payment written by hand would give, not a step of the tour",
}


def console_blocks(readme: str) -> list[list[str]]:
    """The README's ```console blocks, as lists of lines, in order."""
    return [block.splitlines() for block in re.findall(r"```console\n(.*?)```", readme, re.S)]


def tour_blocks(readme: str) -> list[list[str]]:
    return [block for block in console_blocks(readme)
            if not any(marker in line for line in block for marker in NOT_THE_TOUR)]


def steps(blocks: list[list[str]]) -> list[tuple[str, list[str]]]:
    """Each ``$ command`` with the lines the README shows after it."""
    out: list[tuple[str, list[str]]] = []
    for block in blocks:
        for line in block:
            if line.startswith("$ "):
                out.append((line[2:], []))
            else:
                out[-1][1].append(line)
    return out


def payees_file(readme: str) -> tuple[str, str]:
    """The README's payees file: where it says it is, and what it holds."""
    text = re.search(r"```yaml\n(# (\S+) -- PRIVATE.*?)```", readme, re.S)
    assert text, "the README shows no payees file"
    return text.group(2), text.group(1)


HASH = re.compile(r"\b[0-9a-f]{7,40}\b")


def normalised(text: str, scratch: Path) -> str:
    """What cannot be fixed from one run to the next, made the same: commit hashes (in ``committed``,
    ``"commit"`` and ``git log`` lines) and the scratch folder (the README's ``/tmp``)."""
    text = text.replace(str(scratch), "/tmp")
    text = re.sub(r"[ \t]+$", "", text, flags=re.M)  # rich pads its lines to the terminal's width
    text = re.sub(r"committed [0-9a-f]{10}", "committed HASH", text)
    text = re.sub(r'"commit": "[0-9a-f]{40}"', '"commit": "HASH"', text)
    return re.sub(r"^[0-9a-f]{7} ", "HASH ", text, flags=re.M)


def same_json(shown: list[str], printed: list[str]) -> bool:
    """The README folds a JSON answer on fewer lines than fab indents it: the same JSON value."""
    try:
        return json.loads("\n".join(shown)) == json.loads("\n".join(printed))
    except ValueError:
        return False


def matches(shown: list[str], printed: list[str]) -> bool:
    """``printed`` is what the README ``shown``, a line ``...`` standing for any lines."""
    if not shown:
        return not printed
    if shown[0] == "...":
        return any(matches(shown[1:], printed[i:]) for i in range(len(printed) + 1))
    return bool(printed) and printed[0] == shown[0] and matches(shown[1:], printed[1:])


class Reader:
    """Types the README's commands: fab in-process (the way tests/conftest.py's ``fab`` runs it), git and
    cat as programs, ``cd`` and ``export`` as a shell does, ``VAR=value fab ...`` for one command, and
    ``~/`` and ``> FILE`` as a shell expands and redirects them."""

    def __init__(self, folder: Path, env: pytest.MonkeyPatch) -> None:
        self.env = env
        env.chdir(folder)

    def run(self, command: str) -> tuple[int, str]:
        """The exit code and what the command printed (its errors included)."""
        words = [os.path.expanduser(word) for word in shlex.split(command)]  # ~/ as a shell expands it
        if words[0] == "cd":
            self.env.chdir(words[1])
            return 0, ""
        if words[0] == "export":
            for assignment in words[1:]:
                self.env.setenv(*assignment.split("=", 1))
            return 0, ""
        if ">" in words:
            code, printed = self.run(shlex.join(words[:words.index(">")]))
            Path(words[-1]).parent.mkdir(parents=True, exist_ok=True)
            Path(words[-1]).write_text(printed)
            return code, ""
        with pytest.MonkeyPatch.context() as once:
            while "=" in words[0]:
                once.setenv(*words.pop(0).split("=", 1))
            return self._program(words)

    @staticmethod
    def on_terminal(command: str, answer: str) -> tuple[int, str]:
        """``command`` run on a terminal (script(1) gives it one), which answers its question."""
        fab = shlex.join([sys.executable, "-m", "fabrique_ledger", *shlex.split(command)[1:]])
        done = subprocess.run(["script", "-qec", fab, "/dev/null"], input=answer, capture_output=True, text=True)
        return done.returncode, done.stdout

    @staticmethod
    def _program(words: list[str]) -> tuple[int, str]:
        if words[0] == "fab":
            result = CliRunner().invoke(app, words[1:], env={"COLUMNS": "100"})
            if result.exception and not isinstance(result.exception, SystemExit):
                raise result.exception
            return result.exit_code, result.output
        done = subprocess.run(words, capture_output=True, text=True, env=dict(os.environ))
        return done.returncode, done.stdout + done.stderr


@dataclass
class Tour:
    root: Path  # the tour's ledger, as the README leaves it
    drift: list[str]  # each command whose output is not what the README shows


def run_tour(readme: str, scratch: Path, env: pytest.MonkeyPatch) -> list[str]:
    """Runs the tour in ``scratch``; the commands whose output differs from the README's."""
    where, payees = payees_file(readme)
    reader = Reader(scratch, env)
    drift = []
    for command, shown in steps(tour_blocks(readme)):
        if command.startswith("fab payouts") and where.removeprefix("../") in command:
            path = Path.cwd() / where
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(payees)
        printed = normalised(reader.run(command)[1], scratch).rstrip("\n").splitlines()
        shown = [normalised(line, scratch) for line in shown]
        if not (same_json(shown, printed) if shown[:1] and shown[0].startswith("{\"") else matches(shown, printed)):
            drift.append(f"$ {command}\n--- README:\n" + "\n".join(shown) + "\n--- printed:\n" + "\n".join(printed))
    return drift


@pytest.fixture(scope="module")
def tour(tmp_path_factory) -> Tour:
    """The README's tour, run once for the module in the environment of a test, its day left to the tour."""
    readme = (REPO / "README.md").read_text()
    scratch = tmp_path_factory.mktemp("tour")
    with pytest.MonkeyPatch.context() as env:
        isolate(env, tmp_path_factory.mktemp("home"))
        env.delenv("FAB_TODAY")
        set_language(None)
        try:
            drift = run_tour(readme, scratch, env)
        finally:
            set_language(None)
            gc.unfreeze()
    return Tour(scratch / "fabrique", drift)


def test_the_readme_tour_runs_as_written(tour):
    first = tour_blocks((REPO / "README.md").read_text())[0][0]
    assert first.startswith("$ export FAB_TODAY="), "the tour sets its day once, at its start"
    assert not tour.drift, "\n\n".join(tour.drift)


def test_the_readme_shows_each_commit_with_one_hash():
    """The hashes are not compared with a run's, but the README never shows one commit with two hashes
    (nor two commits with one): a reader following the tour compares them."""
    hashes: dict[str, set[str]] = {}
    subjects: dict[str, set[str]] = {}
    for block in console_blocks((REPO / "README.md").read_text()):
        for line in block:
            if found := re.fullmatch(r"([0-9a-f]{7}) (.+)", line):
                hashes.setdefault(found.group(2), set()).add(found.group(1))
                subjects.setdefault(found.group(1), set()).add(found.group(2))
    assert {subject: h for subject, h in hashes.items() if len(h) > 1} == {}
    assert {h: s for h, s in subjects.items() if len(s) > 1} == {}


def help_examples() -> list[str]:
    """Every ``Example: fab ...`` of every help page (the app's, each command's and each option's)."""
    import typer.main

    def pages(command):
        yield command
        for sub in getattr(command, "commands", {}).values():
            yield from pages(sub)

    found: list[str] = []
    for page in pages(typer.main.get_command(app)):
        for text in [page.help or "", *(getattr(param, "help", None) or "" for param in page.params)]:
            found += [example for example in re.findall(r"Example: (fab .*)", text) if example not in found]
    return found


# What an example needs that the tour's ledger does not hold, made before it runs.
CONTRIBUTION = 'fab contribute --by chloe --kind code --title "Export MediaWiki" --hours 8 --date 2026-07-21'
BEFORE_PAYMENTS = "git reset -q --hard HEAD~2"  # the tour's last two commits are its two payments
NEEDS = {
    "fab import historique.xlsx --dry-run": ["fab import --template all --format xlsx --output historique.xlsx"],
    "fab import dons.csv": ["fab import --template donation --format csv --output dons.csv"],
    "fab diff origin/main HEAD --format md > comment.md": ["git update-ref refs/remotes/origin/main HEAD~2"],
    "fab review 2026-07-21-chloe-export-mediawiki --by bruno --approve --score 4": [CONTRIBUTION],
    "fab request --by chloe --amount 900 --justification 2026-07-21-chloe-export-mediawiki": [CONTRIBUTION],
    "fab payouts 2026-H1 --format sepa --payees ~/private/payees.yaml --output ~/private/h1.xml": [BEFORE_PAYMENTS],
    "fab payouts 2026-H1 --mark-paid VIR-2026-07-20": [BEFORE_PAYMENTS],
    "fab close 2026-H1": ['fab close --reopen 2026-H1 --reason "A donation of May was missing"'],
    "fab mission interest 2026-11-20-etude-covoiturage-rural --by bruno": ["git reset -q --hard HEAD~4"],
    "fab mission assign 2026-11-20-etude-covoiturage-rural --to bruno": ["git reset -q --hard HEAD~3"],
    "fab keys allowed-signers --output ~/.config/git/allowed_signers": ["mkdir -p ~/.config/git"],
}
# The examples that ask a question on a terminal, and what the reader answers.
ASKS = {"fab close 2026-H1": "y\n"}
# The examples whose answer on the tour's ledger is a failure, and why that is the right answer.
FAILS = {
    "fab verify --strict --format json": (1, "the tour's signature and review by bruno carry the runner's "
                                          "identity (the tour's notes say so): --strict makes that an error"),
}
# The examples no copy of a ledger can run, and why.
ELSEWHERE = {
    "fab guard --install /srv/git/fabrique.git": "it installs a hook in a server's bare repository (tests/test_guard.py)",
    "--from-wiki": "it reads a MediaWiki (tests/test_wiki.py)",
    "fab wiki ": "it talks to a MediaWiki (tests/test_wiki.py)",
}


@pytest.mark.parametrize("example", help_examples())
def test_every_help_example_runs_on_the_tour_ledger(example, tour, tmp_path, monkeypatch):
    """Each ``Example:`` of the help pages, typed in a copy of the README's tour ledger, does its job
    (exit 0), so that a reader who followed the tour can try any of them."""
    for marker, why in ELSEWHERE.items():
        if marker in example:
            pytest.skip(f"{example}: {why}")
    monkeypatch.setenv("FAB_NO_CACHE", "")  # restored after the test: fab --no-cache sets it for the process
    monkeypatch.delenv("FAB_NO_CACHE")
    reader = Reader(copy_ledger(tour.root, tmp_path / "fabrique"), monkeypatch)
    payees = Path(os.environ["HOME"]) / "private" / "payees.yaml"
    payees.parent.mkdir(parents=True, exist_ok=True)
    payees.write_text(payees_file((REPO / "README.md").read_text())[1])
    for command in NEEDS.get(example, []):
        code, printed = reader.run(command)
        assert code == 0, f"$ {command}\n{printed}"
    code, printed = reader.on_terminal(example, ASKS[example]) if example in ASKS else reader.run(example)
    assert code == FAILS.get(example, (0, ""))[0], f"$ {example}\n{printed}"
