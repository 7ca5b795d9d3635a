"""The README's tour is reproducible as written (issue 15, item 11): its ```console blocks, run one after
the other in a scratch folder the way a reader types them, print what the README shows.

Only what cannot be the same from one run to the next is normalised, explicitly (``normalised``): commit
hashes and the scratch folder's path.  A line ``...`` of the README stands for any lines (the README cuts
long outputs).  ``FAB_TODAY`` is set once, by the tour's first line, for the whole tour."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fabrique_ledger.cli import app

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
    cat as programs, ``cd`` and ``export`` as a shell does, ``VAR=value fab ...`` for one command."""

    def __init__(self, scratch: Path, env: pytest.MonkeyPatch) -> None:
        self.env = env
        env.chdir(scratch)

    def run(self, command: str) -> str:
        words = shlex.split(command)
        if words[0] == "cd":
            self.env.chdir(words[1])
            return ""
        if words[0] == "export":
            for assignment in words[1:]:
                self.env.setenv(*assignment.split("=", 1))
            return ""
        with pytest.MonkeyPatch.context() as once:
            while "=" in words[0]:
                once.setenv(*words.pop(0).split("=", 1))
            if words[0] == "fab":
                result = CliRunner().invoke(app, words[1:], env={"COLUMNS": "100"})
                if result.exception and not isinstance(result.exception, SystemExit):
                    raise result.exception
                return result.output
            done = subprocess.run(words, capture_output=True, text=True, env=dict(os.environ))
            return done.stdout + done.stderr


def test_the_readme_tour_runs_as_written(tmp_path, monkeypatch):
    readme = (REPO / "README.md").read_text()
    blocks = tour_blocks(readme)
    assert blocks[0][0].startswith("$ export FAB_TODAY="), "the tour sets its day once, at its start"
    where, payees = payees_file(readme)
    reader = Reader(tmp_path, monkeypatch)
    monkeypatch.delenv("FAB_TODAY")
    drift = []
    for command, shown in steps(blocks):
        if command.startswith("fab payouts") and where.removeprefix("../") in command:
            path = Path.cwd() / where
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(payees)
        printed = normalised(reader.run(command), tmp_path).rstrip("\n").splitlines()
        shown = [normalised(line, tmp_path) for line in shown]
        if not (same_json(shown, printed) if shown[:1] and shown[0].startswith("{\"") else matches(shown, printed)):
            drift.append(f"$ {command}\n--- README:\n" + "\n".join(shown) + "\n--- printed:\n" + "\n".join(printed))
    assert not drift, "\n\n".join(drift)


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
