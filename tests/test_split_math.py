"""The split math of DESIGN §6: worked examples per policy, then property tests.

Amounts are exact Fractions; ``F("33.34")`` reads as a decimal. Each example shows the hand
computation in comments: exact shares, floors to the cent, who gets the leftover cents.
"""

from __future__ import annotations

import math
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fabrique_ledger.split import (
    BELOW_MIN_PAYOUT,
    CAPPED,
    NO_SCORE,
    POLICIES,
    PolicySpec,
    SplitInputs,
    apply_cap,
    compute_split,
    largest_remainder,
    run_policy,
)

CENT = F(1, 100)


def now(**values) -> dict[str, dict[int, F]]:
    """Values in P only (age 0)."""
    return {m: {0: F(v)} for m, v in values.items()}


def make(recipients=None, values=None, requests=None, points=None, paid=None) -> SplitInputs:
    """Inputs where, unless told, everyone mentioned is a recipient."""
    values, requests, points, paid = values or {}, requests or {}, points or {}, paid or {}
    if recipients is None:
        recipients = set(values) | set(requests) | set(points) | set(paid)
    return SplitInputs(frozenset(recipients), values, requests, points, paid)


def split(budget, policy, inputs, *, cap=None, min_payout=0, quantum=CENT, **params):
    """One policy (a name) or a mix (a list of PolicySpec)."""
    specs = policy if isinstance(policy, list) else [PolicySpec(policy, params)]
    return compute_split(F(budget), specs, inputs, cap=cap, min_payout=F(min_payout),
                         quantum=quantum)


def paid(result) -> dict[str, F]:
    return {line.member: line.paid for line in result.lines}


def exact(result) -> dict[str, F]:
    return {line.member: line.before_cap for line in result.lines}


def line(result, member):
    return next(x for x in result.lines if x.member == member)


# --- proportional ----------------------------------------------------------------------------


def test_proportional_largest_remainder():
    # 100 × 1/3 = 33.333…, 100 × 2/3 = 66.666…; floors 33.33 + 66.66 = 99.99; one cent left,
    # remainders a 0.00333 < b 0.00667 -> b.
    r = split(100, "proportional", make(values=now(a=1, b=2)))
    assert exact(r) == {"a": F(100, 3), "b": F(200, 3)}
    assert paid(r) == {"a": F("33.33"), "b": F("66.67")}
    assert line(r, "a").share == F(1, 3) and line(r, "b").score == 2
    assert r.paid_total == 100 and r.carried_over == 0


def test_proportional_tie_goes_to_first_handle():
    # 3 × 33.333…; floors 3 × 33.33 = 99.99; one cent left, equal remainders -> "a" (first).
    r = split(100, "proportional", make(values=now(c=1, b=1, a=1)))
    assert paid(r) == {"a": F("33.34"), "b": F("33.33"), "c": F("33.33")}
    assert r.carried_over == 0


def test_proportional_budget_not_a_multiple_of_the_cent():
    # budget 0.057: each 0.019; floors 3 × 0.01 = 0.03; total handed out floor(5.7) = 0.05, so
    # 2 cents left for 3 equal remainders -> a, b. The 0.007 below a cent is carried over.
    r = split(F("0.057"), "proportional", make(values=now(a=1, b=1, c=1)))
    assert paid(r) == {"a": F("0.02"), "b": F("0.02"), "c": F("0.01")}
    assert r.carried_over == F("0.007")


def test_proportional_ignores_non_recipients_and_past_periods():
    # x opted out, a's value of the period before does not count: a 1, b 3 -> 25 / 75.
    values = {"a": {0: F(1), 1: F(50)}, "b": {0: F(3)}, "x": {0: F(100)}}
    r = split(100, "proportional", make(recipients={"a", "b"}, values=values))
    assert paid(r) == {"a": F(25), "b": F(75)}


# --- equal -----------------------------------------------------------------------------------


