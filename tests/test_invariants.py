"""The money never contradicts itself (issue 12, docs/guarantees.md): random sequences of ordinary
commands, driven through the CLI on a real git ledger, and after every step the invariants checked
the way one tests a database.

The commands: member add (also --no-commit), sign, contribute (also --no-commit), donate, use, review and
review again (also after a close), request, allocate, close with a random policy and parameters (also with
--include-uncommitted), reopen, mark paid, an edit of the settings by hand, an edit of a member file by hand
(committed or not), time passing, and fab diff between two random steps.  After every step:

- a write fab made leaves ``fab check`` clean, or it was refused and changed nothing (files, index, HEAD);
- ``fab check`` and ``fab verify`` agree: both clean;
- a closed period's ``fab split``, ``fab report`` and ``fab payouts`` show its seal's amounts;
- every split and seal adds up: payouts + carried over = distributable = pool − commons; each seal takes
  in what the sealed period before it carried over;
- nobody is sealed less than they were paid.

fab diff between any two commits reports, for every period whose split differs between them (and every
period the change touches), exactly the difference of the two splits, as fab split shows them.

The default run tries a few short sequences; ``pytest tests/test_invariants.py --hypothesis-profile=deep``
tries many long ones (see tests/conftest.py).
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from ruamel.yaml import YAML

from conftest import Fab, git, isolate

MEMBERS = ("alice", "bruno", "chloe", "david")
NEWCOMERS = ("emma", "farid")
JOINED = date(2026, 1, 5)
START = date(2026, 7, 10)
END = date(2027, 12, 20)
KINDS = ("wiki", "code", "event", "mentoring")
POLICIES = (None, "proportional", "equal", "hybrid", "requests", "peer", "recent", "balanced")
PARAMS = {"hybrid": "alpha", "recent": "discount"}
SETTINGS_EDITS = (
    ("weights", "weights: {}", "weights: {code: 2}"),
    ("min_payout", "min_payout: 0", "min_payout: 50"),
    ("cap", "cap: 1", "cap: 0.6"),
    ("commons_share", "commons_share: 0", "commons_share: 0.1"),
    ("currency", "currency: EUR", "currency: USD"),
)
ZERO = Decimal(0)
_yaml = YAML(typ="safe")


def _profile() -> settings:
    deep = settings.get_current_profile_name() == "deep"
    return settings(max_examples=200 if deep else 4, stateful_step_count=40 if deep else 12, deadline=None,
                    suppress_health_check=list(HealthCheck), derandomize=not deep)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A ledger with four members, built once through the CLI and copied for each sequence."""
    with pytest.MonkeyPatch.context() as env:
        isolate(env, tmp_path_factory.mktemp("home"))
        env.setenv("FAB_TODAY", "2026-01-10")
        root = tmp_path_factory.mktemp("template") / "fabrique"
        fab = Fab(root)
        assert fab("init", str(root)).code == 0
        for handle, role in zip(MEMBERS, ("contributor", "consultant", "contributor", "contributor")):
            result = fab("member", "add", handle, "--name", handle.title(), "--role", role, "--joined", str(JOINED))
            assert result.code == 0, result.err
        yield root


def _load(path: Path) -> dict:
    return _yaml.load(path.read_text("utf-8"))


def _periods_of(names: list[str]) -> set[str]:
    """Period ids of a ledger from its file names (ledger/<kind>/<period>/... and ledger/periods/<period>.yaml)."""
    found = set()
    for name in names:
        parts = name.split("/")
        if len(parts) == 4 and parts[0] == "ledger":
            found.add(parts[2])
        elif len(parts) == 3 and parts[1] == "periods":
            found.add(parts[2].removesuffix(".yaml"))
    return {p for p in found if re.fullmatch(r"\d{4}-H[12]", p)}


def _half(day: date) -> str:
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


def _end(period: str) -> date:
    year, half = int(period[:4]), period[-1]
    return date(year, 6, 30) if half == "1" else date(year, 12, 31)


