"""A period's split (``split.view``: the seal, the split computed now, or a what-if) as JSON, CSV,
Markdown and a rich terminal table; ``status`` says which, and the title says it in words."""

from __future__ import annotations

from ..i18n import N_, _
from ..split.view import policy_words
from .escape import csv_text, md
from .formats import as_json as _as_json
from .formats import decimal_mark, shown_day, shown_money

TITLES = {
    "open": N_("Split of {period} — {policy}"),
    "sealed": N_("Split of {period} — {policy} — sealed on {date}"),
    "what-if": N_("What-if: split of {period} — {policy}"),
    "recomputed": N_("Recomputed today, a what-if and not the seal: split of {period} — {policy}"),
}


def as_json(data: dict) -> str:
    return _as_json(data)


def as_csv(data: dict) -> str:
    return csv_text(["period", "member", "amount", "currency", "share", "score", "status"],
                    [[data["period"], row["member"], row["amount"], data["currency"], row["share"],
                      row["score"] if row["score"] is not None else "", data["status"]] for row in data["payouts"]])


def title(data: dict) -> str:
    """'Split of 2026-H1 — proportional', '… — sealed on 15 Jul 2026', 'What-if: …', 'Recomputed today…'."""
    sealed_on = data.get("sealed_on")
    return _(TITLES[data["status"]]).format(period=data["period"], policy=policy_words(data["policy"]),
                                             date=shown_day(sealed_on) if sealed_on else "")


def _number(value: str | None) -> str:
    return decimal_mark(value) if value is not None else "—"


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
        why = f" — {'; '.join(map(str, person['why']))}" if person["why"] else ""
        lines.append(_("- **{member}**: score {score}, before cap {before_cap}, after cap {after_cap}, "
                       "rounded {rounded}, paid {paid}").format(
            member=person["member"], score=decimal_mark(person["score"]),
            **{k: shown_money(person[k], cur) for k in ("before_cap", "after_cap", "rounded", "paid")}) + why)
        lines += [_("  - {id}: {hours} h × {weight} × review {review_factor} × share {author_share} = {value}").format(
            id=c["id"], **{k: decimal_mark(c[k]) for k in ("hours", "weight", "review_factor", "author_share", "value")})
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
            discount=decimal_mark(recent["discount"]),
            periods="; ".join(f"{p['period']} {decimal_mark(p['value'])} × {decimal_mark(p['factor'])} = {decimal_mark(p['counted'])}"
                              for p in recent["periods"])))
    balanced = person.get("balanced")
    if balanced is not None:
        lines.append(_("lifetime value {life} of {total}; paid before {paid}; target {target}; need {need}").format(
            life=decimal_mark(balanced["lifetime_value"]), total=decimal_mark(balanced["everyone_lifetime_value"]),
            **{k: shown_money(balanced[v], cur) for k, v in (("paid", "paid_before"), ("target", "target"), ("need", "need"))}))
    return lines


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
        console.print(Text.assemble((_("warning: "), "yellow"), str(warning)))
    if "explain" in data:  # Markdown lists, drawn by rich (not '**alice**' as typed)
        from rich.markdown import Markdown

        console.print(Markdown("\n".join(_explain_lines(data["explain"], cur)), hyperlinks=False))
    if data.get("recomputed"):
        console.print()
        print_table(data["recomputed"], console)