def test_equal_among_members_with_value():
    # a, b, c have value > 0, d has 0: 10 / 3 = 3.333… each; floors 9.99, the cent to "a".
    r = split(10, "equal", make(values=now(a=5, b=1, c=F(1, 2), d=0)))
    assert paid(r) == {"a": F("3.34"), "b": F("3.33"), "c": F("3.33")}
    assert line(r, "a").score == 5  # the score shown is the value; amounts are equal anyway


def test_equal_in_yen():
    # quantum 1: 1000 / 3 = 333.33…; floors 999; one yen left -> "ana" (first of the tie).
    r = split(1000, "equal", make(values=now(ana=1, bob=7, cy=2)), quantum=F(1))
    assert paid(r) == {"ana": F(334), "bob": F(333), "cy": F(333)}


# --- hybrid ----------------------------------------------------------------------------------


def test_hybrid_half():
    # alpha 1/2 of 100: 50 equally -> 25 + 25; 50 proportionally to 1:3 -> 12.5 + 37.5.
    r = split(100, "hybrid", make(values=now(a=1, b=3)), alpha=F(1, 2))
    assert paid(r) == {"a": F("37.5"), "b": F("62.5")}


def test_hybrid_quarter():
    # alpha 1/4 of 90 = 22.5 equally between a, b (c has no value) -> 11.25 each;
    # 67.5 proportionally to 2:1 -> 45 + 22.5. a 56.25, b 33.75.
    r = split(90, "hybrid", make(values=now(a=2, b=1, c=0)), alpha=F(1, 4))
    assert paid(r) == {"a": F("56.25"), "b": F("33.75")}


def test_hybrid_extremes_are_equal_and_proportional():
    inputs = make(values=now(a=1, b=2, c=4))
    assert exact(split(70, "hybrid", inputs, alpha=F(1))) == exact(split(70, "equal", inputs))
    assert exact(split(70, "hybrid", inputs, alpha=F(0))) == exact(
        split(70, "proportional", inputs))


# --- requests --------------------------------------------------------------------------------


def test_requests_that_fit_are_paid_in_full():
    # 30 + 20 = 50 <= 100: each gets what they asked, 50 is carried over.
    r = split(100, "requests", make(requests={"a": F(30), "b": F(20)}))
    assert paid(r) == {"a": F(30), "b": F(20)}
    assert r.carried_over == 50


def test_requests_over_budget_are_scaled():
    # 90 + 60 = 150 > 100: scale by 100/150 -> 60 and 40.
    r = split(100, "requests", make(requests={"a": F(90), "b": F(60)}))
    assert paid(r) == {"a": F(60), "b": F(40)}
    assert line(r, "a").score == 90 and r.carried_over == 0


def test_requests_scaled_with_rounding_and_opt_out():
    # x is not a recipient. 3 × 50 = 150 > 100: 33.333… each; the cent to "a".
    reqs = {"a": F(50), "b": F(50), "c": F(50), "x": F(1000)}
    r = split(100, "requests", make(recipients={"a", "b", "c"}, requests=reqs))
    assert paid(r) == {"a": F("33.34"), "b": F("33.33"), "c": F("33.33")}


# --- peer ------------------------------------------------------------------------------------


def test_peer_points_received():
    # 30 and 10 points: 100 × 3/4 = 75, 100 × 1/4 = 25.
    r = split(100, "peer", make(points={"a": F(30), "b": F(10)}))
    assert paid(r) == {"a": F(75), "b": F(25)}


def test_peer_rounding_tie():
    # budget 1, one point each: 0.333… each; floors 0.99; the cent to "a".
    r = split(1, "peer", make(points={"c": F(1), "a": F(1), "b": F(1)}))
    assert paid(r) == {"a": F("0.34"), "b": F("0.33"), "c": F("0.33")}


def test_peer_nobody_received_points():
    r = split(100, "peer", make(recipients={"a", "b"}, values=now(a=1)))
    assert r.lines == () and r.paid_total == 0 and r.carried_over == 100


# --- recent ----------------------------------------------------------------------------------