class LedgerMachine(RuleBasedStateMachine):
    """One community's ledger, driven by random ordinary commands."""

    template: Path
    workdir: Path
    runs = itertools.count()

    def __init__(self) -> None:
        super().__init__()
        self.root = self.workdir / f"run-{next(self.runs)}"
        shutil.copytree(self.template, self.root, symlinks=True)
        self.fab = Fab(self.root)
        self.members = list(MEMBERS)
        self.today = START
        os.environ["FAB_TODAY"] = str(self.today)
        self.commits = [self.fab.head()]
        self.payees = self.workdir / "payees.yaml"
        self.payees.write_text("payees:\n  alice:\n    name: Alice\n    iban: FR1420041010050500013M02606\n")

    @initialize(with_records=st.booleans())
    def start(self, with_records):
        """Half the sequences start from a first half-year with a donation, two contributions and a review."""
        if with_records:
            for step in (("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01"),
                         ("contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage", "--hours", "8", "--date", "2026-02-02"),
                         ("contribute", "--by", "chloe", "--kind", "code", "--title", "GTFS", "--hours", "2", "--date", "2026-02-03"),
                         ("review", "2026-02-02-alice-covoiturage", "--by", "david", "--approve", "--score", "4", "--date", "2026-03-01")):
                assert self.write(*step), step

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    # --- helpers ---------------------------------------------------------------------------------

    def day(self, back: int) -> str:
        return str(max(self.today - timedelta(days=back), JOINED))

    def files(self, folder: str) -> list[Path]:
        return sorted((self.root / "ledger" / folder).rglob("*.yaml"))

    def ids(self, *folders: str) -> list[str]:
        return [p.stem for folder in folders for p in self.files(folder)]

    def seals(self) -> dict[str, dict]:
        """The seals of closed (not reopened) periods, read with a plain YAML loader."""
        found = {p.stem: _load(p) for p in self.files("periods")}
        return {period: data for period, data in found.items() if not data.get("reopened")}

    def write(self, *args: str) -> bool:
        """Run a write command: it succeeds, or it is refused with nothing changed."""
        before = self.fab.state()
        result = self.fab(*args)
        assert "Traceback" not in result.err
        if result.code != 0:
            assert result.code in (1, 2), (args, result)
            assert result.err.startswith("error: "), (args, result.err)
            assert self.fab.state() == before, (args, "a refused write changed the ledger", result.err)
            return False
        head = self.fab.head()
        if head != self.commits[-1]:
            self.commits.append(head)
        return True

    # --- the commands ------------------------------------------------------------------------------

    @rule(data=st.data(), no_commit=st.booleans())
    def member_add(self, data, no_commit):
        """A newcomer, committed or not: a record naming one not committed is refused until it is (or
        written with --no-commit too), and a close commits the member file with --include-uncommitted."""
        free = [h for h in NEWCOMERS if h not in self.members]
        if not free:
            return
        handle = data.draw(st.sampled_from(free))
        if self.write("member", "add", handle, "--name", handle.title(), "--role", "consultant", "--joined", str(JOINED),
                      *(("--no-commit",) if no_commit else ())):
            self.members.append(handle)

    @rule(data=st.data(), commit=st.booleans())
    def edit_member(self, data, commit):
        """A member opts out of payouts, or back in, by hand in their member file, and runs fab check; committed
        or left in the working tree (then fab close refuses it, or commits it with --include-uncommitted)."""
        handle = data.draw(st.sampled_from(self.members))
        path = self.root / "ledger/members" / f"{handle}.yaml"
        text = path.read_text()
        path.write_text(text.replace("receives: false\n", "") if "receives: false\n" in text else text + "receives: false\n")
        if self.fab("check").code != 0:  # (an opt-out beside their own request: check says so, the edit is undone)
            path.write_text(text)
            return
        if commit and self.fab.git("status", "--porcelain", "--", str(path.relative_to(self.root))).startswith(" M"):
            self.fab.git("commit", "-q", "-m", f"{handle}: receives", "--", str(path.relative_to(self.root)))
            self.commits.append(self.fab.head())

    @rule(data=st.data(), back=st.integers(0, 200))
    def sign(self, data, back):
        self.write("sign", data.draw(st.sampled_from(self.members)), "--date", self.day(back))

    @rule(data=st.data(), back=st.integers(0, 240), hours=st.integers(1, 20), kind=st.sampled_from(KINDS),
          shared=st.booleans(), no_commit=st.booleans())
    def contribute(self, data, back, hours, kind, shared, no_commit):
        first = data.draw(st.sampled_from(self.members))
        authors = ["--by", first]
        if shared:
            second = data.draw(st.sampled_from([m for m in self.members if m != first]))
            authors = ["--by", f"{first}:0.5", "--by", f"{second}:0.5"]
        self.write("contribute", *authors, "--kind", kind, "--title", f"Work {next(self.runs)}", "--hours", str(hours),
                   "--date", self.day(back), *(("--no-commit",) if no_commit else ()))

    @rule(data=st.data(), back=st.integers(0, 240), amount=st.integers(1, 3000), no_commit=st.booleans())
    def donate(self, data, back, amount, no_commit):
        self.write("donate", "--by", data.draw(st.sampled_from(self.members)), "--amount", str(amount), "--date",
                   self.day(back), *(("--no-commit",) if no_commit else ()))

    @rule(data=st.data(), back=st.integers(0, 200))
    def use(self, data, back):
        self.write("use", "--by", data.draw(st.sampled_from(self.members)), "--resource", "wiki: Covoiturage",
                   "--mission-revenue", "10000", "--date", self.day(back))

    @rule(data=st.data(), back=st.integers(0, 240), verdict=st.sampled_from(["--approve", "--object"]),
          score=st.none() | st.integers(1, 5))
    def review(self, data, back, verdict, score):
        targets = self.ids("contributions", "requests")
        if not targets:
            return
        target = data.draw(st.sampled_from(targets))
        self.write("review", target, "--by", data.draw(st.sampled_from(self.members)), verdict, "--date", self.day(back),
                   *(("--score", str(score)) if score is not None and verdict == "--approve" else ()))

    @rule(data=st.data(), back=st.sampled_from([0, 2, 30, 90]), verdict=st.sampled_from(["--approve", "--object"]))
    def review_again(self, data, back, verdict):
        """A reviewer changes their mind (how an objection is lifted), before or after a close."""
        reviews = self.files("reviews")
        if reviews:
            old = _load(data.draw(st.sampled_from(reviews)))
            self.write("review", old["target"], "--by", old["reviewer"], verdict, "--date", self.day(back))

    @rule(data=st.data(), back=st.integers(0, 200), amount=st.integers(10, 2000))
    def request(self, data, back, amount):
        self.write("request", "--by", data.draw(st.sampled_from(self.members)), "--amount", str(amount), "--date", self.day(back))

    @rule(data=st.data(), previous=st.booleans(), points=st.integers(1, 100))
    def allocate(self, data, previous, points):
        giver = data.draw(st.sampled_from(self.members))
        to = data.draw(st.sampled_from([m for m in self.members if m != giver]))
        period = _half(self.today - timedelta(days=183)) if previous else _half(self.today)
        self.write("allocate", "--by", giver, f"{to}={points}", "--period", period)

    @rule(data=st.data(), policy=st.sampled_from(POLICIES), value=st.sampled_from(["0", "0.3", "1"]),
          include=st.booleans())
    def close(self, data, policy, value, include):
        ended = [p for p in sorted(_periods_of([str(f.relative_to(self.root)) for f in self.files("")])) if _end(p) < self.today]
        if not ended:
            return
        period = data.draw(st.sampled_from(ended))
        options = [*(("--policy", policy) if policy else ()), *(("--param", f"{PARAMS[policy]}={value}") if policy in PARAMS else ()),
                   *(("--include-uncommitted",) if include else ())]
        self.write("close", period, "--yes", *options)

    @rule(data=st.data())
    def reopen(self, data):
        sealed = sorted(self.seals())
        if sealed:
            self.write("close", "--reopen", data.draw(st.sampled_from(sealed)), "--reason", "a correction")

    @rule(data=st.data(), some=st.booleans())
    def mark_paid(self, data, some):
        seals = self.seals()
        if not seals:
            return
        period = data.draw(st.sampled_from(sorted(seals)))
        members = sorted(seals[period].get("payouts") or {})
        chosen = ["--member", data.draw(st.sampled_from(members))] if some and members else []
        self.write("payouts", period, "--mark-paid", f"VIR-{next(self.runs)}", *chosen)

    @rule(edit=st.sampled_from(SETTINGS_EDITS), back=st.booleans())
    def edit_settings(self, edit, back):
        """A treasurer edits ledger/fabrique.yaml by hand and runs fab check before committing."""
        name, old, new = edit
        path = self.root / "ledger/fabrique.yaml"
        text = path.read_text()
        before, after = (new, old) if back else (old, new)
        line = re.compile(rf"^{re.escape(before)}$", re.MULTILINE)
        if not line.search(text):
            return
        path.write_text(line.sub(after, text))
        result = self.fab("check", "--format", "json")
        problems = result.json()["problems"]
        if name == "currency" and self.seals():
            # a sealed period keeps its currency: check says so, and the treasurer puts it back
            assert result.code == 1 and any(p["code"] == "seal" and p["path"] == "ledger/fabrique.yaml" for p in problems), problems
            self.fab.git("checkout", "--", "ledger/fabrique.yaml")
            return
        assert result.code == 0, problems
        self.fab.git("commit", "-q", "-m", f"settings: {name}", "--", "ledger/fabrique.yaml")
        self.commits.append(self.fab.head())

    @rule(days=st.integers(20, 150))
    def time_passes(self, days):
        self.today = min(self.today + timedelta(days=days), END)
        os.environ["FAB_TODAY"] = str(self.today)

    @rule(data=st.data())
    def diff_between_two_steps(self, data):
        """fab diff A B reports, for every period whose split differs (or that the change touches), the
        difference of the splits fab split shows at A and at B."""
        if len(self.commits) < 2:
            return
        base, head = data.draw(st.sampled_from(self.commits)), data.draw(st.sampled_from(self.commits))
        result = self.fab("diff", base, head, "--format", "json")
        assert result.code in (0, 1), result.err
        listed = {s["period"]: s for s in result.json()["splits"]}
        names = {rev: git(self.root, "ls-tree", "-r", "--name-only", rev, "ledger").split() for rev in (base, head)}
        touched = _periods_of(git(self.root, "diff", "--name-only", base, head, "--", "ledger").split())
        for period in sorted(_periods_of(names[base]) | _periods_of(names[head])):
            before, after = (self.fab("split", "--period", period, "--at", rev, "--format", "json").json() for rev in (base, head))
            old, new = ({p["member"]: p["amount"] for p in s["payouts"]} for s in (before, after))
            changed = {m: (old.get(m, "0.00"), new.get(m, "0.00")) for m in {*old, *new} if old.get(m) != new.get(m)}
            if changed or before["carried_over"] != after["carried_over"] or period in touched:
                assert period in listed, (period, changed, sorted(listed))
            if period in listed:
                effect = listed[period]
                assert {p["member"]: (p["before"], p["after"]) for p in effect["payouts"]} == changed, (period, effect, changed)
                assert (effect["before"], effect["after"]) == tuple("sealed" if s["status"] == "sealed" else "open" for s in (before, after))
                assert (effect["carried_over"]["before"], effect["carried_over"]["after"]) == (before["carried_over"], after["carried_over"])

    # --- the invariants ------------------------------------------------------------------------------

    @invariant()
    def the_ledger_never_contradicts_itself(self):
        check = self.fab("check", "--format", "json")
        assert check.code == 0, check.json()["problems"]
        verify = self.fab("verify", "--format", "json")
        assert verify.code == 0 and verify.json()["errors"] == 0, [f for f in verify.json()["findings"] if f["severity"] == "error"]
        seals, paid = self.seals(), self._paid()
        periods = _periods_of([str(f.relative_to(self.root)) for f in self.files("")])
        for period in sorted(periods):
            split = self.fab("split", "--period", period, "--format", "json").json()
            payouts = {p["member"]: Decimal(p["amount"]) for p in split["payouts"]}
            distributable = Decimal(split["distributable"])
            assert sum(payouts.values(), ZERO) + Decimal(split["carried_over"]) == distributable
            assert Decimal(split["pool"]) - Decimal(split["commons"]) == distributable
            assert all(a > 0 for a in payouts.values())
            seal = seals.get(period)
            if seal is None:
                assert split["status"] == "open"
                continue
            self._shows_the_seal(period, seal, split, payouts, paid)

    def _shows_the_seal(self, period: str, seal: dict, split: dict, payouts: dict, paid: dict) -> None:
        sealed = {m: Decimal(str(a)) for m, a in (seal.get("payouts") or {}).items()}
        assert split["status"] == "sealed" and payouts == sealed
        assert (Decimal(split["carried_over"]), Decimal(split["distributable"]), Decimal(split["pool"])) == (
            Decimal(str(seal["carried_over"])), Decimal(str(seal["distributable"])), Decimal(str(seal["pool"])))
        assert sum(sealed.values(), ZERO) + Decimal(str(seal["carried_over"])) == Decimal(str(seal["distributable"]))
        previous = self.seals().get(f"{period[:4]}-H1" if period.endswith("H2") else f"{int(period[:4]) - 1}-H2")
        assert Decimal(str(seal["carried_in"])) == (Decimal(str(previous["carried_over"])) if previous else ZERO)
        report = self.fab("report", "--period", period, "--format", "json").json()
        assert report["closed"] and report["split"] == split
        for member, amount in paid.get(period, {}).items():
            assert amount <= sealed.get(member, ZERO), (period, member, amount, sealed)
        rows = csv.DictReader(io.StringIO(self.fab("payouts", period, "--payees", str(self.payees)).out))
        owed = {r["member"]: Decimal(r["amount"]) for r in rows}
        assert owed == {m: a - paid.get(period, {}).get(m, ZERO) for m, a in sealed.items()
                        if a > paid.get(period, {}).get(m, ZERO)}

    def _paid(self) -> dict[str, dict[str, Decimal]]:
        paid: dict[str, dict[str, Decimal]] = {}
        for path in self.files("payments"):
            data = _load(path)
            for member, amount in data["paid"].items():
                mine = paid.setdefault(data["period"], {})
                mine[member] = mine.get(member, ZERO) + Decimal(str(amount))
        return paid


def test_ordinary_commands_never_contradict_the_seals(template, tmp_path):
    LedgerMachine.template, LedgerMachine.workdir = template, tmp_path
    run_state_machine_as_test(LedgerMachine, settings=_profile())
