"""``fab diff`` for people: text, a pull-request comment (Markdown) and JSON, drawn from one dict."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..diff import RecordChange, SplitEffect
from ..i18n import N_, _
from ..problems import Problem
from ..settings import Settings
from ..split.view import policy_words as _policy_words
from .escape import md, md_code, md_fence
from .formats import money, pretty_money
from .problems import as_text, summary
from .sentences import jsonable, sentence

MARKS = {"added": "+", "changed": "~", "removed": "-"}
MD_MARKS = {"added": "➕", "changed": "✏️", "removed": "➖"}


def _signed(amount: Decimal, digits: int) -> str:
    """'+150.00', '-150.00': a difference, as data."""
    text = money(abs(amount), digits)
    return f"+{text}" if amount > 0 else f"-{text}" if amount < 0 else text


def _change(before: Decimal, after: Decimal, digits: int) -> dict:
    return {"before": money(before, digits), "after": money(after, digits), "difference": _signed(after - before, digits)}


def diff_data(base: dict, head: dict, changes: list[RecordChange], problems: Sequence[Problem], records: int,
              effects: Sequence[SplitEffect], settings: Settings) -> dict:
    """Everything fab diff shows, as JSON-ready data (the text and Markdown forms are drawn from it)."""
    d, currency = settings.digits, settings.currency
    return {
        "base": base,
        "head": head,
        "changes": [{"action": c.action, "kind": c.kind, "path": c.path, "moved_from": c.moved_from,
                     "sentence": sentence(c, currency),
                     "fields": [{"field": f.field, "before": jsonable(f.before), "after": jsonable(f.after)} for f in c.fields]}
                    for c in changes],
        "check": {"errors": sum(p.severity == "error" for p in problems), "warnings": sum(p.severity != "error" for p in problems),
                  "records": records, "problems": [p.as_dict() for p in problems]},
        "splits": [{
            "period": str(effect.period),
            "currency": effect.currency,
            "before": effect.before,
            "after": effect.after,
            "touched": effect.touched,
            "alters_seal": bool(effect.seal_change),
            "seal_change": effect.seal_change or None,
            "policy": dict(effect.policy),
            "pool": {"before": money(effect.pool[0], d), "after": money(effect.pool[1], d)},
            "carried_over": _change(*effect.carried_over, d),
            "payouts": [{"member": p.member, **_change(p.before, p.after, d)} for p in effect.payouts],
        } for effect in effects],
    }


STATES = {  # (before, after): how the heading of a period's effect reads
    ("open", "open"): N_("{period} ({policy}, open)"),
    ("sealed", "sealed"): N_("{period} ({policy}, sealed)"),
    ("open", "sealed"): N_("{period} ({policy}): closed by this change"),
    ("sealed", "open"): N_("{period} ({policy}): reopened by this change"),
}


REMOVED = N_("{period} ({policy}): its seal is removed by this change")


def _split_lines(split: dict) -> tuple[str, list[tuple[str, str, str, str]]]:
    """A period's effect: its heading and rows (who, before, after, difference), carry-over last."""
    state = REMOVED if split["seal_change"] == "removed" else STATES[split["before"], split["after"]]
    heading = _(state).format(period=split["period"], policy=_policy_words(split["policy"]))
    rows = [(p["member"], pretty_money(p["before"]), pretty_money(p["after"]), _pretty_signed(p["difference"]))
            for p in split["payouts"]]
    carried = split["carried_over"]
    if carried["before"] != carried["after"]:
        rows.append((_("carried over"), pretty_money(carried["before"]), pretty_money(carried["after"]),
                     _pretty_signed(carried["difference"])))
    return heading, rows


def _pretty_signed(text: str) -> str:
    return text[0] + pretty_money(text[1:]) if text[:1] in "+-" else pretty_money(text)


def _pool_words(split: dict) -> str:
    pool, cur = split["pool"], split["currency"]
    if pool["before"] == pool["after"]:
        return _("pool {amount}").format(amount=pretty_money(pool["after"], cur))
    return _("pool {before} → {after}").format(before=pretty_money(pool["before"], cur), after=pretty_money(pool["after"], cur))


