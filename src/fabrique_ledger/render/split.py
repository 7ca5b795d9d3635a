"""A period's split as data (JSON, CSV, Markdown) and as a rich terminal table.

Every format draws from one dict (``as_data`` for a split computed now, ``sealed_data`` for a closed
period), whose ``status`` says what the numbers are: ``open`` (a proposal until the period is
closed), ``sealed`` (the seal's amounts: what is paid), ``what-if`` (``--policy``/``--param``) or
``recomputed`` (a closed period recomputed today, shown only beside its seal).  A recomputation is
never shown under the word "sealed".
"""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from typing import Any

from .. import i18n
from ..i18n import N_, _, shown_money, shown_number
from ..ledger import Ledger
from ..periods import Period
from ..seals import SealedSplit, money_differences, sealed_money, sealed_split, split_money
from ..settings import Settings
from ..split.period import PeriodSplit, policy_details, split_period
from .escape import csv_text, md
from .numbers import money, number

REASONS = {
    "below-min-payout": N_("below min_payout: carried over"),
    "capped": N_("held at the cap"),
    "no-score": N_("no amount"),
    "objection": N_("objection: counts 0 until lifted"),
    "not reviewed": N_("not reviewed yet (require_review)"),
}
TITLES = {
    "open": N_("Split of {period} — {policy}"),
    "sealed": N_("Split of {period} — {policy} — sealed on {date}"),
    "what-if": N_("What-if: split of {period} — {policy}"),
    "recomputed": N_("Recomputed today, a what-if and not the seal: split of {period} — {policy}"),
}


def as_data(split: PeriodSplit, explain: bool = False, status: str = "open") -> dict:
    """The split computed now: ``status`` is ``open``, ``what-if`` or ``recomputed`` (see the module doc)."""
    d = split.digits
    result = split.result
    data = {
        "period": str(split.period),
        "currency": split.currency,
        "status": status,
        "policy": split.policy.describe(),
        "donations": money(split.donations, d),
        "carried_in": money(split.carried_in, d),
        "pool": money(split.pool, d),
        "commons": money(split.commons, d),
        "distributable": money(split.distributable, d),
        "paid": money(result.paid_total, d),
        "carried_over": money(result.carried_over, d),
        "payouts": [
            {"member": line.member, "amount": money(line.paid, d), "share": number(_share(line.paid, result.budget)),
             "score": number(line.score)}
            for line in result.lines if line.paid > 0
        ],
        "warnings": list(split.warnings),
    }
    if explain:
        data["explain"] = explanation(split)
    return data


def for_period(ledger: Ledger, period: Period, what_if: Settings | None = None, explain: bool = False) -> dict:
    """The split every page shows for ``period``: its seal when it is closed, else the split computed now;
    with ``what_if`` settings (``--policy``/``--param``), that what-if, labelled, and said not to be what is
    paid when the period is closed."""
    if what_if is None:
        sealed = sealed_split(ledger, period)
        if sealed is not None:
            return sealed_data(sealed, explain)
        return as_data(split_period(ledger, period), explain)
    data = as_data(split_period(ledger, period, what_if), explain, "what-if")
    seal = ledger.sealed(period)
    if seal is not None:
        data["warnings"].insert(0, _("{period} is closed: it was sealed on {date} with {policy}; this what-if is not "
                                     "what is paid (see fab split --period {period})").format(
            period=period, date=i18n.day(seal.date), policy=_policy_words(seal.policy)))
    return data


def sealed_data(sealed: SealedSplit, explain: bool = False) -> dict:
    """A closed period: the seal's policy, parameters and amounts.  Today's recomputation under the seal's
    policy explains the amounts when it agrees with them; when it does not, it is given apart, under
    ``recomputed``, with a warning that says so."""
    seal, d = sealed.seal, sealed.recomputed.digits
    scores = {line.member: line.score for line in sealed.recomputed.result.lines} if sealed.agrees else {}
    distributable = Fraction(seal.distributable)
    data: dict[str, Any] = {
        "period": seal.id,
        "currency": sealed.recomputed.currency,
        "status": "sealed",
        "sealed_on": str(seal.date),
        "seal": seal.source.path,
        "policy": dict(seal.policy),
        "parameters": {k: None if v is None else str(v) for k, v in seal.parameters.items()},
        "donations": money(sealed.donations, d),
        "carried_in": money(sealed.carried_in, d),
        "pool": money(seal.pool, d),
        "commons": money(seal.commons, d),
        "distributable": money(seal.distributable, d),
        "paid": money(sum(seal.payouts.values()), d),
        "carried_over": money(seal.carried_over, d),
        "payouts": [{"member": m, "amount": money(a, d), "share": number(_share(Fraction(a), distributable)),
                     "score": number(scores[m]) if m in scores else None} for m, a in sorted(seal.payouts.items())],
        "warnings": [],
        "recomputed": None,
    }
    if sealed.agrees:
        if explain:
            data["explain"] = explanation(sealed.recomputed)
    else:
        data["warnings"].append(_("recomputed today under its sealed policy, the split of {period} differs from the seal "
                                  "({differences}): the ledger's settings or members changed since it was sealed on {date}. "
                                  "The seal is what is paid; the recomputation is only a what-if").format(
            period=seal.id, differences=_("; ").join(money_differences(sealed_money(seal), split_money(sealed.recomputed),
                                                                       data["currency"])),
            date=i18n.day(seal.date)))
        data["recomputed"] = as_data(sealed.recomputed, explain, status="recomputed")
    return data