def test_recent_half_discount():
    # d = 1/2: a = 2 + 4 × 1/2 = 4; b = 0 + 8 × 1/2 + 8 × 1/4 = 6 -> 40 / 60.
    values = {"a": {0: F(2), 1: F(4)}, "b": {1: F(8), 2: F(8)}}
    r = split(100, "recent", make(values=values), discount=F(1, 2))
    assert paid(r) == {"a": F(40), "b": F(60)}
    assert (line(r, "a").score, line(r, "b").score) == (4, 6)


def test_recent_zero_discount_is_lifetime():
    # d = 0: a = 1 + 1 = 2, b = 2 (three periods ago) -> 50 / 50.
    values = {"a": {0: F(1), 1: F(1)}, "b": {3: F(2)}}
    r = split(100, "recent", make(values=values), discount=F(0))
    assert paid(r) == {"a": F(50), "b": F(50)}


def test_recent_full_discount_is_this_period_only():
    # d = 1: (1 − 1)^0 = 1, (1 − 1)^1 = 0: a 1, b 3 -> 25 / 75.
    values = {"a": {0: F(1), 1: F(100)}, "b": {0: F(3)}}
    r = split(100, "recent", make(values=values), discount=F(1))
    assert paid(r) == {"a": F(25), "b": F(75)}


# --- balanced --------------------------------------------------------------------------------


def test_balanced_equal_needs():
    # lifetime a 3, b 1, C = 4; paid a 100, b 0; pot 100 + 100 = 200.
    # target a 150, b 50; need a 50, b 50 -> 50 / 50.
    values = {"a": {0: F(1), 1: F(2)}, "b": {1: F(1)}}
    r = split(100, "balanced", make(values=values, paid={"a": F(100)}))
    assert paid(r) == {"a": F(50), "b": F(50)}


def test_balanced_unequal_needs():
    # same values, paid a 180: pot 280, target a 210 (need 30), b 70 (need 70) -> 30 / 70.
    values = {"a": {0: F(1), 1: F(2)}, "b": {1: F(1)}}
    r = split(100, "balanced", make(values=values, paid={"a": F(180)}))
    assert paid(r) == {"a": F(30), "b": F(70)}
    assert (line(r, "a").score, line(r, "b").score) == (30, 70)


def test_balanced_overpaid_member_gets_nothing():
    # lifetime 1 each; paid a 300: pot 400, targets 200; need a 0, b 200 -> b gets all 100.
    r = split(100, "balanced", make(values=now(a=1, b=1), paid={"a": F(300)}))
    assert paid(r) == {"b": F(100)}


def test_balanced_without_value_pays_nothing():
    r = split(100, "balanced", make(recipients={"a"}, paid={"a": F(5)}))
    assert r.lines == () and r.carried_over == 100


# --- cap -------------------------------------------------------------------------------------


def test_cap_cascades_over_two_rounds():
    # budget 100, cap 2/5 -> limit 40; proportional 50, 35, 10, 5.
    # round 1: a 50 -> 40, excess 10 shared 35:10:5 -> b 42, c 12, d 6.
    # round 2: b 42 -> 40, excess 2 shared 10:5 -> c 12 + 4/3 = 40/3, d 6 + 2/3 = 20/3.
    # rounding: 40 + 40 + 13.33 + 6.66 = 99.99; the cent to d (remainder 0.0067 > 0.0033).
    r = split(100, "proportional", make(values=now(a=50, b=35, c=10, d=5)), cap=F(2, 5))
    assert {x.member: x.after_cap for x in r.lines} == {
        "a": F(40), "b": F(40), "c": F(40, 3), "d": F(20, 3)}
    assert paid(r) == {"a": F(40), "b": F(40), "c": F("13.33"), "d": F("6.67")}
    assert [x.reason for x in r.lines] == [CAPPED, CAPPED, None, None]
    assert r.carried_over == 0


def test_cap_excess_nobody_can_take_is_carried_over():
    r = split(100, "proportional", make(values=now(a=1)), cap=F(3, 10))
    assert paid(r) == {"a": F(30)} and r.carried_over == 70


