"""Time fab against the tools people would use instead, on the same facts, in the same run.

    python bench/run.py [N ...] [--repeat R] [--out DIR]

For each N (default 1000 20000 100000): generate the ledger (bench/generate.py), then time the
median of R runs of: fab check / split / report --format json, cold (no parse cache) and warm;
fab check after one file changed; fab contribute; hledger check and bean-check on the equivalent
files when they are installed;
and fab --version.  Peak memory (max RSS) is measured for fab split and bean-check.  Prints a
Markdown table of medians and ratios.
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


def bench(n: int, out: Path, repeat: int) -> list[tuple[str, str, float, int | None]]:
    root = out / f"ledger-{n}"
    if not root.exists():
        generate(n, out)
    cache = root / ".git/fab"
    no_cache = {**ENV, "FAB_NO_CACHE": "1"}
    rows = []
    for name, args in (("check", ["check"]), ("split", ["split", "--period", "2026-H2", "--format", "json"]),
                       ("report", ["report", "--period", "2026-H2", "--format", "json"])):
        t, mem = median(FAB + args, root, repeat, before=lambda: shutil.rmtree(cache, ignore_errors=True))
        rows.append((f"fab {name} (cold)", str(n), t, mem))
        median(FAB + args, root, 1)  # fill the cache
        t, mem = median(FAB + args, root, repeat)
        rows.append((f"fab {name} (warm)", str(n), t, mem))
    change, restore = _change_one_file(root)
    t, mem = median(FAB + ["check"], root, repeat, before=change)
    restore()
    rows.append(("fab check (warm, one file changed)", str(n), t, mem))
    t, mem = median(FAB + ["check"], root, repeat, env=no_cache)
    rows.append(("fab check (FAB_NO_CACHE=1)", str(n), t, mem))
    t, mem = median(FAB + ["contribute", "--by", "m00001", "--kind", "wiki", "--hours", "1", "--date", "2026-11-01",
                           "--title", "bench", "--no-commit"], root, repeat,
                    before=lambda: [p.unlink() for p in (root / "ledger/contributions/2026-H2").glob("2026-11-01-m00001-bench*")])
    rows.append(("fab contribute", str(n), t, mem))
    if shutil.which("hledger"):
        t, mem = median(["hledger", "check", "-f", str(out / f"ledger-{n}.journal")], root, repeat)
        rows.append(("hledger check", str(n), t, mem))
    bean = shutil.which("bean-check") or (Path(sys.executable).parent / "bean-check")
    if Path(bean).exists():
        t, mem = median([str(bean), str(out / f"ledger-{n}.beancount")], root, repeat)
        rows.append(("bean-check", str(n), t, mem))
    return rows


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
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    first = args.out / f"ledger-{args.sizes[0]}" if args.sizes else None
    if first is not None:  # untimed: byte-compiles fab's modules, which the first runs would otherwise pay for
        if not first.exists():
            generate(args.sizes[0], args.out)
        for warm_up in (["check"], ["split"], ["report", "--format", "json"]):
            subprocess.run(FAB + warm_up, cwd=first, env=ENV, capture_output=True)
    version, _ = median(FAB + ["--version"], args.out, args.repeat)
    rows = [("fab --version", "-", version, None)]
    for n in args.sizes:
        rows += bench(n, args.out, args.repeat)
    print("| command | records | median (s) | peak memory (MiB) | ratio |")
    print("|---|---:|---:|---:|---|")
    reference = {(n, name): t for name, n, t, _ in rows}
    for name, n, t, mem in rows:
        ratio = ""
        if name.startswith("fab check") and (n, "hledger check") in reference:
            ratio = f"{t / reference[(n, 'hledger check')]:.2f} × hledger check"
        if name.startswith("fab check (cold") and (n, "bean-check") in reference:
            ratio += f"{'; ' if ratio else ''}{t / reference[(n, 'bean-check')]:.2f} × bean-check"
        if name == "fab split (warm)" and (n, "hledger check") in reference:
            ratio = f"{t / reference[(n, 'hledger check')]:.2f} × hledger check"
        if name == "fab contribute" and ("1000", "fab contribute") in reference:
            ratio = f"{t / reference[('1000', 'fab contribute')]:.2f} × at 1 000 records"
        print(f"| {name} | {n} | {t:.3f} | {'' if mem is None else f'{mem / 1024:.0f}'} | {ratio} |")


if __name__ == "__main__":
    main()