ALTERS = {
    "records": N_("this change alters records that the seal of {period} covers: fab check refuses it"),
    "rewritten": N_("this change rewrites the seal of {period} without reopening it: fab verify and fab guard refuse it"),
    "removed": N_("this change removes the seal of {period} without reopening it: fab verify and fab guard refuse it"),
}


def _alters(split: dict) -> str:
    return _("{refused}; to change a closed period, reopen it on record first (fab close --reopen {period} --reason ...)").format(
        refused=_(ALTERS[split["seal_change"]]).format(period=split["period"]), period=split["period"])


def refused(data: dict) -> bool:
    """Whether what fab diff shows would be refused: fab check finds an error, or it alters a seal."""
    return bool(data["check"]["errors"]) or any(split["alters_seal"] for split in data["splits"])


def _altered(data: dict) -> str:
    return ", ".join(split["period"] for split in data["splits"] if split["alters_seal"])


def diff_text(data: dict) -> str:
    """The terminal view: changes, the check of HEAD, the effect on the split of every period it touches."""
    lines = [f"fab diff {data['base']['label']} → {data['head']['label']}", ""]
    lines.append(_("Changes ({count}):").format(count=len(data["changes"])) if data["changes"] else _("No record changes."))
    lines += [f"  {MARKS[c['action']]} {c['sentence']}" for c in data["changes"]]
    check = data["check"]
    problems = [Problem(**{k: v for k, v in p.items()}) for p in check["problems"]]
    lines += ["", _("Check of {label}: {summary}").format(label=data["head"]["label"],
                                                         summary=summary(problems, check["records"]))]
    if problems:
        lines += [as_text(problems)]
    for split in data["splits"]:
        heading, rows = _split_lines(split)
        lines += ["", _("Effect on the split of {heading}, {pool}:").format(heading=heading, pool=_pool_words(split))]
        if split["alters_seal"]:
            lines.append(f"  {_alters(split)}")
        elif not rows:
            lines.append(_("  no one's amount changes"))
        width = max((len(r[0]) for r in rows), default=0)
        lines += [f"  {who:<{width}}  {before} → {after}  ({delta})" for who, before, after, delta in rows]
    return "\n".join(lines) + "\n"


def diff_markdown(data: dict) -> str:
    """A pull-request comment: what changes in words, the check (✅/❌), the effect on every period's split."""
    lines = [_("## Ledger changes: {base} → {head}").format(base=md_code(data["base"]["label"]),
                                                          head=md_code(data["head"]["label"])), ""]
    if data["changes"]:
        lines += [f"- {MD_MARKS[c['action']]} {md(c['sentence'])} ({md_code(c['path'])})" for c in data["changes"]]
    else:
        lines.append(_("No record changes."))
    check = data["check"]
    problems = [Problem(**p) for p in check["problems"]]
    lines += ["", _("### Check"), ""]
    if check["errors"]:
        lines.append(_("❌ `fab check` finds {summary}:").format(summary=summary(problems, check["records"])))
    elif refused(data):
        lines.append(_("❌ this change alters the seal of {periods}, which is refused (see below); `fab check` finds no "
                       "other problem ({summary})").format(periods=_altered(data), summary=summary(problems, check["records"])))
    else:
        lines.append(_("✅ `fab check` finds no problem ({summary})").format(summary=summary(problems, check["records"])))
    if problems:
        lines += ["", *md_fence(as_text(problems), "text")]
    for split in data["splits"]:
        heading, rows = _split_lines(split)
        pool = md(_pool_words(split))
        lines += ["", _("### Effect on the split of {heading}").format(heading=md(heading)), "", f"{pool[:1].upper()}{pool[1:]}.", ""]
        if split["alters_seal"]:
            lines.append(f"⛔ {md(_alters(split))}")
        elif rows:
            lines += [_("| member | before | after | difference |"), "|---|---:|---:|---:|"]
            lines += [f"| {md(who)} | {before} | {after} | {delta} |" for who, before, after, delta in rows]
        else:
            lines.append(_("No one's amount changes."))
    return "\n".join(lines) + "\n"