def test_cap_blocks_a_leftover_cent_above_the_cap():
    # cap 1/3 -> limit 33.333…; everyone exactly at it. floors 33.33 × 3 = 99.99; the cent
    # left would make someone 33.34 > limit, so nobody takes it: 0.01 carried over.
    r = split(100, "proportional", make(values=now(a=1, b=1, c=1)), cap=F(1, 3))
    assert paid(r) == {"a": F("33.33"), "b": F("33.33"), "c": F("33.33")}
    assert r.carried_over == F("0.01")


def test_cap_never_grows_requests():
    # pure requests, cap 1/2 -> 50: a asked 80 -> 50; b asked 10 and gets 10, not more.
    r = split(100, "requests", make(requests={"a": F(80), "b": F(10)}), cap=F(1, 2))
    assert paid(r) == {"a": F(50), "b": F(10)} and r.carried_over == 40


def test_cap_in_a_mix_grows_only_non_request_amounts():
    # requests on 50: a 10, b 40 (fit). proportional on 50 with a 3, c 1: a 37.5, c 12.5.
    # before cap: a 47.5, b 40, c 12.5; limit 40: a's excess 7.5 goes to c only (b's 40 came
    # from requests) -> c 20.
    mix = [PolicySpec("requests", {}, F(1, 2)), PolicySpec("proportional", {}, F(1, 2))]
    inputs = make(values=now(a=3, c=1), requests={"a": F(10), "b": F(40)})
    r = split(100, mix, inputs, cap=F(2, 5))
    assert paid(r) == {"a": F(40), "b": F(40), "c": F(20)}


def test_cap_zero_pays_nobody():
    r = split(100, "proportional", make(values=now(a=1, b=1)), cap=F(0))
    assert paid(r) == {"a": 0, "b": 0} and r.carried_over == 100
    assert {x.reason for x in r.lines} == {CAPPED}


# --- min_payout, mixes, edge cases -----------------------------------------------------------


def test_min_payout_is_carried_over_without_redistribution():
    # a 1.00 < 2: not paid, carried over; b keeps 99.
    r = split(100, "proportional", make(values=now(a=1, b=99)), min_payout=2)
    assert paid(r) == {"a": 0, "b": F(99)}
    assert line(r, "a").rounded == 1 and line(r, "a").reason == BELOW_MIN_PAYOUT
    assert r.carried_over == 1


def test_amount_under_one_cent():
    # 0.01 / 2 = 0.005 each; floors 0; one cent left, tie -> a. b's 0.005 is not payable.
    r = split(F("0.01"), "proportional", make(values=now(a=1, b=1)))
    assert paid(r) == {"a": F("0.01"), "b": 0}
    assert line(r, "b").reason == BELOW_MIN_PAYOUT


def test_mix_of_proportional_and_equal_is_hybrid():
    inputs = make(values=now(a=1, b=2, c=6))
    mix = [PolicySpec("proportional", {}, F(1, 2)), PolicySpec("equal", {}, F(1, 2))]
    assert exact(split(100, mix, inputs)) == exact(split(100, "hybrid", inputs, alpha=F(1, 2)))


def test_mix_scores_are_share_weighted():
    # proportional on 50 (a 1, b 3): 12.5, 37.5; peer on 50 (only a has points): 50.
    # score a = 1/2 × 1/4 + 1/2 × 1 = 5/8; b = 1/2 × 3/4 = 3/8.
    mix = [PolicySpec("proportional", {}, F(1, 2)), PolicySpec("peer", {}, F(1, 2))]
    r = split(100, mix, make(values=now(a=1, b=3), points={"a": F(1)}))
    assert paid(r) == {"a": F("62.5"), "b": F("37.5")}
    assert (line(r, "a").score, line(r, "b").score) == (F(5, 8), F(3, 8))


def test_no_score_carries_everything_over():
    r = split(100, "proportional", make(recipients={"a", "b"}, values=now(a=0)))
    assert r.lines == () and r.paid_total == 0 and r.carried_over == 100


