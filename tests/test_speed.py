"""What speed depends on, tested for behaviour (timings live in bench/, not in tests)."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys

from conftest import REPO, Fab


def _modules_after(args: list[str]) -> set[str]:
    code = ("import sys\nfrom fabrique_ledger.cli import app\n"
            f"sys.argv = ['fab', *{args!r}]\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(sys.modules)), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stderr.split())


def test_help_and_version_import_neither_git_nor_yaml():
    for args in (["--version"], ["--help"]):
        loaded = _modules_after(args)
        assert not {m for m in loaded if m == "git" or m.startswith(("git.", "ruamel"))}, args


def _problems(fab: Fab, **env: str) -> str:
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return fab("check", "--format", "json").out
    finally:
        for key, value in old.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)


def test_cached_and_uncached_checks_report_the_same_problems(fab):
    fab.write("ledger/donations/2026-H1/bad.yaml", "donor: zoe\namount: 10.123\ndate: 2026-02-30\n")
    fab.write("ledger/contributions/2026-H1/typo.yaml", "authors: alice\nkind: wiki\ntitel: X\nhours: 2\ndate: 2026-03-01\n")
    fab.git("add", "ledger")
    fab.git("commit", "-qm", "bad files")
    cache = fab.root / ".git/fab/parse-cache"
    shutil.rmtree(cache, ignore_errors=True)
    uncached = _problems(fab, FAB_NO_CACHE="1")
    assert not cache.exists()  # switched off: not even written
    first = _problems(fab)  # fills the cache
    assert len(list(cache.iterdir())) == 3 and first == uncached  # members, contributions/2026-H1, donations/2026-H1
    assert _problems(fab) == uncached  # from the cache
    assert len(json.loads(uncached)["problems"]) == 3


def test_a_changed_file_is_parsed_again(fab):
    assert fab("donate", "--by", "bruno", "--amount", "10", "--date", "2026-02-01").code == 0
    assert fab("check").code == 0
    path = fab.root / "ledger/donations/2026-H1/2026-02-01-bruno.yaml"
    path.write_text(path.read_text().replace("10.00", "-10.00"))  # same size class, new content
    result = fab("check")
    assert result.code == 1 and "'amount' is -10.00" in result.out


def test_a_corrupt_or_partial_cache_is_rebuilt(fab):
    assert fab("check").code == 0
    shards = sorted((fab.root / ".git/fab/parse-cache").iterdir())
    assert len(shards) == 1  # ledger/members
    whole = pickle.loads(shards[0].read_bytes())
    for damage in (b"", b"not a pickle", shards[0].read_bytes()[:50]):
        shards[0].write_bytes(damage)
        (fab.root / ".git/fab/results.pickle").unlink()  # so that the records are read again
        result = fab("check")
        assert (result.code, result.err) == (0, ""), damage
        assert pickle.loads(shards[0].read_bytes()) == whole, damage  # rebuilt as it was


def test_the_bench_script_runs_on_a_tiny_ledger_and_history(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "bench/run.py"), "30", "--history", "--repeat", "1", "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "| command | records | cold (s) | warm (s) | peak memory (MiB) | ratio |"
    rows = [(line.split(" | ")[0].removeprefix("| "), line.split(" | ")[1]) for line in lines[2:]]
    for name in ("fab check", "fab contribute", "fab check, one file changed"):
        assert (name, "30") in rows, name
    for name in ("fab log RECORD", "fab log --member m00001", "fab diff main pr (20 records)", "fab verify",
                 "fab verify, after one new commit", "fab check, one file changed"):
        assert any(row == name and n.startswith("30 / ") for row, n in rows), name
    history = tmp_path / "history-30"
    log = subprocess.run(["git", "-C", str(history), "log", "--format=%s", "main"], capture_output=True, text=True).stdout
    assert "close 2026-H1" in log and "close 2021-H1" in log and "close 2026-H2" not in log  # a seal every half-year
    pr = subprocess.run(["git", "-C", str(history), "diff", "--name-only", "main...pr"], capture_output=True, text=True).stdout
    assert len(pr.split()) == 20


def test_an_unchanged_ledger_is_answered_from_the_result_cache(fab):
    fab.write("ledger/donations/2026-H1/bad.yaml", "donor: zoe\namount: 10.123\ndate: 2026-02-30\n")
    first = _problems(fab)
    parse_cache, results = fab.root / ".git/fab/parse-cache", fab.root / ".git/fab/results.pickle"
    assert results.exists() and parse_cache.exists()
    shutil.rmtree(parse_cache)
    assert _problems(fab) == first  # the same answer ...
    assert not parse_cache.exists()  # ... without reading a single record (a read would write the parse cache)
    assert _problems(fab, FAB_NO_CACHE="1") == first


def test_any_change_to_what_a_check_depends_on_checks_again(fab):
    def codes() -> list[tuple[str, str]]:
        return [(p["path"], p["code"]) for p in json.loads(_problems(fab))["problems"]]

    assert codes() == []
    assert fab("donate", "--by", "bruno", "--amount", "10", "--date", "2026-02-01").code == 0
    tracked = fab.root / "ledger/donations/2026-H1/2026-02-01-bruno.yaml"
    assert codes() == []
    tracked.write_text(tracked.read_text().replace("10.00", "-10.00"))  # a tracked file edited, not staged
    assert codes() == [(str(tracked.relative_to(fab.root)), "amount-not-positive")]
    fab.git("add", "ledger")  # staged: git's index now knows the new blob
    assert codes() == [(str(tracked.relative_to(fab.root)), "amount-not-positive")]
    tracked.unlink()  # a file removed
    assert codes() == []
    fab.write("ledger/donations/2026-H1/new.yaml", "donor: zoe\namount: 5\ndate: 2026-02-02\n")  # untracked
    assert codes() == [("ledger/donations/2026-H1/new.yaml", "unknown-reference")]
    fab.write("ledger/donations/2026-H1/new.yaml", "donor: bruno\namount: 5\ndate: 2026-02-02\n")
    assert codes() == []
    fab.write("ledger/donations/2026-H1/new.yaml", "donor: bruno\namount: 5\ndate: 2026-12-02\n")
    assert codes() == [("ledger/donations/2026-H1/new.yaml", "future-date"),
                       ("ledger/donations/2026-H1/new.yaml", "wrong-period")]
    assert [p["code"] for p in json.loads(_problems(fab, FAB_TODAY="2026-12-31"))["problems"]] == ["wrong-period"]
    assert _problems(fab, FAB_LANG="fr") == _problems(fab)  # JSON is the same bytes in every language
    (fab.root / "charter.md").unlink()
    assert ("charter.md", "charter") in codes()


def test_a_corrupt_result_cache_is_rebuilt(fab):
    assert fab("check").code == 0
    results = fab.root / ".git/fab/results.pickle"
    whole = pickle.loads(results.read_bytes())
    for damage in (b"", b"not a pickle", results.read_bytes()[:20]):
        results.write_bytes(damage)
        result = fab("check")
        assert (result.code, result.err, result.out) == (0, "", "ok: 3 records, no problems\n"), damage
        assert pickle.loads(results.read_bytes()) == whole, damage  # the answer is written again


def test_split_reads_only_its_period_and_gives_what_a_whole_read_gives(tmp_path):
    """fab split reads P's folders (all periods up to P for 'recent' and 'balanced'); fab split --at HEAD
    reads the whole ledger: the answers are the same, for every policy and period of the shipped ledger."""
    root = tmp_path / "sample"
    shutil.copytree(REPO / "ledger", root / "ledger")
    shutil.copy(REPO / "charter.md", root / "charter.md")
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "sample"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
    fab = Fab(root)
    assert fab("split", "--period", "2026-H2", "--format", "json").code == 0
    read = {path for shard in (root / ".git/fab/parse-cache").iterdir()
            for path, _blob, _length in pickle.loads(shard.read_bytes())[1]}
    assert any(p.startswith("ledger/contributions/2026-H2/") for p in read)
    assert not any(p.startswith(("ledger/contributions/2026-H1/", "ledger/donations/2026-H1/", "ledger/signatures/"))
                   for p in read)
    for policy in ("proportional", "equal", "hybrid", "requests", "peer", "recent", "balanced"):
        for period in ("2025-H2", "2026-H1", "2026-H2"):
            args = ("split", "--period", period, "--policy", policy, "--format", "json")
            scoped, whole = fab(*args), fab(*args, "--at", "HEAD")
            assert (scoped.code, scoped.out, scoped.err) == (whole.code, whole.out, whole.err), (policy, period)


def _renames_and_reuses(fab) -> list[str]:
    """A history where files are added, edited, renamed (twice), removed and their names reused, and a
    side branch merged: every path it ever had."""
    def commit(message: str) -> None:
        fab.git("add", "-A")
        fab.git("commit", "-qm", message)

    c = "ledger/contributions/2026-H1"
    fab.write(f"{c}/a.yaml", "authors: alice\nkind: wiki\ntitle: A\nhours: 2\ndate: 2026-02-02\n")
    fab.write(f"{c}/b.yaml", "authors: chloe\nkind: code\ntitle: B\nhours: 3\ndate: 2026-02-03\n")
    commit("a and b")
    fab.git("mv", f"{c}/a.yaml", f"{c}/a2.yaml")
    commit("a renamed a2")
    fab.write(f"{c}/a.yaml", "authors: chloe\nkind: event\ntitle: New A\nhours: 1\ndate: 2026-02-04\n")  # the name, reused
    fab.write(f"{c}/a2.yaml", "authors: alice\nkind: wiki\ntitle: A, corrected\nhours: 2\ndate: 2026-02-02\n")
    commit("a again, a2 edited")
    fab.git("checkout", "-qb", "side")
    (fab.root / "ledger/contributions/2026-H2").mkdir(parents=True, exist_ok=True)
    fab.git("mv", f"{c}/a2.yaml", "ledger/contributions/2026-H2/a3.yaml")
    commit("a2 moved to H2 as a3")
    fab.git("checkout", "-q", "-")
    fab.git("rm", "-q", f"{c}/b.yaml")
    commit("b removed")
    fab.git("merge", "-q", "--no-edit", "side")
    fab.write(f"{c}/b.yaml", "authors: alice\nkind: code\ntitle: B again\nhours: 3\ndate: 2026-02-05\n")
    commit("b again")
    return [f"{c}/a.yaml", f"{c}/a2.yaml", "ledger/contributions/2026-H2/a3.yaml", f"{c}/b.yaml", "ledger/members/alice.yaml"]


def test_the_history_of_one_file_is_what_the_whole_history_says(fab):
    """fab log RECORD asks git about one file's names only (History.changes_of), and fab verify follows
    files through an index (log.Trail): both give what following the whole history gives."""
    from fabrique_ledger.log import Trail, follow
    from fabrique_ledger.store.history import History

    def walk_back(changes, path):  # the plain definition: every change bringing a name the file had, walking back
        names, found = {path}, []
        for change in reversed(changes):
            if change.new_path in names or (change.status == "D" and change.old_path in names):
                found.append(change)
                if change.status == "R" and change.old_path:
                    names.add(change.old_path)
        return found[::-1]

    paths = _renames_and_reuses(fab)
    whole = History(fab.root).changes
    for path in paths:
        expected = walk_back(whole, path)
        assert History(fab.root).changes_of(path) == expected, path
        assert Trail(whole).follow(path) == follow(whole, path) == expected, path
    assert [c.status for c in follow(whole, paths[2])] == ["A", "R", "M", "R"]  # a, a2, a2 edited, a3
    by_id, by_path = fab("log", "a3"), fab("log", paths[2])
    assert by_id.code == 0 and by_id.out == by_path.out and "moved from ledger/contributions/2026-H1/a2.yaml" in by_id.out


def test_kept_answers_follow_every_change(fab):
    """fab verify and fab report keep their answer for an unchanged ledger (and HEAD): any change of a
    file, of HEAD or of the day gives a new answer, the one a run without caches gives."""
    def both(*args: str, **env: str) -> tuple[str, str]:
        cached = _output(fab, *args, **env)
        return cached, _output(fab, *args, FAB_NO_CACHE="1", **env)

    assert fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "A", "--hours", "6", "--date", "2026-02-02").code == 0
    assert fab("donate", "--by", "bruno", "--amount", "100", "--date", "2026-02-01").code == 0
    assert fab("close", "2026-H1", "--yes").code == 0
    for args in (("verify", "--format", "json"), ("report", "--period", "2026-H1", "--format", "json")):
        first = both(*args)
        assert first[0] == first[1] and both(*args) == first, args
    path = fab.root / "ledger/contributions/2026-H1/2026-02-02-alice-a.yaml"
    path.write_text(path.read_text().replace("hours: 6", "hours: 7"))  # a sealed record edited, not committed
    verify = both("verify", "--format", "json")
    assert verify[0] == verify[1] and '"sealed-changed"' in verify[0]
    report = both("report", "--period", "2026-H1", "--format", "json")
    assert report[0] == report[1]
    fab.git("commit", "-qam", "edit a sealed record")  # the same files, a new HEAD
    committed = both("verify", "--format", "json")
    assert committed[0] == committed[1] and committed[0] != verify[0]
    later = both("report", "--period", "2026-H1", "--format", "json", FAB_TODAY="2027-03-01")
    assert later[0] == later[1]


def _output(fab, *args: str, **env: str) -> str:
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = fab(*args)
        return f"{result.code}\n{result.out}\n{result.err}"
    finally:
        for key, value in old.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
