"""Give the benchmark's ledger a real history: one commit per K records over six years, a closed period
every half-year, a few corrections and renames, and a pull-request branch of 20 records.

    python bench/history.py N OUT [--per-commit K]   ->  OUT/history-N (a git repository, branches main and pr)

The records are bench/generate.py's (the same facts, so hledger and beancount read the same journal
files), committed in the order of their dates by the member they name, K at a time, through
``git fast-import`` (thousands of commits a second).  After the last commit of each half-year but the
current one, ``fab close`` seals it, as a community would after its collective review (FAB_TODAY is
the first day of the next period).  Every 400th commit is followed by a correction (the title of a
contribution of the open period, edited) and every 1000th by a rename (an unreviewed contribution of
the open period given a new id): the history ``fab log`` and ``fab verify`` follow.  Branch ``pr`` adds
20 contributions to the current period on top of ``main``, in four commits: ``fab diff main pr``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import CHARTER, CHARTER_PATH, PERIODS, SETTINGS, SETTINGS_PATH, facts  # noqa: E402

FAB = [sys.executable, "-m", "fabrique_ledger"]
DAY = re.compile(r"^(?:date|joined): (\d{4}-\d{2}-\d{2})$", re.M)
HANDLE = re.compile(r"m\d{5}")


class Importer:
    """One ``git fast-import`` stream: commits of whole files, on a branch."""

    def __init__(self, root: Path, branch: str, parent: str | None) -> None:
        self.root, self.branch, self.parent = root, branch, parent
        self.chunks: list[bytes] = []

    def commit(self, when: date, who: str, message: str, files: list[tuple[str, str]],
               renames: list[tuple[str, str]] = ()) -> None:
        stamp = int(datetime(when.year, when.month, when.day, 12, tzinfo=timezone.utc).timestamp())
        number = int(who[1:]) if HANDLE.fullmatch(who) else 0
        person = f"Member {number} <{who}@example.org> {stamp} +0000" if HANDLE.fullmatch(who) else f"bench <bench@example.org> {stamp} +0000"
        text = message.encode()
        out = [f"commit refs/heads/{self.branch}\nauthor {person}\ncommitter {person}\ndata {len(text)}\n".encode(), text, b"\n"]
        if self.parent is not None:
            out.append(f"from {self.parent}\n".encode())
            self.parent = None
        for old, new in renames:
            out.append(f'R "{old}" "{new}"\n'.encode())
        for rel, body in files:
            data = body.encode()
            out.append(f"M 100644 inline {rel}\ndata {len(data)}\n".encode() + data + b"\n")
        self.chunks.append(b"".join(out))

    def run(self) -> None:
        """Feed the stream to git, then bring the working tree and index to the branch's new commit."""
        subprocess.run(["git", "-C", str(self.root), "fast-import", "--quiet", "--date-format=raw"],
                       input=b"\n".join(self.chunks), check=True)
        self.chunks = []
        self.parent = f"refs/heads/{self.branch}^0"


def _period(day: date) -> tuple[int, int]:
    return day.year, 1 if day.month <= 6 else 2


def _dated(files: list[tuple[str, str]]) -> list[tuple[date, str, str]]:
    """(date, path, text) in the order of the dates (stable: the generator's order within a day)."""
    dated = [(date.fromisoformat(DAY.search(text).group(1)), rel, text) for rel, text in files]
    return sorted(dated, key=lambda d: d[0])


def _author(rel: str, text: str) -> str:
    found = HANDLE.search(rel.rsplit("/", 1)[-1]) or HANDLE.search(text)
    return found.group(0) if found else "bench"


def _batches(records: list[tuple[date, str, str]], per_commit: int) -> Iterator[tuple[tuple[int, int], list]]:
    """Runs of at most K records of one half-year, one author's first, in date order."""
    batch: list = []
    for record in records:
        if batch and (len(batch) == per_commit or _period(batch[0][0]) != _period(record[0])):
            yield _period(batch[0][0]), batch
            batch = []
        batch.append(record)
    if batch:
        yield _period(batch[0][0]), batch


