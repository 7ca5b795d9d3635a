"""What speed depends on, tested for behaviour (timings live in bench/, not in tests)."""

from __future__ import annotations

import json
import os
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
    cache = fab.root / ".git/fab/parse-cache.pickle"
    cache.unlink(missing_ok=True)
    uncached = _problems(fab, FAB_NO_CACHE="1")
    assert not cache.exists()  # switched off: not even written
    first = _problems(fab)  # fills the cache
    assert cache.exists() and first == uncached
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
    cache = fab.root / ".git/fab/parse-cache.pickle"
    for damage in (b"", b"not a pickle", cache.read_bytes()[:50]):
        cache.write_bytes(damage)
        result = fab("check")
        assert result.code == 0 and result.err == "", damage
    assert cache.stat().st_size > 100


def test_the_bench_script_runs_on_a_tiny_ledger(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "bench/run.py"), "30", "--repeat", "1", "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "| command | records | median (s) | peak memory (MiB) | ratio |"
    assert any(line.startswith("| fab check (warm) | 30 |") for line in lines)
    assert any(line.startswith("| fab contribute | 30 |") for line in lines)
