"""fab split on real ledgers: values from records, pool, commons share, what-ifs, bad input.

The policies' own math is tested in test_split_math.py; here the numbers come from YAML files
written by the write commands, and every expected amount is worked out by hand in a comment.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, replay
from fabrique_ledger.ledger import Ledger
from fabrique_ledger.periods import Period
from fabrique_ledger.records import Contribution, Donation, Member, Source
from fabrique_ledger.render.split import as_json
from fabrique_ledger.settings import Settings
from fabrique_ledger.split.period import split_period
from fabrique_ledger.split.view import as_data
from fabrique_ledger.store.inventory import read_ledger


def _setup(fab, *, settings: str = ""):
    """gael (opted out of payouts), a donation and three contributions in 2026-H1; without ``settings``,
    built once and copied for each test (see conftest.replay)."""
    if settings:
        path = fab.root / "ledger/fabrique.yaml"
        path.write_text(path.read_text() + settings)
        _setup_steps(fab, None)
    else:
        replay(fab, "split-setup", _setup_steps)


def _setup_steps(fab, env) -> None:
    fab("member", "add", "gael", "--name", "Gaël", "--no-receive", "--joined", "2026-01-05")
    fab("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01")
    fab("contribute", "--by", "alice", "--kind", "wiki", "--title", "A", "--hours", "6", "--date", "2026-02-02", "--id", "a")
    fab("contribute", "--by", "chloe:0.5", "--by", "alice:0.5", "--kind", "code", "--title", "C", "--hours", "4", "--date", "2026-02-03", "--id", "c")
    fab("contribute", "--by", "gael", "--kind", "event", "--title", "G", "--hours", "10", "--date", "2026-02-04", "--id", "g")


def _split(fab, *args):
    result = fab("split", "--period", "2026-H1", "--format", "json", *args)
    assert result.code == 0, result.err
    return result.json()


def test_proportional_with_co_authors_and_opt_out(fab):
    _setup(fab)
    data = _split(fab)
    # alice: 6 + 4 × 0.5 = 8; chloe: 4 × 0.5 = 2; gael opted out. 1000 × 8/10 = 800, × 2/10 = 200
    assert data["payouts"] == [
        {"member": "alice", "amount": "800.00", "share": "0.8", "score": "8"},
        {"member": "chloe", "amount": "200.00", "share": "0.2", "score": "2"},
    ]
    assert (data["pool"], data["commons"], data["distributable"], data["carried_over"]) == ("1000.00", "0.00", "1000.00", "0.00")


def test_weights_review_factor_and_objection(fab):
    _setup(fab, settings="")
    path = fab.root / "ledger/fabrique.yaml"
    path.write_text(path.read_text().replace("weights: {}", "weights:\n  code: 2"))
    assert fab("review", "a", "--by", "bruno", "--approve", "--score", "5", "--date", "2026-03-01").code == 0
    # alice: a = 6 × 1 × 5/3 = 10, c = 4 × 2 × 1 × 0.5 = 4 -> 14; chloe: c -> 4. 1000 × 14/18 = 777.777.., 222.222..
    # floors 777.77 + 222.22 = 999.99, the cent goes to the larger remainder (alice .777 > chloe .222)
    assert [p["amount"] for p in _split(fab)["payouts"]] == ["777.78", "222.22"]
    assert fab("review", "c", "--by", "bruno", "--object", "--comment", "duplicate", "--date", "2026-03-02").code == 0
    # c counts 0 while bruno objects: alice 10, chloe 0 -> alice takes everything
    data = _split(fab, "--explain")
    assert [(p["member"], p["amount"]) for p in data["payouts"]] == [("alice", "1000.00")]
    chloe = next(p for p in data["explain"] if p["member"] == "chloe")
    assert chloe["why"] == ["objection: counts 0 until lifted"] and chloe["paid"] == "0.00"
    # bruno lifts his objection: his new review replaces the old one, in the same file
    result = fab("review", "c", "--by", "bruno", "--approve", "--date", "2026-03-03")
    assert result.code == 0 and len(list((fab.root / "ledger/reviews").rglob("c--bruno.yaml"))) == 1
    assert [p["amount"] for p in _split(fab)["payouts"]] == ["777.78", "222.22"]


def test_commons_share_cap_and_min_payout_from_settings_and_params(fab):
    _setup(fab)
    # commons 10 % of 1000 = 100; distributable 900: alice 720, chloe 180
    data = _split(fab, "--param", "commons_share=0.1")
    assert (data["commons"], data["distributable"]) == ("100.00", "900.00")
    assert [p["amount"] for p in data["payouts"]] == ["720.00", "180.00"]
    # cap 0.6: alice held at 600, the excess 200 has no one below the cap to take it except chloe (400 <= 600)
    data = _split(fab, "--param", "cap=0.6")
    assert [p["amount"] for p in data["payouts"]] == ["600.00", "400.00"]
    # min_payout 250: chloe's 200 is carried over
    data = _split(fab, "--param", "min_payout=250")
    assert [p["member"] for p in data["payouts"]] == ["alice"] and data["carried_over"] == "200.00"


def test_hybrid_and_equal_what_if(fab):
    _setup(fab)
    # hybrid alpha 0.5: 500 equally (250 each), 500 proportionally (400 / 100) -> 650 / 350
    assert [p["amount"] for p in _split(fab, "--policy", "hybrid", "--param", "alpha=0.5")["payouts"]] == ["650.00", "350.00"]
    assert [p["amount"] for p in _split(fab, "--policy", "equal")["payouts"]] == ["500.00", "500.00"]
    data = _split(fab, "--policy", "hybrid", "--param", "alpha=0.3")
    assert data["policy"] == {"name": "hybrid", "fraction": "1", "alpha": "0.3"}


def test_requests_need_approval(fab):
    _setup(fab)
    assert fab("request", "--by", "chloe", "--amount", "300", "--justification", "c", "--date", "2026-03-01").code == 0
    assert _split(fab, "--policy", "requests")["payouts"] == []
    assert fab("review", "2026-h1-chloe", "--by", "alice", "--approve", "--date", "2026-03-02").code == 0
    data = _split(fab, "--policy", "requests")
    # 300 fits in 1000: chloe gets what she asked, 700 carried over
    assert [(p["member"], p["amount"]) for p in data["payouts"]] == [("chloe", "300.00")] and data["carried_over"] == "700.00"


def test_peer_points(fab):
    _setup(fab)
    assert fab("allocate", "--by", "alice", "chloe=30", "--period", "2026-H1").code == 0
    assert fab("allocate", "--by", "chloe", "alice=90", "--period", "2026-H1").code == 0
    # alice 90, chloe 30 points -> 750 / 250
    assert [p["amount"] for p in _split(fab, "--policy", "peer")["payouts"]] == ["750.00", "250.00"]


def test_no_donations_or_no_contributions_carry_everything(fab):
    data = _split(fab)
    assert data["payouts"] == [] and data["distributable"] == "0.00"
    fab("donate", "--by", "bruno", "--amount", "50", "--date", "2026-02-01")
    data = _split(fab)
    assert data["payouts"] == [] and data["carried_over"] == "50.00"
    assert "no one has a score in 2026-H1" in " ".join(data["warnings"])


@pytest.mark.parametrize("args, message", [
    (("--policy", "lottery"), "Input should be 'proportional'"),
    (("--policy", "hybrid", "--param", "alpha=3"), "'alpha' of policy 'hybrid' must be between 0 and 1"),
    (("--policy", "recent", "--param", "discount=-0.5"), "'discount' of policy 'recent' must be between 0 and 1"),
    (("--param", "cap=0"), "cap must be more than 0 and at most 1"),
    (("--param", "min_payout=-1"), "min_payout cannot be negative"),
    (("--param", "speed=2"), "unknown parameter 'speed'"),
    (("--param", "alpha"), "is not KEY=VALUE"),
    (("--policy", "equal", "--param", "alpha=0.2"), "policy 'equal' has no parameter 'alpha'"),
    (("--period", "2026-S1"), "is not a period id"),
    (("--format", "pdf"), "'pdf' is not one of 'text', 'json', 'csv',"),
])
def test_bad_split_options_are_usage_errors(fab, args, message):
    result = fab("split", *args)
    assert result.code == 2 and message in result.err, result.err


@pytest.mark.parametrize("args, message", [
    (("allocate", "--by", "alice", "alice=10", "--period", "2026-H1"), "alice gives points to themselves"),
    (("allocate", "--by", "alice", "chloe=101", "--period", "2026-H1"), "alice gives 101 points; at most 100"),
    (("allocate", "--by", "alice", "nobody=10", "--period", "2026-H1"), "POINTS: 'nobody' is not a member"),
    (("request", "--by", "gael", "--amount", "100", "--date", "2026-03-01"), "opted out of payouts"),
    (("review", "nothing", "--by", "bruno", "--approve", "--date", "2026-03-01"), "neither a contribution nor a request"),
    (("review", "c", "--by", "chloe", "--approve", "--date", "2026-03-01"), "chloe reviews 'c', which they (co-)authored"),
    (("review", "a", "--by", "alice", "--approve", "--date", "2026-03-01"), "alice reviews 'a', which they (co-)authored"),
])
def test_refused_inputs_write_nothing(fab, args, message):
    _setup(fab)
    before = fab.state()
    result = fab(*args)
    assert result.code == 1 and message in result.err, result.err
    assert fab.state() == before


@pytest.mark.parametrize("args", [("review", "a", "--by", "bruno"), ("review", "a", "--by", "bruno", "--approve", "--object"),
                                  ("review", "a", "--by", "bruno", "--approve", "--score", "6")])
def test_review_usage_errors(fab, args):
    _setup(fab)
    assert fab(*args).code == 2


def test_split_on_the_shipped_ledger_for_every_policy():
    """The sample ledger: every policy gives payouts that add up with the carry-over."""
    ledger = read_ledger(REPO)
    from fabrique_ledger.settings import with_overrides

    for name in ("proportional", "equal", "hybrid", "requests", "peer", "recent", "balanced"):
        for period in ("2026-H1", "2026-H2"):
            split = split_period(ledger, Period.parse(period), with_overrides(ledger.settings, name, {}))
            data = json.loads(as_json(as_data(split)))
            paid = sum(Decimal(p["amount"]) for p in data["payouts"])
            assert paid + Decimal(data["carried_over"]) == Decimal(data["distributable"]), (name, period)
            assert paid == Decimal(data["paid"])


# --- properties on generated ledgers -------------------------------------------------------------

HANDLES = ["ana", "ben", "cy", "dee", "eve"]


@st.composite
def ledgers(draw):
    members = [Member(id=h, source=Source(f"ledger/members/{h}.yaml"), name=h, roles=("contributor",),
                      joined="2026-01-01", receives=draw(st.booleans()) or h == "ana") for h in HANDLES]
    records = list(members)
    for i in range(draw(st.integers(0, 12))):
        author = draw(st.sampled_from(HANDLES))
        month = draw(st.integers(1, 12))
        records.append(Contribution(
            id=f"c{i}", source=Source(f"ledger/contributions/2026-H{1 + (month > 6)}/c{i}.yaml"),
            authors=author, kind=draw(st.sampled_from(["wiki", "code", "event"])), title="t",
            hours=draw(st.decimals(min_value=Decimal("0.25"), max_value=Decimal(80), places=2)),
            date=f"2026-{month:02d}-10"))
    for i in range(draw(st.integers(0, 4))):
        month = draw(st.integers(1, 12))
        records.append(Donation(
            id=f"d{i}", source=Source(f"ledger/donations/2026-H{1 + (month > 6)}/d{i}.yaml"),
            donor=draw(st.sampled_from(HANDLES)), date=f"2026-{month:02d}-11",
            amount=draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2))))
    settings = Settings(commons_share=draw(st.sampled_from([Decimal(0), Decimal("0.1"), Decimal("0.333")])),
                        cap=draw(st.sampled_from([None, Decimal("0.3"), Decimal("0.5"), Decimal(1)])),
                        min_payout=draw(st.sampled_from([Decimal(0), Decimal(15)])),
                        weights={"event": draw(st.sampled_from([Decimal("0.5"), Decimal(1), Decimal(3)]))})
    return Ledger(settings=settings, records=tuple(records), today=__import__("datetime").date(2026, 12, 31))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), st.randoms(use_true_random=False))
def test_split_invariants_on_generated_ledgers(ledger, rnd):
    period = Period.parse("2026-H2")
    first = as_json(as_data(split_period(ledger, period)))
    data = json.loads(first)
    paid = sum(Decimal(p["amount"]) for p in data["payouts"])
    assert paid + Decimal(data["carried_over"]) == Decimal(data["distributable"])
    assert all(Decimal(p["amount"]) > 0 for p in data["payouts"]) and Decimal(data["carried_over"]) >= 0
    if ledger.settings.cap is not None:
        assert all(Decimal(p["amount"]) <= ledger.settings.cap * Decimal(data["distributable"]) for p in data["payouts"])
    shuffled = list(ledger.records)
    rnd.shuffle(shuffled)
    assert as_json(as_data(split_period(replace(ledger, records=tuple(shuffled)), period))) == first
    # a record outside the period changes nothing in its proportional split
    outside = Contribution(id="zz", source=Source("ledger/contributions/2026-H1/zz.yaml"), authors="ana", kind="wiki",
                           title="t", hours=Decimal(500), date="2026-03-03")
    after = json.loads(as_json(as_data(split_period(ledger.with_record(outside), period))))
    assert {**after, "warnings": []} == {**data, "warnings": []}


def test_a_refused_negative_donation_adds_nothing_to_the_pool(fab):
    """A donation of -5 (amount-not-positive for fab check) used to make the pool negative, and split,
    report and diff ended in a traceback; it counts for nothing instead (found by tests/test_ci_examples.py)."""
    fab.write("ledger/donations/2026-H2/bad.yaml", "donor: bruno\namount: -5\ndate: 2026-08-09\n")
    assert fab("check").code == 1
    split = fab("split", "--period", "2026-H2", "--format", "json")
    assert split.code == 0 and (split.json()["donations"], split.json()["pool"]) == ("0.00", "0.00")
    assert fab("report", "--period", "2026-H2", "--format", "md").code == 0
