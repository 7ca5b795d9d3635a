"""Generate a synthetic but realistic ledger of N records, and the same facts for hledger and beancount.

    python bench/generate.py N OUT      ->  OUT/ledger-N (a git repository), OUT/ledger-N.journal, OUT/ledger-N.beancount

Members, signatures, contributions (several kinds, some co-authored), donations, uses and reviews
spread over twelve half-years (2021-H1 to 2026-H2), generated from a fixed seed so that every run
measures the same ledger.  Each money or work fact is one transaction in the journal files.
"""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

KINDS = ["wiki", "code", "event", "mentoring", "template", "translation", "review-work", "other"]
PERIODS = [(year, half) for year in range(2021, 2027) for half in (1, 2)]
WORDS = ["covoiturage", "rural", "gtfs", "velo", "cargo", "navette", "tiers-lieux", "autopartage", "borne", "recharge",
         "atelier", "donnees", "mobilite", "solidaire", "logistique", "urbaine", "modele", "diagnostic"]


CHARTER_PATH, CHARTER = "charter.md", "# Charte de réciprocité (bench)\n"
SETTINGS_PATH = "ledger/fabrique.yaml"
SETTINGS = ("name: Bench commons\ncurrency: EUR\nperiod: half-year\ncommons_share: 0.05\nmin_payout: 10.00\ncap: 0.3\n"
            "policy:\n  name: proportional\n")


def day_in(rng: random.Random, year: int, half: int) -> date:
    start = date(year, 1 if half == 1 else 7, 1)
    return start + timedelta(days=rng.randrange(180))


def facts(n: int) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """The N record files of the ledger (path, text), members and signatures first, then the facts in the
    order they were drawn; and the same facts as hledger journal and beancount entries."""
    rng = random.Random(n)
    members = [f"m{i:05d}" for i in range(max(10, n // 200))]
    journal, bean = [], ["option \"operating_currency\" \"EUR\"", "2020-01-01 open Assets:Pool EUR",
                         "2020-01-01 open Income:Donations EUR", "2020-01-01 open Assets:Hours HRS",
                         "2020-01-01 open Equity:Work HRS", "2020-01-01 open Assets:Revenue EUR",
                         "2020-01-01 open Income:Missions EUR", "2020-01-01 open Assets:Reviews PTS",
                         "2020-01-01 open Equity:Reviews PTS"]
    files: list[tuple[str, str]] = []
    written: set[str] = set()

    def write(rel: str, text: str) -> None:
        files.append((rel, text))
        written.add(rel)

    for i, handle in enumerate(members):
        role = "consultant" if i % 3 == 0 else "contributor"
        write(f"ledger/members/{handle}.yaml", f"name: Member {i}\nroles: [{role}]\njoined: 2021-01-0{1 + i % 9}\n"
              f"email: {handle}@example.org\n")
        if role == "consultant":
            write(f"ledger/signatures/{handle}--2021-01-15.yaml", f"member: {handle}\ndate: 2021-01-15\ncharter: {'a' * 64}\n")
    contributions: list[tuple[str, str, list[str]]] = []
    while len(files) < n:
        year, half = PERIODS[rng.randrange(len(PERIODS))]
        period = f"{year}-H{half}"
        day = day_in(rng, year, half)
        roll = rng.random()
        if roll < 0.55 or not contributions:
            authors = rng.sample(members, 2 if rng.random() < 0.1 else 1)
            title = " ".join(rng.sample(WORDS, 3)).capitalize()
            cid = f"{day}-{authors[0]}-{len(files)}"
            hours = rng.choice(["1", "2", "3.5", "6", "8", "12", "0.5"])
            who = authors[0] if len(authors) == 1 else "\n" + "".join(f"- member: {a}\n  share: 0.5\n" for a in authors).rstrip()
            write(f"ledger/contributions/{period}/{cid}.yaml",
                  f"authors: {who}\nkind: {rng.choice(KINDS)}\ntitle: {title}\nhours: {hours}\ndate: {day}\n"
                  f"url: https://wiki.example.org/wiki/{cid}\n")
            contributions.append((cid, period, authors))
            journal.append(f"{day} contribution {cid}\n    assets:hours  {hours} HRS\n    equity:work\n")
            bean.append(f'{day} * "contribution {cid}"\n  Assets:Hours  {hours} HRS\n  Equity:Work\n')
        elif roll < 0.65:
            donor = rng.choice(members)
            amount = f"{rng.randrange(50, 5000)}.{rng.randrange(100):02d}"
            write(f"ledger/donations/{period}/{day}-{donor}-{len(files)}.yaml", f"donor: {donor}\namount: {amount}\ndate: {day}\n")
            journal.append(f"{day} donation {donor}\n    assets:pool  {amount} EUR\n    income:donations\n")
            bean.append(f'{day} * "donation {donor}"\n  Assets:Pool  {amount} EUR\n  Income:Donations\n')
        elif roll < 0.75:
            member = rng.choice(members)
            revenue = f"{rng.randrange(1000, 90000)}.00"
            write(f"ledger/uses/{period}/{day}-{member}-{len(files)}.yaml",
                  f"member: {member}\nresource: 'wiki: {rng.choice(WORDS)}'\ndate: {day}\nmission_revenue: {revenue}\n")
            journal.append(f"{day} use {member}\n    assets:revenue  {revenue} EUR\n    income:missions\n")
            bean.append(f'{day} * "use {member}"\n  Assets:Revenue  {revenue} EUR\n  Income:Missions\n')
        else:
            cid, cperiod, authors = rng.choice(contributions)
            reviewer = rng.choice([m for m in members[:50] if m not in authors])
            rel = f"ledger/reviews/{cperiod}/{cid}--{reviewer}.yaml"
            if rel in written:
                continue
            cyear, chalf = int(cperiod[:4]), int(cperiod[-1])
            score, reviewed = rng.randrange(1, 6), date(cyear, 6 if chalf == 1 else 12, 30)
            write(rel, f"target: {cid}\nreviewer: {reviewer}\nverdict: {'object' if rng.random() < 0.03 else 'approve'}\n"
                       f"score: {score}\ndate: {reviewed}\n")
            journal.append(f"{reviewed} review {cid} by {reviewer}\n    assets:reviews  {score} PTS\n    equity:reviews\n")
            bean.append(f'{reviewed} * "review {cid} by {reviewer}"\n  Assets:Reviews  {score} PTS\n  Equity:Reviews\n')
    return files, journal, bean


def generate(n: int, out: Path) -> Path:
    """The ledger as a git repository of one commit, and the same facts as hledger and beancount files."""
    files, journal, bean = facts(n)
    root = out / f"ledger-{n}"
    write_files(root, [(CHARTER_PATH, CHARTER), (SETTINGS_PATH, SETTINGS), *files])
    (out / f"ledger-{n}.journal").write_text("\n".join(journal), encoding="utf-8")
    (out / f"ledger-{n}.beancount").write_text("\n".join(bean), encoding="utf-8")
    git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", f"bench ledger of {n} records"], check=True)
    return root


def write_files(root: Path, files: list[tuple[str, str]]) -> None:
    folders: set[Path] = set()
    for rel, text in files:
        path = root / rel
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    print(generate(int(sys.argv[1]), Path(sys.argv[2])))
