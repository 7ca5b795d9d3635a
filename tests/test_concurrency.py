"""Concurrency: fab processes writing to one ledger at the same time never lose or forge a record.

``store.lock.ledger_lock`` is a real file lock (filelock, on ``<git dir>/fab.lock``).  Write commands hold
it from before they read the ledger until their commit is made (``hold_ledger_lock``), so each validates
against the ledger it writes into and 8 identical commands make 8 distinct records (ids ``…``, ``…-2`` …
``…-8``).  ``save`` holds it too, and a caller that read the ledger without it is refused rather than
allowed to replace a record another process recorded meanwhile.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import Fab, paused_env
from fabrique_ledger.store.git import GitProblem
from fabrique_ledger.store.lock import ledger_lock

pytestmark = pytest.mark.slow

N = 8
DAY = "2026-11-20"


def _fab(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "fabrique_ledger", *args, "--ledger", str(root), "--format", "json"]


def _all_at_once(commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    results = []
    for command, proc in zip(commands, procs):
        out, err = proc.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(command, proc.returncode, out, err))
    return results


def _commits_since(fab: Fab, base: str) -> list[str]:
    return fab.git("rev-list", "--first-parent", f"{base}..HEAD").split()


def _files_of(fab: Fab, sha: str) -> list[str]:
    return fab.git("diff-tree", "--no-commit-id", "--name-only", "-r", sha).split()


def _contributions(fab: Fab) -> list[Path]:
    return sorted((fab.root / "ledger/contributions").rglob("*.yaml"))


def _linear_and_valid(fab: Fab, base: str, expected: int) -> list[str]:
    commits = _commits_since(fab, base)
    assert len(commits) == expected
    assert fab.git("rev-list", "--count", f"{base}..HEAD").strip() == str(expected)  # no merge, no lost commit
    assert fab.git("status", "--porcelain").strip() == ""
    assert not (fab.root / ".git/index.lock").exists() and not (fab.root / ".git/fab-journal.json").exists()
    assert fab("check").code == 0
    return commits


def test_eight_concurrent_contributions(fab):
    base = fab.head()
    results = _all_at_once([_fab(fab.root, "contribute", "--by", "alice", "--kind", "wiki", "--title", f"Page {i}",
                                 "--hours", str(i + 1), "--date", DAY) for i in range(N)])
    for result in results:
        assert result.returncode == 0, result.stderr
    written = [json.loads(r.stdout) for r in results]
    assert len({w["path"] for w in written}) == N and len({w["commit"] for w in written}) == N
    commits = _linear_and_valid(fab, base, N)
    assert sorted(commits) == sorted(w["commit"] for w in written)
    for w in written:  # one commit, one file, and the file as it was committed
        assert _files_of(fab, w["commit"]) == [w["path"]]
        assert fab.git("show", f"HEAD:{w['path']}") == fab.git("show", f"{w['commit']}:{w['path']}")
    assert len(_contributions(fab)) == N


def test_eight_concurrent_same_id_contributions_never_overwrite_each_other(fab):
    """The same title and date 8 times at once (so the same generated id), with different hours: each
    process records a distinct record (or, were it to read the ledger without the lock, refuses clearly);
    no committed record is ever replaced by another process's, and the ledger stays valid."""
    base = fab.head()
    results = _all_at_once([_fab(fab.root, "contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage rural",
                                 "--hours", str(i + 1), "--date", DAY) for i in range(N)])
    recorded = {}
    for i, result in enumerate(results):
        assert result.returncode in (0, 1), result.stderr
        assert "Traceback" not in result.stderr
        if result.returncode == 0:
            recorded[i + 1] = json.loads(result.stdout)
        else:
            assert result.stderr.startswith("error: nothing was recorded: ledger/contributions/2026-H2/2026-11-20-alice-covoiturage-rural")
            assert ("was recorded or changed by another fab command while this one was running; run the command again"
                    in result.stderr), result.stderr
    assert recorded
    assert len({r["path"] for r in recorded.values()}) == len(recorded)
    commits = _linear_and_valid(fab, base, len(recorded))
    assert sorted(commits) == sorted(r["commit"] for r in recorded.values())
    for hours, r in recorded.items():  # each success's record is there, as that process wrote it
        assert f"hours: {hours}\n" in (fab.root / r["path"]).read_text()
        assert fab.git("log", "--format=%H", "--", r["path"]).split() == [r["commit"]]
    assert len(_contributions(fab)) == len(recorded)