def history(n: int, out: Path, per_commit: int = 5) -> Path:
    files, _journal, _bean = facts(n)
    root = out / f"history-{n}"
    root.mkdir(parents=True, exist_ok=True)
    git = ["git", "-C", str(root)]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    for key, value in (("user.name", "bench"), ("user.email", "bench@example.org")):
        subprocess.run([*git, "config", key, value], check=True)
    reviewed = {m.group(1) for rel, text in files if rel.startswith("ledger/reviews/")
                for m in [re.search(r"^target: (\S+)$", text, re.M)] if m}
    importer = Importer(root, "main", None)
    importer.commit(date(2021, 1, 1), "bench", "The commons opens its ledger", [(CHARTER_PATH, CHARTER), (SETTINGS_PATH, SETTINGS)])
    current, count, open_contributions, previous = PERIODS[-1], 0, {}, None
    for period, batch in _batches(_dated(files), per_commit):
        if previous is not None and period != previous:
            for ended in _halves(previous, period):  # periods are closed in order, those without records too
                _close(root, importer, *ended, current)
            open_contributions = {}
        previous = period
        importer.commit(max(d for d, _, _ in batch), _author(batch[0][1], batch[0][2]),
                        f"Record {len(batch)} facts of {batch[0][0]}", [(rel, text) for _, rel, text in batch])
        count += 1
        open_contributions.update({rel: (day, text) for day, rel, text in batch if rel.startswith("ledger/contributions/")})
        _correct(importer, count, open_contributions, reviewed)
    importer.run()
    subprocess.run([*git, "reset", "-q", "--hard"], check=True)
    _pull_request(root, files)
    return root


def _correct(importer: Importer, count: int, open_contributions: dict, reviewed: set[str]) -> None:
    """Every 400th commit, a title corrected; every 1000th, a contribution renamed (never a reviewed one)."""
    if count % 400 == 0 and open_contributions:
        rel, (day, text) = next(iter(open_contributions.items()))
        text = re.sub(r"^title: (.*)$", r"title: \1 (corrected)", text, count=1, flags=re.M)
        open_contributions[rel] = (day, text)
        importer.commit(day, _author(rel, text), "Correct a title", [(rel, text)])
    if count % 1000 == 0:
        for rel, (day, text) in list(open_contributions.items())[::-1]:
            stem = rel.rsplit("/", 1)[-1].removesuffix(".yaml")
            if stem not in reviewed and not stem.endswith("-renamed"):
                new = rel.replace(f"{stem}.yaml", f"{stem}-renamed.yaml")
                importer.commit(day, _author(rel, text), "Rename a contribution", [], [(rel, new)])
                del open_contributions[rel]
                open_contributions[new] = (day, text)
                break


def _halves(first: tuple[int, int], stop: tuple[int, int]) -> Iterator[tuple[int, int]]:
    """The half-years from ``first`` up to ``stop`` (excluded)."""
    while first < stop:
        yield first
        first = (first[0], 2) if first[1] == 1 else (first[0] + 1, 1)


def _close(root: Path, importer: Importer, year: int, half: int, current: tuple[int, int]) -> None:
    """Seal the half-year with fab close, the day after it ends (not the current one, still open)."""
    if (year, half) == current:
        return
    importer.run()
    subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard"], check=True)
    today = date(year, 7, 1) if half == 1 else date(year + 1, 1, 1)
    env = {**os.environ, "FAB_TODAY": str(today), "FAB_LANG": "en"}
    subprocess.run([*FAB, "close", f"{year}-H{half}", "--yes"], cwd=root, env=env, check=True, capture_output=True)


def _pull_request(root: Path, files: list[tuple[str, str]]) -> None:
    """Branch pr: 20 new contributions of the current period, in four commits, on top of main."""
    members = [rel.rsplit("/", 1)[-1].removesuffix(".yaml") for rel, _ in files if rel.startswith("ledger/members/")]
    importer = Importer(root, "pr", "refs/heads/main^0")
    for i in range(4):
        batch = []
        for j in range(5):
            handle, day = members[(5 * i + j) * 7 % len(members)], date(2026, 12, 1 + 5 * i + j)
            cid = f"{day}-{handle}-pr{5 * i + j}"
            batch.append((f"ledger/contributions/2026-H2/{cid}.yaml",
                          f"authors: {handle}\nkind: code\ntitle: Pull request work {5 * i + j}\nhours: 2\ndate: {day}\n"))
        importer.commit(date(2026, 12, 5 + 5 * i), _author(batch[0][0], ""), f"Pull request, part {i + 1}", batch)
    importer.run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-commit", type=int, default=5)
    args = parser.parse_args()
    print(history(args.n, args.out, args.per_commit))


if __name__ == "__main__":
    main()
