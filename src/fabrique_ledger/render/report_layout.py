"""The layout of the reciprocity page (DESIGN §8), shared by every readable format.

Drawn from the JSON-ready dict of ``fabrique_ledger.report.build_report``: amounts are exact decimal strings
in the currency's digits, other numbers trimmed decimal strings, shown here as people of the language read
them (render.formats).  Each section is a ``Grid`` (columns, rows of display text, totals) and the review's
agenda a list of ``Item`` segments, so that the Markdown and wiki pages (report_markup), the terminal page
(report_terminal) and the HTML page (report_html) say the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ..i18n import N_, Nn_, _, ngettext
from ..split.view import policy_words as _policy_words
from .formats import pretty_date, pretty_money, pretty_number

SECTIONS = ("pool", "reciprocity", "contributors", "split", "agenda")
STATUSES = (N_("contributes"), N_("donates"), N_("both"), N_("uses without giving back"), N_("dormant"))
# The usual contribution kinds in words (kinds added in the settings are shown as they are written).
KINDS = {"wiki": N_("wiki"), "code": N_("code"), "event": N_("event"), "mentoring": N_("mentoring"),
         "template": N_("template"), "translation": N_("translation"), "review-work": N_("review-work"),
         "other": N_("other")}
ALERT_STATUSES = {"open": N_("open"), "invited": N_("invited")}  # the statuses of the alerts on the agenda

# The review's agenda: (key in report["agenda"], heading, what to say when the list is empty).
AGENDA = (
    ("dereferencing_candidates", N_("Dereferencing candidates"), N_("No dereferencing candidates.")),
    ("outdated_signatures", N_("Signatures of an outdated charter"), N_("No outdated signatures.")),
    ("alerts", N_("Alerts"), N_("No alerts.")),
    ("unreviewed_contributions", N_("Unreviewed contributions"), N_("No unreviewed contributions.")),
    ("pending_requests", N_("Pending requests"), N_("No pending requests.")),
)



# --- words for values ------------------------------------------------------------------------------

def kind_word(kind: str) -> str:
    """A contribution kind in the reader's language ('event' -> 'événement')."""
    return _(KINDS[kind]) if kind in KINDS else kind


COUNTED = {"approval": Nn_("{count} approval", "{count} approvals"),
           "objection": Nn_("{count} objection", "{count} objections")}


def counted(count: int, word: str) -> str:
    """"3 approvals", "1 objection": a count and its word, in the plural form of the language."""
    return ngettext(*COUNTED[word], count).format(count=count)


# --- the shared layout ------------------------------------------------------------------------------

class Cell(str):
    """A cell's text for the reader, with the plain value a sortable wiki table sorts it by (``data-sort-value``):
    MediaWiki's sorter reads '1 550,00' or '5 Feb 2026 (outdated charter)' as text, a plain 1550.00 or 2026-02-05
    as a number or a date, and '' (for "—") as empty (issue 16)."""

    sort: str

    def __new__(cls, text: str, sort: object) -> Cell:
        made = super().__new__(cls, text)
        made.sort = _plain(sort)
        return made


_PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?|[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _plain(value: object) -> str:
    """A JSON amount, number or ISO date as it is; anything else (None, "—") as empty."""
    text = "" if value is None else str(value)
    return text if _PLAIN.fullmatch(text) else ""


def money_cell(text: str | None) -> Cell:
    return Cell(pretty_money(text), text)


def number_cell(text: object) -> Cell:
    return Cell(pretty_number(None if text is None else str(text)), text)



class Column(NamedTuple):
    header: str
    numeric: bool = False
    short: str = ""  # a narrower header for the terminal
    part: int = 0  # in the terminal, a wide grid is cut in parts (Grid.parts): 0 = the column is in every part


class Link(NamedTuple):
    url: str
    text: str


Segment = str | Link  # an agenda item is a list of segments: text, and links to evidence


@dataclass
class Grid:
    """One table of the page: columns, rows of display text, and total rows kept after a rule."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[str]]
    empty: str
    totals: list[list[str]] = field(default_factory=list)
    parts: tuple[str, ...] = ()  # titles of the terminal's narrower tables, for the columns' ``part`` 1, 2...


def names(report: dict) -> dict[str, str]:
    """Handle -> full name, from every list of the report that carries one."""
    found: dict[str, str] = {}
    agenda = report.get("agenda", {})
    for rows, key in ((report.get("pool", {}).get("sources", []), "donor"), (report.get("reciprocity", []), "member"),
                      (report.get("contributors", []), "member"), (agenda.get("dereferencing_candidates", []), "member"),
                      (agenda.get("outdated_signatures", []), "member")):
        for row in rows:
            if row.get(key) and row.get("name"):
                found.setdefault(row[key], row["name"])
    return found


def who(handle: str, known: dict[str, str]) -> str:
    """'Chloé Durand (chloe)', or the bare handle when the report has no name for it."""
    name = known.get(handle)
    return f"{name} ({handle})" if name and name != handle else handle


def title(report: dict) -> str:
    return _('{report} — reciprocity report {report2}').format(report=report['title'], report2=report['period'])


def subtitle(report: dict) -> str:
    state = (_("closed: the split below is the one that was sealed") if report.get("closed")
             else _("open: the split below is a proposal until the period is closed"))
    return (_('Period {report}, {pretty_date} – {pretty_date2}; generated {pretty_date3}; {state}.').format(report=report['period'], pretty_date=pretty_date(report['start']), pretty_date2=pretty_date(report['end']), pretty_date3=pretty_date(report['generated']), state=state))


def pool_sentence(report: dict) -> str:
    pool, cur = report["pool"], report["currency"]
    return (_('Pool {pretty_money} = donations {pretty_money2} + carried in {pretty_money3}; commons {pretty_money4}; distributable {pretty_money5}.').format(pretty_money=pretty_money(pool['total'], cur), pretty_money2=pretty_money(pool['donations'], cur), pretty_money3=pretty_money(pool['carried_in'], cur), pretty_money4=pretty_money(pool['commons'], cur), pretty_money5=pretty_money(pool['distributable'], cur)))


def split_title(report: dict) -> str:
    return _("Split") if report.get("closed") else _("Proposed split")


def split_sentence(report: dict) -> str:
    split, cur = report["split"], report["currency"]
    return (_('Policy: {policy_words}. Distributable {pretty_money} = paid {pretty_money2} + carried over {pretty_money3}.').format(policy_words=_policy_words(split['policy']), pretty_money=pretty_money(split['distributable'], cur), pretty_money2=pretty_money(split['paid'], cur), pretty_money3=pretty_money(split['carried_over'], cur)))


def split_warnings(report: dict) -> list[str]:
    """The split's own warnings, less those already shown at the top of the page."""
    shown = set(report.get("warnings", []))
    return [w for w in report["split"].get("warnings", []) if w not in shown]


def pool_grid(report: dict) -> Grid:
    pool, known = report["pool"], names(report)
    sources = pool.get("sources", [])
    grid = Grid("pool", _("Donations by donor"), [Column(_("donor")), Column(_("donations"), True),
                                                Column(_('amount ({report})').format(report=report['currency']), True)],
                [[who(s["donor"], known), number_cell(s["count"]), money_cell(s["amount"])] for s in sources],
                _("No donations this period."))
    if sources:
        grid.totals.append([_("total"), number_cell(sum(int(s["count"]) for s in sources)), money_cell(pool["donations"])])
    return grid


def signed_text(row: dict) -> Cell:
    if not row.get("signed"):
        return Cell(_("not signed"), None)
    return Cell(pretty_date(row["signed"]) + ("" if row.get("charter_current") else _(" (outdated charter)")), row["signed"])


def uses_text(row: dict) -> Cell:
    resources = row.get("resources") or []
    return Cell(f"{row['uses']} ({', '.join(resources)})" if resources else str(row["uses"]), row["uses"])


def reciprocity_grid(report: dict) -> Grid:
    cur = report["currency"]
    return Grid("reciprocity", _("What each consultant uses and gives back"), [
        Column(_("consultant")), Column(_("organisation"), part=1), Column(_("referenced"), part=1), Column(_("signed"), part=1),
        Column(_("uses"), part=1), Column(_('donations ({cur})').format(cur=cur), True, _("donated"), part=2),
        Column(_('suggested donation ({cur})').format(cur=cur), True, _("suggested"), part=2), Column(_("contributions"), True, _("contrib."), part=2),
        Column(_("hours"), True, part=2), Column(_("value"), True, part=2), Column(_("reviews given"), True, _("reviews"), part=2),
        Column(_("status")),
    ], [
        [who(r["member"], {r["member"]: r.get("name") or ""}), r.get("organisation") or "—",
         _("yes") if r.get("referenced") else _("no"), signed_text(r), uses_text(r), money_cell(r["donations"]),
         money_cell(r.get("suggested_donation")), number_cell(r["contributions"]), number_cell(r["hours"]), number_cell(r["value"]),
         number_cell(r["reviews_given"]), _(r["status"])]
        for r in report.get("reciprocity", [])
    ], _("No consultants this period."), parts=(_("What each consultant uses"),
                                                             _('What each consultant gives back ({cur})').format(cur=cur)))


def kinds_text(kinds: dict) -> str:
    return ", ".join(f"{kind_word(kind)} {pretty_number(hours)} h" for kind, hours in kinds.items())


def contributors_grid(report: dict) -> Grid:
    return Grid("contributors", _("Ranked by value"), [
        Column(_("rank"), True), Column(_("contributor")), Column(_("contributions"), True, _("contrib.")), Column(_("hours"), True),
        Column(_("value"), True), Column(_("hours by kind")),
    ], [
        [number_cell(c["rank"]), who(c["member"], {c["member"]: c.get("name") or ""}), number_cell(c["contributions"]),
         number_cell(c["hours"]), number_cell(c["value"]), kinds_text(c.get("kinds", {}))]
        for c in report.get("contributors", [])
    ], _("No counted contributions this period."))


def kinds_grid(report: dict) -> Grid:
    return Grid("kinds", _("Contributions by kind"), [
        Column(_("kind")), Column(_("contributions"), True, _("contrib.")), Column(_("hours"), True), Column(_("value"), True),
    ], [[kind_word(k["kind"]), number_cell(k["count"]), number_cell(k["hours"]), number_cell(k["value"])]
        for k in report.get("contributions_by_kind", [])],
        _("No contributions this period."))


def split_grid(report: dict) -> Grid:
    split, known = report["split"], names(report)
    grid = Grid("split", _("Payouts"), [Column(_("member")), Column(_('amount ({report})').format(report=report['currency']), True),
                                     Column(_("share"), True), Column(_("score"), True)],
                [[who(p["member"], known), money_cell(p["amount"]), number_cell(p["share"]), number_cell(p["score"])]
                 for p in split.get("payouts", [])],
                _("Nobody is paid this period."))
    grid.totals = [[_("paid"), money_cell(split["paid"]), "", ""],
                   [_("carried over"), money_cell(split["carried_over"]), "", ""],
                   [_("distributable"), money_cell(split["distributable"]), "", ""]]
    return grid


def payments_sentence(report: dict) -> str:
    """A closed period: what its seal pays, what is recorded as paid (fab payouts --mark-paid), what is owed."""
    pay, cur = report["payments"], report["currency"]
    return (_('Sealed payouts {pretty_money}: paid {pretty_money2}, still owed {pretty_money3}.').format(pretty_money=pretty_money(pay['due'], cur), pretty_money2=pretty_money(pay['paid'], cur), pretty_money3=pretty_money(pay['owed'], cur)))


def payments_grid(report: dict) -> Grid:
    pay, known, cur = report["payments"], names(report), report["currency"]
    grid = Grid("payments", _("Paid and still owed"), [Column(_("member")), Column(_('sealed ({cur})').format(cur=cur), True),
                                                    Column(_('paid ({cur})').format(cur=cur), True), Column(_('still owed ({cur})').format(cur=cur), True),
                                                    Column(_("references"))],
                [[who(m["member"], {**known, m["member"]: m.get("name") or ""}), money_cell(m["due"]),
                  money_cell(m["paid"]), money_cell(m["owed"]), ", ".join(m.get("references") or [])]
                 for m in pay.get("members", [])],
                _("Nobody is owed anything for this period."))
    if pay.get("members"):
        grid.totals.append([_("total"), money_cell(pay["due"]), money_cell(pay["paid"]), money_cell(pay["owed"]), ""])
    return grid


def grids(report: dict) -> list[tuple[str, str, list[str], list[Grid]]]:
    """The table sections in page order: (id, heading, sentences above the tables, tables)."""
    return [
        ("pool", _("Pool"), [pool_sentence(report)], [pool_grid(report)]),
        ("reciprocity", _("Reciprocity"), [], [reciprocity_grid(report)]),
        ("contributors", _("Contributors"), [], [contributors_grid(report), kinds_grid(report)]),
        ("split", split_title(report), [split_sentence(report)], [split_grid(report)]),
        *([("payments", _("Payments"), [payments_sentence(report)], [payments_grid(report)])] if report.get("payments") else []),
    ]


def agenda_items(report: dict) -> list[tuple[str, str, str, list[list[Segment]]]]:
    """The agenda in order: (key, heading, empty sentence, items), each item a list of segments."""
    agenda, known, cur = report.get("agenda", {}), names(report), report["currency"]

    def item(key: str, row: dict) -> list[Segment]:
        if key == "dereferencing_candidates":
            return [_("{who}: {reason}").format(who=who(row["member"], known), reason=row["reason"])]
        if key == "outdated_signatures":
            return [_('{who}: signed {pretty_date} (charter {row})').format(who=who(row['member'], known), pretty_date=pretty_date(row['signed']), row=row['charter'])]
        if key == "alerts":
            status = _(ALERT_STATUSES[row["status"]]) if row["status"] in ALERT_STATUSES else row["status"]
            text = _('{row} — {row2}, reported by {who} on {pretty_date}').format(row=row['about'], row2=status, who=who(row['reported_by'], known), pretty_date=pretty_date(row['date']))
            if row.get("signed_since"):
                text += _("; has signed the charter since")
            out: list[Segment] = [_("{alert}: ").format(alert=text), Link(row["evidence"], _("evidence"))]
            if row.get("note"):
                out.append(_(" — note: {note}").format(note=row["note"]))
            return out + [f" ({row['id']})"]
        if key == "unreviewed_contributions":
            authors = ", ".join(who(a, known) for a in row.get("authors", []))
            return [_('{row} — {row2}, {row3} h, by {authors} on {pretty_date} ({row4})').format(row=row['title'], row2=kind_word(row['kind']), row3=pretty_number(row['hours']), authors=authors, pretty_date=pretty_date(row['date']), row4=row['id'])]
        if key == "pending_requests":
            return [_('{who} asks {pretty_money}: {row} of {plural}, {plural2} ({row2})').format(who=who(row['member'], known), pretty_money=pretty_money(row['amount'], cur), row=row['approvals'], plural=counted(row['needed'], N_('approval')), plural2=counted(row['objections'], N_('objection')), row2=row['id'])]
        return [str(row)]

    return [(key, _(heading), _(empty), [item(key, row) for row in agenda.get(key, [])]) for key, heading, empty in AGENDA]


def is_web_url(url: str) -> bool:
    return str(url).lower().startswith(("http://", "https://"))
