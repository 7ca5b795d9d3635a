"""Shared fixtures: real git repositories in temporary folders, and fab driven as users drive it."""

from __future__ import annotations

import ctypes
import functools
import gc
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.testing
from hypothesis import settings
from typer.testing import CliRunner

from fabrique_ledger.cli import app

# No hypothesis example has a deadline: speed is measured in bench/, never asserted by a test (a deadline
# fails a correct example on a busy machine).  ``pytest --hypothesis-profile=deep``: the stateful test of
# tests/test_invariants.py runs many long sequences of commands instead of a few short ones (the other
# property tests set their own sizes).
settings.register_profile("default", deadline=None)
settings.register_profile("deep", deadline=None)
settings.load_profile("default")

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


def drop_root_privileges() -> None:
    """Run as root without the power to ignore file permissions (so that a read-only folder is one): a
    ``preexec_fn`` for a fab process (tests/test_faults.py, tests/test_attacks_files.py)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP: gone from the process fab becomes
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


PAUSE = Path(__file__).resolve().parent / "pause"  # the test-only hook that stops fab at a point of a write


def paused_env(stage: str | None) -> dict[str, str]:
    """The environment of a ``python -m fabrique_ledger`` process that stops at ``stage`` of a write (see
    tests/pause/sitecustomize.py), or of one that does not stop (``stage`` None)."""
    if stage is None:
        return dict(os.environ)
    return {**os.environ, "FAB_TEST_PAUSE": stage,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(PAUSE), os.environ.get("PYTHONPATH")]))}


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
        return bool(args) and args[0] not in ("init", "guard") and "--help" not in args and "--ledger" not in args

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

    def edit(self, rel: str, *pairs: tuple[str, str]) -> None:
        """A file edited by hand: each (old, new) replaced, old being there."""
        path = self.root / rel
        text = path.read_text()
        for old, new in pairs:
            assert old in text, (old, text)
            text = text.replace(old, new)
        path.write_text(text)


# --- ledgers built once and copied ----------------------------------------------------------------------
#
# Building a ledger through the CLI costs about 0.2 s a command (git commits); most tests start from the
# same few ledgers.  Each is built once (per session, or per xdist worker), through the real CLI, in the
# environment every test runs in (``isolate``), and each test gets a copy of the whole folder, .git
# included: the same files, the same commits, the same fab caches (.git/fab/, .git/fab-saves hold no
# absolute path: they are keyed by relative paths and blob ids, and by pid and time).

Steps = Callable[[Fab, pytest.MonkeyPatch], None]


def copy_ledger(template: Path, root: Path) -> Path:
    """A copy of ``template`` at ``root``; git's index is refreshed, since every file of the copy has
    another inode and ctime than the index recorded: without it ``git diff-files`` (which fab uses to
    trust the index's blob ids) would list every file as modified, which a ledger just built never does."""
    shutil.copytree(template, root, symlinks=True)
    git(root, "update-index", "-q", "--refresh")
    return root


def build_template(factory: pytest.TempPathFactory, name: str, steps: Steps, base: Path | None = None) -> Path:
    """The ledger ``steps`` make (from a copy of ``base``, or from nothing), built in a folder of its own
    in the environment of a test (``isolate``); for a session- or module-scoped fixture."""
    from fabrique_ledger.i18n import set_language

    with pytest.MonkeyPatch.context() as env:
        isolate(env, factory.mktemp("home"))
        set_language(None)
        root = factory.mktemp(name) / "fabrique"
        if base is not None:
            copy_ledger(base, root)
        try:
            steps(Fab(root), env)
        finally:
            set_language(None)
            gc.unfreeze()
    return root


def _three_members(fab: Fab, env: pytest.MonkeyPatch) -> None:
    assert fab("init", str(fab.root)).code == 0
    assert fab("member", "add", "alice", "--name", "Alice Martin", "--email", "alice@example.org", "--joined", "2026-01-05").code == 0
    assert fab("member", "add", "bruno", "--name", "Bruno Lefèvre", "--role", "consultant", "--joined", "2026-01-05").code == 0
    assert fab("member", "add", "chloe", "--name", "Chloé Durand", "--role", "consultant", "--role", "contributor", "--joined", "2026-01-05").code == 0


class _Templates:
    """The ledgers of ``replay``, by name, built on first use."""

    def __init__(self, factory: pytest.TempPathFactory, fab_template: Path) -> None:
        self.factory = factory
        self.fab_template = fab_template
        with pytest.MonkeyPatch.context() as env:  # the environment of a test, as the template was built in
            isolate(env, factory.mktemp("home"))
            self.fab_state = _Snapshot.of(fab_template)
        self.built: dict[str, Path] = {}


_TEMPLATES: list[_Templates] = []  # set by the session fixture below, for ``replay``


@dataclass(frozen=True)
class _Snapshot:
    """What the fab fixture's ledger is, and what fab runs with: if a test's ledger and environment are
    these when it replays steps, copying the result of the same steps is what running them would give."""

    state: tuple[str, str, str]
    config: bytes
    env: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, root: Path) -> _Snapshot:
        return cls(Fab(root).state(), (root / ".git/config").read_bytes(), _environment())


def _environment() -> tuple[tuple[str, str], ...]:
    """fab's and git's environment, but the paths of the test's own home (its git configuration must
    not exist, checked apart)."""
    skip = {"GIT_CONFIG_GLOBAL"}
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(("FAB_", "GIT_", "LANG", "LC_")) and k not in skip))


def replay(fab: Fab, name: str, steps: Steps) -> None:
    """``steps(fab, env)`` on the fab fixture's ledger, as a test's first action: run once per session
    on a copy of that ledger (kept under ``name``), then copied over ``fab.root`` for each test.
    ``steps`` may change the environment through ``env`` for its own commands only (it is undone after
    them, either way): the caller sets what its test needs afterwards.  If the ledger or the environment
    is not the fixture's (a test changed it first), the steps are run on ``fab`` itself."""
    from fabrique_ledger.i18n import language

    templates = _TEMPLATES[-1]  # the fab fixture, which made ``fab``, set it
    pristine = (fab.root.resolve() != templates.fab_template.resolve()
                and not Path(os.environ["GIT_CONFIG_GLOBAL"]).exists()
                and _environment() == templates.fab_state.env
                and language() == "en"
                and _Snapshot.of(fab.root) == templates.fab_state)
    if not pristine:
        with pytest.MonkeyPatch.context() as env:
            steps(fab, env)
        return
    if name not in templates.built:
        templates.built[name] = build_template(templates.factory, name, steps, base=templates.fab_template)
    shutil.rmtree(fab.root)
    copy_ledger(templates.built[name], fab.root)


@pytest.fixture(scope="session")
def fab_template(tmp_path_factory) -> Path:
    """The fab fixture's ledger, built once."""
    return build_template(tmp_path_factory, "fab-template", _three_members)


@pytest.fixture(scope="session")
def _replay_templates(tmp_path_factory, fab_template):
    _TEMPLATES.append(_Templates(tmp_path_factory, fab_template))
    yield
    _TEMPLATES.pop()


@pytest.fixture
def fab(fab_template, _replay_templates, tmp_path) -> Fab:
    """A new ledger with three members (alice contributor, bruno consultant, chloe both): a copy of
    ``fab_template``, which ``fab init`` and three ``fab member add`` built."""
    return Fab(copy_ledger(fab_template, tmp_path / "fabrique"))
