"""Shared fixtures: real git repositories in temporary folders, and fab driven as users drive it."""

from __future__ import annotations

import gc
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import functools

import pytest
import typer.testing
from hypothesis import settings
from typer.testing import CliRunner

from fabrique_ledger.cli import app

# ``pytest --hypothesis-profile=deep``: the stateful test of tests/test_invariants.py runs many long
# sequences of commands instead of a few short ones (the other property tests set their own sizes).
settings.register_profile("deep", deadline=None)

# Typer turns the app into a Click command on every invoke (0.1 s, most of an in-process fab call in a
# test); the app does not change during a run, so the command is built once.
typer.testing._get_command = functools.cache(typer.testing._get_command)

TODAY = "2026-11-27"
REPO = Path(__file__).resolve().parent.parent


def isolate(env: pytest.MonkeyPatch, home: Path) -> None:
    """A known git identity, no git configuration of the machine, a fixed today, English: what every
    test (and every module-scoped fixture that builds a ledger once) runs fab in."""
    env.setenv("HOME", str(home))
    env.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    env.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        env.setenv(f"GIT_{who}_NAME", "Test Runner")
        env.setenv(f"GIT_{who}_EMAIL", "runner@example.org")
    env.setenv("FAB_TODAY", TODAY)
    env.delenv("FAB_LEDGER", raising=False)
    env.setenv("FAB_LANG", "en")  # English unless a test asks for French, whatever the machine's locale


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch, tmp_path_factory):
    """Every test runs isolated (see ``isolate``)."""
    isolate(monkeypatch, tmp_path_factory.mktemp("home"))
    from fabrique_ledger.i18n import set_language
    set_language(None)
    yield
    set_language(None)  # --lang fr in one test must not leak into the next
    gc.unfreeze()  # fab freezes each ledger it reads (store.cache.no_gc); here one process reads many


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


class Fab:
    """Runs fab commands on one ledger, in-process, the way a user types them."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(self, *args: str, input: str | None = None) -> Result:
        result = CliRunner().invoke(app, [*args, "--ledger", str(self.root)] if self._takes_ledger(args) else list(args), input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    @staticmethod
    def _takes_ledger(args: tuple[str, ...]) -> bool:
        return bool(args) and args[0] != "init" and "--help" not in args and "--ledger" not in args

    def git(self, *args: str) -> str:
        return git(self.root, *args)

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def state(self) -> tuple[str, str, str]:
        """HEAD, status and the content of every file: equal before and after means nothing changed."""
        files = sorted(p for p in self.root.rglob("*") if p.is_file() and ".git" not in p.parts)
        content = "\n".join(f"{p.relative_to(self.root)}:{p.read_bytes()!r}" for p in files)
        return self.head(), self.git("status", "--porcelain", "--untracked-files=all"), content

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return path


@pytest.fixture
def fab(tmp_path) -> Fab:
    """A new ledger with three members (alice contributor, bruno consultant, chloe both)."""
    root = tmp_path / "fabrique"
    runner = Fab(root)
    assert runner("init", str(root)).code == 0
    assert runner("member", "add", "alice", "--name", "Alice Martin", "--email", "alice@example.org", "--joined", "2026-01-05").code == 0
    assert runner("member", "add", "bruno", "--name", "Bruno Lefèvre", "--role", "consultant", "--joined", "2026-01-05").code == 0
    assert runner("member", "add", "chloe", "--name", "Chloé Durand", "--role", "consultant", "--role", "contributor", "--joined", "2026-01-05").code == 0
    return runner