def test_zero_budget_lists_scores_without_amounts():
    r = split(0, "proportional", make(values=now(a=1)))
    assert r.lines[0].paid == 0 and r.lines[0].reason == NO_SCORE and r.carried_over == 0


@pytest.mark.parametrize("specs, message", [
    ([PolicySpec("proportional", {}, F(1, 2))], "add up to 1"),
    ([PolicySpec("lottery")], "unknown split policy"),
    ([PolicySpec("hybrid")], "alpha"),
    ([PolicySpec("recent", {"discount": F(2)})], "between"),
    ([], "at least one policy"),
])
def test_bad_specs_are_refused(specs, message):
    with pytest.raises(ValueError, match=message):
        compute_split(F(1), specs, make(values=now(a=1)), cap=None, min_payout=F(0),
                      quantum=CENT)


def test_largest_remainder_and_cap_helpers():
    assert largest_remainder({"b": F(1, 2), "a": F(1, 2)}, F(1)) == {"a": 1, "b": 0}
    capped = apply_cap({"a": F(9), "b": F(1)}, {"a": F(9), "b": F(1)}, F(6))
    assert capped.amounts == {"a": 6, "b": 4} and capped.capped == {"a"}


# --- properties ------------------------------------------------------------------------------

HANDLES = ["ana", "bob", "cy", "dee", "eve"]
amounts = st.fractions(min_value=0, max_value=60, max_denominator=7)
unit = st.fractions(min_value=0, max_value=1, max_denominator=10)
quanta = st.sampled_from([CENT, F(1), F(5, 100)])
caps = st.none() | st.fractions(min_value=0, max_value=1, max_denominator=20)
min_payouts = st.sampled_from([F(0), F(1, 2), F(5)])
budgets = (st.integers(0, 100_000).map(lambda n: n * CENT)
           | st.fractions(0, 1000, max_denominator=999))


@st.composite
def split_inputs(draw, with_paid=True):
    people = st.sampled_from(HANDLES)
    return SplitInputs(
        recipients=frozenset(draw(st.sets(people))),
        values=draw(st.dictionaries(people, st.dictionaries(st.integers(0, 3), amounts))),
        requests=draw(st.dictionaries(people, amounts)),
        points=draw(st.dictionaries(people, st.integers(0, 100).map(F))),
        paid=draw(st.dictionaries(people, amounts)) if with_paid else {},
    )


@st.composite
def policy_specs(draw, fraction=F(1)):
    params = {"alpha": draw(unit), "discount": draw(unit)}
    return PolicySpec(draw(st.sampled_from(sorted(POLICIES))), params, fraction)


@st.composite
def mixes(draw):
    weights = draw(st.lists(st.integers(1, 5), min_size=1, max_size=3))
    return [draw(policy_specs(F(w, sum(weights)))) for w in weights]


def shuffled(inputs: SplitInputs, order) -> SplitInputs:
    """The same inputs with every mapping built in another order."""
    def re(mapping):
        keys = order(list(mapping))
        return {k: re(mapping[k]) if isinstance(mapping[k], dict) else mapping[k] for k in keys}
    return SplitInputs(frozenset(order(list(inputs.recipients))), re(inputs.values),
                       re(inputs.requests), re(inputs.points), re(inputs.paid))


def amounts_of(result):
    return [(x.member, x.before_cap, x.after_cap, x.rounded, x.paid, x.reason)
            for x in result.lines]


