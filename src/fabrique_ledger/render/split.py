"""A period's split as data (JSON, CSV, Markdown) and as a rich terminal table."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction

from ..split.period import PeriodSplit
from ..i18n import N_, _, shown_money, shown_number
from .numbers import money, number

REASONS = {
    "below-min-payout": N_("below min_payout: carried over"),
    "capped": N_("held at the cap"),
    "no-score": N_("no amount"),
    "objection": N_("objection: counts 0 until lifted"),
    "not reviewed": N_("not reviewed yet (require_review)"),
}


def as_data(split: PeriodSplit, explain: bool = False) -> dict:
    d = split.digits
    result = split.result
    data = {
        "period": str(split.period),
        "currency": split.currency,
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


def _share(amount: Fraction, budget: Fraction) -> Fraction:
    return amount / budget if budget else Fraction(0)


def explanation(split: PeriodSplit) -> list[dict]:
    """Per person: each counted contribution (hours × weight × factor × share), then the money."""
    d = split.digits
    lines = {line.member: line for line in split.result.lines}
    people = sorted({*lines, *(c.member for c in split.counted)})
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
            "score": number(line.score) if line else "0",
            "share": str(line.share) if line else "0",
            "before_cap": money(line.before_cap, d) if line else money(0, d),
            "after_cap": money(line.after_cap, d) if line else money(0, d),
            "rounded": money(line.rounded, d) if line else money(0, d),
            "paid": money(line.paid, d) if line else money(0, d),
            "why": [_(REASONS[r]) if r in REASONS else r for r in reasons],
        })
    return out


def as_json(split: PeriodSplit, explain: bool = False) -> str:
    return json.dumps(as_data(split, explain), ensure_ascii=False, indent=2)


def as_csv(split: PeriodSplit) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["period", "member", "amount", "currency", "share", "score"])
    for row in as_data(split)["payouts"]:
        writer.writerow([str(split.period), row["member"], row["amount"], split.currency, row["share"], row["score"]])
    return out.getvalue()


def as_markdown(split: PeriodSplit, explain: bool = False) -> str:
    data = as_data(split, explain)
    cur = split.currency
    m = lambda key: shown_money(data[key], cur)  # noqa: E731
    lines = [
        _("## Split of {period} ({policy})").format(period=data["period"], policy=_policy_words(data["policy"])), "",
        _("Pool {pool} (donations {donations} + carried in {carried_in}), commons {commons}, "
          "distributable **{distributable}**.").format(
            pool=m("pool"), donations=m("donations"), carried_in=m("carried_in"), commons=m("commons"),
            distributable=m("distributable")), "",
        _("| member | amount | share | score |"), "|---|---:|---:|---:|",
        *(f"| {p['member']} | {shown_money(p['amount'], cur)} | {shown_number(p['share'])} | {shown_number(p['score'])} |"
          for p in data["payouts"]),
        _("| **paid** | **{paid}** | | |").format(paid=m("paid")),
        _("| carried over | {carried_over} | | |").format(carried_over=m("carried_over")),
    ]
    if not data["payouts"]:
        lines.insert(6, _("| (nobody is paid this period) | | | |"))
    for warning in data["warnings"]:
        lines += ["", f"> {warning}"]
    if explain:
        lines += ["", _("### How"), ""]
        for person in data["explain"]:
            why = f" — {'; '.join(person['why'])}" if person["why"] else ""
            lines.append(_("- **{member}**: score {score}, before cap {before_cap}, after cap {after_cap}, "
                           "rounded {rounded}, paid {paid}").format(
                member=person["member"], score=shown_number(person["score"]),
                **{k: shown_money(person[k], cur) for k in ("before_cap", "after_cap", "rounded", "paid")}) + why)
            lines += [_("  - {id}: {hours} h × {weight} × review {review_factor} × share {author_share} = {value}").format(
                id=c["id"], **{k: shown_number(c[k]) for k in ("hours", "weight", "review_factor", "author_share", "value")})
                for c in person["contributions"]]
    return "\n".join(lines) + "\n"


def _policy_words(policy: dict) -> str:
    if "mix" in policy:
        return _("mix: ") + ", ".join(f"{p['name']} {p['fraction']}" for p in policy["mix"])
    params = ", ".join(f"{k} {v}" for k, v in policy.items() if k not in ("name", "fraction"))
    return f"{policy['name']}{f' ({params})' if params else ''}"


def print_table(split: PeriodSplit, explain: bool, console) -> None:
    """The terminal view: a rich table whose totals add up, then the explanation if asked."""
    from rich.table import Table

    data = as_data(split, explain)
    cur = split.currency
    m = lambda key: shown_money(data[key], cur)  # noqa: E731
    table = Table(title=_("Split of {period} — {policy}").format(period=data["period"], policy=_policy_words(data["policy"])),
                  show_footer=True)
    table.add_column(_("member"), footer=_("paid"))
    table.add_column(_("amount ({cur})").format(cur=cur), justify="right", footer=m("paid"))
    table.add_column(_("share"), justify="right")
    table.add_column(_("score"), justify="right")
    for p in data["payouts"]:
        table.add_row(p["member"], shown_money(p["amount"], cur), shown_number(p["share"]), shown_number(p["score"]))
    if not data["payouts"]:
        table.add_row(_("(nobody is paid this period)"), "", "", "")
    console.print(table)
    console.print(_("pool {pool} = donations {donations} + carried in {carried_in}; commons {commons}; "
                    "distributable {distributable} = paid {paid} + carried over {carried_over}").format(
        **{k: m(k) for k in ("pool", "donations", "carried_in", "commons", "distributable", "paid", "carried_over")}))
    for warning in data["warnings"]:
        console.print(_("[yellow]warning:[/yellow] {warning}").format(warning=warning))
    if explain:
        console.print(as_markdown(split, explain=True).split(_("### How") + "\n", 1)[1], markup=False)
