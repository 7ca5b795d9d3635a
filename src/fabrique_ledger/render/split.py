"""A period's split as data (JSON, CSV, Markdown) and as a rich terminal table."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction

from ..split.period import PeriodSplit
from .numbers import money, number

REASONS = {
    "below-min-payout": "below min_payout: carried over",
    "capped": "held at the cap",
    "no-score": "no amount",
    "objection": "objection: counts 0 until lifted",
    "not reviewed": "not reviewed yet (require_review)",
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
            reasons.insert(0, "opted out (receives: false)")
        if line is not None and line.reason:
            reasons.append(REASONS.get(line.reason, line.reason))
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
            "why": [REASONS.get(r, r) for r in reasons],
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
    lines = [
        f"## Split of {data['period']} ({_policy_words(data['policy'])})", "",
        f"Pool {data['pool']} {cur} (donations {data['donations']} + carried in {data['carried_in']}), "
        f"commons {data['commons']}, distributable **{data['distributable']} {cur}**.", "",
        "| member | amount | share | score |", "|---|---:|---:|---:|",
        *(f"| {p['member']} | {p['amount']} | {p['share']} | {p['score']} |" for p in data["payouts"]),
        f"| **paid** | **{data['paid']}** | | |",
        f"| carried over | {data['carried_over']} | | |",
    ]
    if not data["payouts"]:
        lines.insert(6, "| (nobody is paid this period) | | | |")
    for warning in data["warnings"]:
        lines += ["", f"> {warning}"]
    if explain:
        lines += ["", "### How", ""]
        for person in data["explain"]:
            why = f" — {'; '.join(person['why'])}" if person["why"] else ""
            lines.append(f"- **{person['member']}**: score {person['score']}, before cap {person['before_cap']}, "
                         f"after cap {person['after_cap']}, rounded {person['rounded']}, paid {person['paid']}{why}")
            lines += [f"  - {c['id']}: {c['hours']} h × {c['weight']} × review {c['review_factor']} × share "
                      f"{c['author_share']} = {c['value']}" for c in person["contributions"]]
    return "\n".join(lines) + "\n"


def _policy_words(policy: dict) -> str:
    if "mix" in policy:
        return "mix: " + ", ".join(f"{p['name']} {p['fraction']}" for p in policy["mix"])
    params = ", ".join(f"{k} {v}" for k, v in policy.items() if k not in ("name", "fraction"))
    return f"{policy['name']}{f' ({params})' if params else ''}"


def print_table(split: PeriodSplit, explain: bool, console) -> None:
    """The terminal view: a rich table whose totals add up, then the explanation if asked."""
    from rich.table import Table

    data = as_data(split, explain)
    cur = split.currency
    table = Table(title=f"Split of {data['period']} — {_policy_words(data['policy'])}", show_footer=True)
    table.add_column("member", footer="paid")
    table.add_column(f"amount ({cur})", justify="right", footer=data["paid"])
    table.add_column("share", justify="right")
    table.add_column("score", justify="right")
    for p in data["payouts"]:
        table.add_row(p["member"], p["amount"], p["share"], p["score"])
    if not data["payouts"]:
        table.add_row("(nobody is paid this period)", "", "", "")
    console.print(table)
    console.print(f"pool {data['pool']} = donations {data['donations']} + carried in {data['carried_in']}; "
                  f"commons {data['commons']}; distributable {data['distributable']} = paid {data['paid']} "
                  f"+ carried over {data['carried_over']} {cur}")
    for warning in data["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    if explain:
        console.print(as_markdown(split, explain=True).split("### How\n", 1)[1], markup=False)