@settings(max_examples=300)
@given(budgets, mixes(), split_inputs(), caps, min_payouts, quanta)
def test_invariants(budget, mix, inputs, cap, min_payout, quantum):
    r = compute_split(budget, mix, inputs, cap=cap, min_payout=min_payout, quantum=quantum)
    assert r.paid_total + r.carried_over == budget
    assert r.paid_total == sum(x.paid for x in r.lines)
    assert [x.member for x in r.lines] == sorted(x.member for x in r.lines)
    assert {x.member for x in r.lines} <= inputs.recipients
    for x in r.lines:
        assert min(x.score, x.share, x.before_cap, x.after_cap, x.rounded, x.paid) >= 0
        assert (x.paid / quantum).denominator == 1
        assert x.paid == 0 or x.paid >= min_payout
        if cap is not None:
            assert x.paid <= cap * budget and x.after_cap <= cap * budget
    assert sum(x.before_cap for x in r.lines) <= budget
    assert r.carried_over >= 0


@given(budgets, policy_specs(), split_inputs(), quanta)
def test_uncapped_rounding_pays_the_exact_total_floored(budget, spec, inputs, quantum):
    r = compute_split(budget, [spec], inputs, cap=None, min_payout=F(0), quantum=quantum)
    exact_total = sum(x.before_cap for x in r.lines)
    assert r.paid_total == math.floor(exact_total / quantum) * quantum


@given(budgets, policy_specs(), split_inputs(), caps, quanta)
def test_a_policy_alone_is_the_mix_of_itself(budget, spec, inputs, cap, quantum):
    r = compute_split(budget, [spec], inputs, cap=cap, min_payout=F(0), quantum=quantum)
    direct = run_policy(spec.name, inputs, budget, spec.params)
    assert {m: a for m, a in exact(r).items() if a > 0} == dict(direct.amounts)
    assert {x.member: x.score for x in r.lines if x.score > 0} == dict(direct.scores)
    if spec.name in ("requests", "balanced"):
        return  # not linear in the budget: each half would pay requests / needs on its own
    halves = [PolicySpec(spec.name, spec.params, F(1, 2))] * 2
    r2 = compute_split(budget, halves, inputs, cap=cap, min_payout=F(0), quantum=quantum)
    assert amounts_of(r2) == amounts_of(r)


@given(budgets, split_inputs(), caps, min_payouts, quanta)
def test_recent_with_full_discount_is_proportional(budget, inputs, cap, min_payout, quantum):
    kw = dict(cap=cap, min_payout=min_payout, quantum=quantum)
    recent = compute_split(budget, [PolicySpec("recent", {"discount": F(1)})], inputs, **kw)
    assert recent == compute_split(budget, [PolicySpec("proportional", {})], inputs, **kw)


@given(budgets, split_inputs(with_paid=False), caps, min_payouts, quanta)
def test_balanced_without_past_payouts_is_proportional_on_lifetime(
        budget, inputs, cap, min_payout, quantum):
    kw = dict(cap=cap, min_payout=min_payout, quantum=quantum)
    lifetime = {m: {0: sum(ages.values(), F(0))} for m, ages in inputs.values.items()}
    as_now = SplitInputs(inputs.recipients, lifetime, {}, {}, {})
    balanced = compute_split(budget, [PolicySpec("balanced", {})], inputs, **kw)
    proportional = compute_split(budget, [PolicySpec("proportional", {})], as_now, **kw)
    assert amounts_of(balanced) == amounts_of(proportional)  # before and after rounding
    assert balanced.carried_over == proportional.carried_over


@given(budgets, mixes(), split_inputs(), caps, min_payouts, quanta, st.randoms())
def test_input_order_does_not_matter(budget, mix, inputs, cap, min_payout, quantum, rnd):
    kw = dict(cap=cap, min_payout=min_payout, quantum=quantum)
    reference = compute_split(budget, mix, inputs, **kw)
    for order in (lambda keys: keys[::-1], lambda keys: rnd.sample(keys, len(keys))):
        assert compute_split(budget, mix, shuffled(inputs, order), **kw) == reference


@given(budgets, mixes(), caps, min_payouts, quanta)
def test_empty_inputs_carry_everything_over(budget, mix, cap, min_payout, quantum):
    r = compute_split(budget, mix, SplitInputs(frozenset()), cap=cap, min_payout=min_payout,
                      quantum=quantum)
    assert r.lines == () and r.paid_total == 0 and r.carried_over == budget