def test_the_same_command_at_once_never_makes_a_silent_duplicate(fab):
    """Identical commands whose records would be byte for byte the same: each records a distinct one (or is
    refused with a message), never a silent duplicate nor a git error."""
    base = fab.head()
    args = ["donate", "--by", "bruno", "--amount", "150", "--date", DAY]
    results = _all_at_once([_fab(fab.root, *args) for _ in range(N)])
    ok = [json.loads(r.stdout) for r in results if r.returncode == 0]
    for result in results:
        assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
        if result.returncode:
            assert result.stderr.startswith("error: nothing was recorded: ledger/donations/2026-H2/2026-11-20-bruno"), result.stderr
    assert ok and len({r["path"] for r in ok}) == len(ok)
    _linear_and_valid(fab, base, len(ok))


def test_eight_identical_commands_make_eight_records(fab):
    base = fab.head()
    results = _all_at_once([_fab(fab.root, "contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage rural",
                                 "--hours", str(i + 1), "--date", DAY) for i in range(N)])
    assert [r.returncode for r in results] == [0] * N, [r.stderr for r in results]
    ids = sorted(json.loads(r.stdout)["id"] for r in results)
    assert ids == sorted(["2026-11-20-alice-covoiturage-rural", *(f"2026-11-20-alice-covoiturage-rural-{n}" for n in range(2, N + 1))])
    _linear_and_valid(fab, base, N)
    hours = sorted(int(p.read_text().split("hours: ")[1].split()[0]) for p in _contributions(fab))
    assert hours == list(range(1, N + 1))  # every process's record, none overwritten by another


WRITER = textwrap.dedent("""
    import sys, time
    from datetime import date
    from decimal import Decimal
    from pathlib import Path
    from fabrique_ledger import drafts
    from fabrique_ledger.store.inventory import read_ledger
    from fabrique_ledger.store.lock import ledger_lock
    from fabrique_ledger.store.write import save

    root, hours, go = Path(sys.argv[1]), Decimal(sys.argv[2]), Path(sys.argv[3])
    while not go.exists():
        time.sleep(0.005)
    with ledger_lock(root):  # held from before reading the ledger until after the commit
        ledger = read_ledger(root, date(2026, 11, 27))
        draft = drafts.contribution(ledger, by=[("alice", None)], kind="wiki", title="Covoiturage rural",
                                    hours=hours, day=date(2026, 11, 20))
        assert not draft.problems, draft.problems
        sha = save(root, {draft.rel: draft.text}, message=draft.message, author=None, commit=True)
    print(draft.id, sha)
""")