def _share(amount: Fraction, budget: Fraction) -> Fraction:
    return amount / budget if budget else Fraction(0)


def explanation(split: PeriodSplit) -> list[dict]:
    """Per person: each counted contribution (hours × weight × factor × share), what each policy of the
    split worked from (request and approvals, points received, decay per period, need), then the money."""
    d = split.digits
    lines = {line.member: line for line in split.result.lines}
    details = policy_details(split)
    people = sorted({*lines, *(c.member for c in split.counted), *details})
    out = []
    for member in people:
        line = lines.get(member)
        reasons = sorted({c.why for c in split.counted if c.member == member and c.why})
        if member in split.opted_out:
            reasons.insert(0, _("opted out (receives: false)"))
        if line is not None and line.reason:
            reasons.append(_(REASONS[line.reason]) if line.reason in REASONS else line.reason)
        out.append({
            "member": member,
            "contributions": [
                {"id": c.contribution.id, "kind": c.contribution.kind, "hours": number(Fraction(c.contribution.hours), 2),
                 "weight": number(c.weight), "review_factor": number(c.factor), "author_share": number(c.share),
                 "value": number(c.value)}
                for c in split.counted if c.member == member
            ],
            **_policy_inputs(details.get(member, {}), d),
            "score": number(line.score) if line else "0",
            "share": str(line.share) if line else "0",
            "before_cap": money(line.before_cap, d) if line else money(0, d),
            "after_cap": money(line.after_cap, d) if line else money(0, d),
            "rounded": money(line.rounded, d) if line else money(0, d),
            "paid": money(line.paid, d) if line else money(0, d),
            "why": [_(REASONS[r]) if r in REASONS else r for r in reasons],
        })
    return out


def _policy_inputs(details: dict[str, Any], d: int) -> dict[str, Any]:
    """The policy inputs of one person as JSON-ready data (exact strings, machine keys)."""
    out: dict[str, Any] = {}
    if "requests" in details:
        asked = details["requests"]
        out["request"] = {"id": asked.request.id, "asked": money(Fraction(asked.request.amount), d),
                          "approvals": list(asked.approvals), "needed": asked.needed, "objections": list(asked.objections),
                          "counts": asked.counts}
    if "peer" in details:
        given = details["peer"]
        out["points"] = {"received": sum(n for _giver, n in given), "from": {giver: n for giver, n in given}}
    if "recent" in details:
        discount, rows = details["recent"]
        out["recent"] = {"discount": number(discount), "periods": [
            {"period": str(period), "value": number(value), "factor": number(factor), "counted": number(value * factor)}
            for period, value, factor in rows]}
    if "balanced" in details:
        life, total, paid, target, need = details["balanced"]
        out["balanced"] = {"lifetime_value": number(life), "everyone_lifetime_value": number(total),
                           "paid_before": money(paid, d), "target": money(target, d), "need": money(need, d)}
    return out


def as_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_csv(data: dict) -> str:
    return csv_text(["period", "member", "amount", "currency", "share", "score", "status"],
                    [[data["period"], row["member"], row["amount"], data["currency"], row["share"],
                      row["score"] if row["score"] is not None else "", data["status"]] for row in data["payouts"]])


def title(data: dict) -> str:
    """'Split of 2026-H1 — proportional', '… — sealed on 15 Jul 2026', 'What-if: …', 'Recomputed today…'."""
    sealed_on = data.get("sealed_on")
    return _(TITLES[data["status"]]).format(period=data["period"], policy=_policy_words(data["policy"]),
                                             date=i18n.day(date.fromisoformat(sealed_on)) if sealed_on else "")


def _number(value: str | None) -> str:
    return shown_number(value) if value is not None else "—"


def as_markdown(data: dict) -> str:
    cur = data["currency"]
    m = lambda key: shown_money(data[key], cur)  # noqa: E731
    lines = [
        f"## {md(title(data))}", "",
        _("Pool {pool} (donations {donations} + carried in {carried_in}), commons {commons}, "
          "distributable **{distributable}**.").format(
            pool=m("pool"), donations=m("donations"), carried_in=m("carried_in"), commons=m("commons"),
            distributable=m("distributable")), "",
        _("| member | amount | share | score |"), "|---|---:|---:|---:|",
        *(f"| {p['member']} | {shown_money(p['amount'], cur)} | {_number(p['share'])} | {_number(p['score'])} |"
          for p in data["payouts"]),
        _("| **paid** | **{paid}** | | |").format(paid=m("paid")),
        _("| carried over | {carried_over} | | |").format(carried_over=m("carried_over")),
    ]
    if not data["payouts"]:
        lines.insert(6, _("| (nobody is paid this period) | | | |"))
    for warning in data["warnings"]:
        lines += ["", f"> {md(warning)}"]
    if "explain" in data:
        lines += ["", _("### How the sealed amounts were reached") if data["status"] == "sealed" else _("### How"), ""]
        lines += _explain_lines(data["explain"], cur)
    if data.get("recomputed"):
        lines += ["", as_markdown(data["recomputed"]).replace("## ", "### ", 1).rstrip("\n")]
    return "\n".join(lines) + "\n"


