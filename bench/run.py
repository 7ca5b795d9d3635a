"""Time fab against the tools people would use instead, on the same facts, in the same run.

    python bench/run.py [N ...] [--repeat R] [--out DIR] [--history] [--per-commit K]

For each N (default 1000 20000 100000): generate the ledger (bench/generate.py, one commit), then time
the median of R runs of each command, cold (fab's caches in .git/fab removed before each run; for
bean-check, its pickle cache beside the file removed) and warm (caches filled by a run before):
fab check / split / report --format json / contribute, fab check after one file changed, hledger
check and bean-check on the equivalent files when they are installed, and fab --version.  With
--history, the same records are also committed as a history (bench/history.py: K records a commit,
a seal every half-year, a 20-record branch) and fab log RECORD, fab log --member, fab diff main pr,
fab verify (and after one new commit), fab split --at REV, fab report and fab check after one file
changed are timed on it.  Peak memory is the largest max RSS of the runs.  Prints a Markdown table
of medians and ratios computed in this run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402
from history import history  # noqa: E402

FAB = [sys.executable, "-m", "fabrique_ledger"]
ENV = {**os.environ, "FAB_TODAY": "2026-12-31", "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
       "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}


def timed(cmd: list[str], cwd: Path, env: dict | None = None, before=None) -> tuple[float, int]:
    """Wall time in seconds and peak memory (KiB) of one run of ``cmd``."""
    if before is not None:
        before()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, _, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss


def median(cmd, cwd, repeat, env=None, before=None) -> tuple[float, int]:
    runs = [timed(cmd, cwd, env, before) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


Row = tuple[str, str, "float | None", "float | None", int]  # name, records, cold, warm, peak KiB


def cold_warm(name: str, n: int, cmd: list[str], cwd: Path, repeat: int, forget, env=None) -> Row:
    """Median cold (``forget`` before each run) and warm (after one untimed run) times of ``cmd``."""
    cold, cold_mem = median(cmd, cwd, repeat, env, before=forget)
    median(cmd, cwd, 1, env)  # fill the caches
    warm, warm_mem = median(cmd, cwd, repeat, env)
    return name, str(n), cold, warm, max(cold_mem, warm_mem)


def bench(n: int, out: Path, repeat: int) -> list[Row]:
    root = out / f"ledger-{n}"
    if not root.exists():
        generate(n, out)
    forget = _forget(root)
    rows = [cold_warm(f"fab {name}", n, FAB + args, root, repeat, forget) for name, args in (
        ("check", ["check"]), ("split", ["split", "--period", "2026-H2", "--format", "json"]),
        ("report --format json", ["report", "--period", "2026-H2", "--format", "json"]))]
    change, restore = _change_one_file(root)
    t, mem = median(FAB + ["check"], root, repeat, before=change)
    restore()
    rows.append(("fab check, one file changed", str(n), None, t, mem))
    t, mem = median(FAB + ["check"], root, repeat, env={**ENV, "FAB_NO_CACHE": "1"})
    rows.append(("fab check (FAB_NO_CACHE=1)", str(n), t, None, mem))
    contribution = root / "ledger/contributions/2026-H2"
    rows.append(cold_warm("fab contribute", n, FAB + ["contribute", "--by", "m00001", "--kind", "wiki", "--hours", "1",
                                                     "--date", "2026-11-01", "--title", "bench", "--no-commit"], root, repeat,
                          lambda: (forget(), _unlink(contribution.glob("2026-11-01-m00001-bench*")))))
    _unlink(contribution.glob("2026-11-01-m00001-bench*"))
    if shutil.which("hledger"):
        t, mem = median(["hledger", "check", "-f", str(out / f"ledger-{n}.journal")], root, repeat)
        rows.append(("hledger check (no cache: cold = warm)", str(n), t, t, mem))
    bean = shutil.which("bean-check") or (Path(sys.executable).parent / "bean-check")
    if Path(bean).exists():
        journal = out / f"ledger-{n}.beancount"
        pickle = journal.parent / f".{journal.name}.picklecache"
        rows.append(cold_warm("bean-check", n, [str(bean), str(journal)], root, repeat, lambda: _unlink([pickle])))
    return rows


def bench_history(n: int, out: Path, repeat: int, per_commit: int) -> list[Row]:
    """The audit trail and the reads of a ledger with a history (bench/history.py)."""
    root = out / f"history-{n}"
    if not root.exists():
        history(n, out, per_commit)
    forget = _forget(root)
    commits = int(subprocess.run(["git", "-C", str(root), "rev-list", "--count", "HEAD"], capture_output=True, text=True).stdout)
    sealed = sorted((root / "ledger/contributions").iterdir())[1]  # the second half-year: sealed
    record = sorted(sealed.glob("*.yaml"))[0].stem
    back = f"HEAD~{min(100, commits // 2)}"
    label = f"{n} / {commits} commits"
    rows = [cold_warm(name, label, FAB + args, root, repeat, forget) for name, args in (
        (f"fab log RECORD", ["log", record]),
        ("fab log --member m00001", ["log", "--member", "m00001"]),
        ("fab diff main pr (20 records)", ["diff", "main", "pr"]),
        ("fab verify", ["verify"]),
        (f"fab split --at {back}", ["split", "--at", back, "--period", "2026-H1", "--format", "json"]),
        ("fab report --format json", ["report", "--period", "2026-H2", "--format", "json"]),
        ("fab check", ["check"]))]
    change, restore = _change_one_file(root)
    t, mem = median(FAB + ["check"], root, repeat, before=change)
    restore()
    rows.append(("fab check, one file changed", label, None, t, mem))
    t, mem = median(FAB + ["verify"], root, repeat, before=_commit_one_change(root))
    rows.append(("fab verify, after one new commit", label, None, t, mem))
    return rows


def _forget(root: Path):
    return lambda: shutil.rmtree(root / ".git/fab", ignore_errors=True)


def _unlink(paths) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _commit_one_change(root: Path):
    """Before each run, a new commit (a comment added to one open contribution): HEAD moves, so that no
    answer of a run before can be reused, while the seals proved before still are."""
    path = sorted((root / "ledger/contributions/2026-H2").glob("*.yaml"))[-1]
    count = iter(range(1_000_000))

    def change() -> None:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"# bench {next(count)}\n")
        subprocess.run(["git", "-C", str(root), "commit", "-qam", "bench: one more commit"], check=True, env=ENV)
    return change


def _change_one_file(root: Path):
    """Before each run, a new comment at the end of one contribution: a new blob, as after a pull or an
    edit, so that the answer of the last check cannot be reused (the other files are in the parse cache)."""
    path = sorted((root / "ledger/contributions/2026-H2").glob("*.yaml"))[0]
    original = path.read_text(encoding="utf-8").split("\n# bench ")[0]
    count = iter(range(1_000_000))

    def change() -> None:
        path.write_text(f"{original.rstrip()}\n# bench {next(count)}\n", encoding="utf-8")
    return change, lambda: path.write_text(original, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 20000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("/tmp/fab-bench"))
    parser.add_argument("--history", action="store_true", help="also time the audit trail on a ledger with a history")
    parser.add_argument("--per-commit", type=int, default=5, help="records per commit of the history")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    first = args.out / f"ledger-{args.sizes[0]}" if args.sizes else None
    if first is not None:  # untimed: byte-compiles fab's modules, which the first runs would otherwise pay for
        if not first.exists():
            generate(args.sizes[0], args.out)
        for warm_up in (["check"], ["split"], ["report", "--format", "json"]):
            subprocess.run(FAB + warm_up, cwd=first, env=ENV, capture_output=True)
    version, _ = median(FAB + ["--version"], args.out, args.repeat)
    rows: list[Row] = [("fab --version", "-", None, version, 0)]
    for n in args.sizes:
        rows += bench(n, args.out, args.repeat)
        if args.history:
            rows += bench_history(n, args.out, args.repeat, args.per_commit)
    print(table(rows))


def table(rows: list[Row]) -> str:
    """The Markdown table, with each ratio computed from this run's medians."""
    def seconds(value: float | None) -> str:
        return "" if value is None else f"{value:.3f}"

    by = {(name, n): (cold, warm) for name, n, cold, warm, _ in rows}
    lines = ["| command | records | cold (s) | warm (s) | peak memory (MiB) | ratio |", "|---|---:|---:|---:|---:|---|"]
    for name, n, cold, warm, mem in rows:
        lines.append(f"| {name} | {n} | {seconds(cold)} | {seconds(warm)} | {f'{mem / 1024:.0f}' if mem else ''} | "
                     f"{_ratio(name, n, cold, warm, by)} |")
    return "\n".join(lines)


def _ratio(name: str, n: str, cold: float | None, warm: float | None, by: dict) -> str:
    hledger = by.get(("hledger check (no cache: cold = warm)", n), (None, None))[0]
    bean = by.get(("bean-check", n), (None, None))
    words = []
    if name == "fab check" and hledger:
        words.append(f"cold {cold / hledger:.2f} × hledger check, warm {warm / hledger:.2f} ×")
    if name == "fab check" and bean[0]:
        words.append(f"cold {cold / bean[0]:.2f} × cold bean-check, warm {warm / bean[1]:.2f} × warm bean-check")
    if name == "fab contribute" and ("fab contribute", "1000") in by:
        words.append(f"warm {warm / by[('fab contribute', '1000')][1]:.2f} × at 1 000 records")
    if "commits" in n and name != "fab check" and warm is not None:
        words.append("warm under 1 s" if warm < 1 else "warm over 1 s")
    return "; ".join(words)


if __name__ == "__main__":
    main()