def test_the_lock_around_read_validate_write_commit_gives_eight_distinct_records(fab, tmp_path):
    """The design: 8 writers, released at the same instant, each holding ledger_lock from before it reads
    the ledger: all 8 succeed, and the ids generated from the same title are all distinct."""
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    go = tmp_path / "go"
    base = fab.head()
    procs = [subprocess.Popen([sys.executable, str(script), str(fab.root), str(i + 1), str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(N)]
    time.sleep(1.0)  # every writer is imported and waiting
    go.touch()
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * N, [err for _, err in outputs]
    ids = sorted(out.split()[0] for out, _ in outputs)
    assert ids == sorted(["2026-11-20-alice-covoiturage-rural", *(f"2026-11-20-alice-covoiturage-rural-{n}" for n in range(2, N + 1))])
    _linear_and_valid(fab, base, N)
    hours = sorted(int(p.read_text().split("hours: ")[1].split()[0]) for p in _contributions(fab))
    assert hours == list(range(1, N + 1))


def test_a_writer_waits_for_the_lock_and_a_killed_holder_releases_it(fab):
    """A paused writer holds the lock: another waits (never interleaves); when the holder is killed the
    operating system releases the lock, and the waiter finds the journal and says how to recover."""
    holder = subprocess.Popen(_fab(fab.root, "donate", "--by", "bruno", "--amount", "10", "--date", DAY),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=paused_env("after-write"))
    assert holder.stderr.readline().strip() == "FAB_TEST_PAUSE after-write"
    with pytest.raises(GitProblem, match=r"another fab command has been writing to this ledger for more than 0 s"):
        with ledger_lock(fab.root, timeout=0.3):
            pass
    waiter = subprocess.Popen(_fab(fab.root, "donate", "--by", "bruno", "--amount", "20", "--date", DAY),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    assert waiter.poll() is None  # waiting for the lock
    holder.kill()
    holder.communicate()
    _, err = waiter.communicate(timeout=60)
    assert waiter.returncode == 1
    assert err.startswith("error: nothing was recorded: an earlier fab command ('donate: bruno, 10.00 EUR') was killed "
                          "while recording ledger/donations/2026-H2/2026-11-20-bruno.yaml; undo what it left first with: fab check --repair")
    assert fab("check", "--repair").code == 0
    assert fab("donate", "--by", "bruno", "--amount", "20", "--date", DAY).code == 0
    assert fab("check").code == 0


UNLOCKED_WRITER = textwrap.dedent("""
    import sys, time
    from datetime import date
    from decimal import Decimal
    from pathlib import Path
    from fabrique_ledger import drafts
    from fabrique_ledger.store.inventory import read_ledger
    from fabrique_ledger.store.git import GitProblem
    from fabrique_ledger.store.write import save

    root, hours, ready, go = Path(sys.argv[1]), Decimal(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
    ledger = read_ledger(root, date(2026, 11, 27))  # read WITHOUT the lock
    draft = drafts.contribution(ledger, by=[("alice", None)], kind="wiki", title="Covoiturage rural",
                                hours=hours, day=date(2026, 11, 20))
    ready.touch()
    while not go.exists():
        time.sleep(0.005)
    try:
        print(draft.id, save(root, {draft.rel: draft.text}, message=draft.message, author=None, commit=True))
    except GitProblem as error:
        print("refused", error)
""")


def test_a_writer_that_read_without_the_lock_never_replaces_a_record(fab, tmp_path):
    """Library callers that read the ledger without the lock: both draft the same id; the first records
    it, the second is refused by save instead of replacing the record the first just committed."""
    script = tmp_path / "writer.py"
    script.write_text(UNLOCKED_WRITER)
    go = tmp_path / "go"
    base = fab.head()
    procs = [subprocess.Popen([sys.executable, str(script), str(fab.root), str(hours), str(tmp_path / f"ready{hours}"), str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for hours in (1, 2)]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready{hours}").exists() for hours in (1, 2)):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        time.sleep(0.01)
    go.touch()
    outputs = sorted(proc.communicate(timeout=60)[0] for proc in procs)
    assert [proc.returncode for proc in procs] == [0, 0]
    recorded, refused = outputs
    assert recorded.startswith("2026-11-20-alice-covoiturage-rural ")
    assert refused.startswith("refused ledger/contributions/2026-H2/2026-11-20-alice-covoiturage-rural.yaml was recorded "
                              "or changed by another fab command while this one was running; run the command again")
    commit = recorded.split()[1]
    _linear_and_valid(fab, base, 1)
    assert fab.git("log", "--format=%H", "--", "ledger/contributions").split() == [commit]
    assert fab.git("show", "HEAD:ledger/contributions/2026-H2/2026-11-20-alice-covoiturage-rural.yaml") == \
        fab.git("show", f"{commit}:ledger/contributions/2026-H2/2026-11-20-alice-covoiturage-rural.yaml")