def _explain_lines(people: list[dict], cur: str) -> list[str]:
    lines = []
    for person in people:
        why = f" — {'; '.join(person['why'])}" if person["why"] else ""
        lines.append(_("- **{member}**: score {score}, before cap {before_cap}, after cap {after_cap}, "
                       "rounded {rounded}, paid {paid}").format(
            member=person["member"], score=shown_number(person["score"]),
            **{k: shown_money(person[k], cur) for k in ("before_cap", "after_cap", "rounded", "paid")}) + why)
        lines += [_("  - {id}: {hours} h × {weight} × review {review_factor} × share {author_share} = {value}").format(
            id=c["id"], **{k: shown_number(c[k]) for k in ("hours", "weight", "review_factor", "author_share", "value")})
            for c in person["contributions"]]
        lines += [f"  - {text}" for text in _policy_lines(person, cur)]
    return lines


def _policy_lines(person: dict, cur: str) -> list[str]:
    """The policy inputs of one person in words."""
    lines = []
    request = person.get("request")
    if request is not None:
        approvals = ", ".join(request["approvals"]) or _("nobody")
        verdict = _("counts") if request["counts"] else _("does not count")
        objections = _("; objection by {who}").format(who=", ".join(request["objections"])) if request["objections"] else ""
        lines.append(_("request {id}: asks {amount}; approved by {approvals} ({count} of {needed} needed){objections}: {verdict}").format(
            id=request["id"], amount=shown_money(request["asked"], cur), approvals=approvals, count=len(request["approvals"]),
            needed=request["needed"], objections=objections, verdict=verdict))
    points = person.get("points")
    if points is not None:
        lines.append(_("points received: {received} ({givers})").format(
            received=points["received"], givers=", ".join(f"{g} {n}" for g, n in points["from"].items())))
    recent = person.get("recent")
    if recent is not None:
        lines.append(_("decay {discount} per period: {periods}").format(
            discount=shown_number(recent["discount"]),
            periods="; ".join(f"{p['period']} {shown_number(p['value'])} × {shown_number(p['factor'])} = {shown_number(p['counted'])}"
                              for p in recent["periods"])))
    balanced = person.get("balanced")
    if balanced is not None:
        lines.append(_("lifetime value {life} of {total}; paid before {paid}; target {target}; need {need}").format(
            life=shown_number(balanced["lifetime_value"]), total=shown_number(balanced["everyone_lifetime_value"]),
            **{k: shown_money(balanced[v], cur) for k, v in (("paid", "paid_before"), ("target", "target"), ("need", "need"))}))
    return lines


def _policy_words(policy: dict) -> str:
    if "mix" in policy:
        return _("mix: ") + ", ".join(f"{p['name']} {p['fraction']}" for p in policy["mix"])
    params = ", ".join(f"{k} {v}" for k, v in policy.items() if k not in ("name", "fraction"))
    return f"{policy['name']}{f' ({params})' if params else ''}"


def print_table(data: dict, console) -> None:
    """The terminal view: a rich table whose totals add up, then the explanation if asked."""
    from rich.table import Table
    from rich.text import Text

    cur = data["currency"]
    m = lambda key: shown_money(data[key], cur)  # noqa: E731
    table = Table(title=title(data), show_footer=True)
    table.add_column(_("member"), footer=_("paid"))
    table.add_column(_("amount ({cur})").format(cur=cur), justify="right", footer=m("paid"))
    table.add_column(_("share"), justify="right")
    table.add_column(_("score"), justify="right")
    for p in data["payouts"]:
        table.add_row(p["member"], shown_money(p["amount"], cur), _number(p["share"]), _number(p["score"]))
    if not data["payouts"]:
        table.add_row(_("(nobody is paid this period)"), "", "", "")
    console.print(table)
    console.print(_("pool {pool} = donations {donations} + carried in {carried_in}; commons {commons}; "
                    "distributable {distributable} = paid {paid} + carried over {carried_over}").format(
        **{k: m(k) for k in ("pool", "donations", "carried_in", "commons", "distributable", "paid", "carried_over")}))
    for warning in data["warnings"]:
        console.print(Text.assemble((_("warning: "), "yellow"), warning))
    if "explain" in data:
        console.print("\n" + "\n".join(_explain_lines(data["explain"], cur)), markup=False)
    if data.get("recomputed"):
        console.print()
        print_table(data["recomputed"], console)
