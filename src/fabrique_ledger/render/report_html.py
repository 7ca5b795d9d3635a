"""The reciprocity report as one standalone HTML page for the six-monthly review meeting (DESIGN §8).

One file, nothing fetched: the style is inline, the charts are inline SVG drawn here (no script), and
it prints cleanly (a page per section, colours kept). Every text from the ledger goes through
``escape.html``; links are made only to http(s) evidence. The tables and sentences are the ones of
``render.report_layout`` (the same ``Grid`` layout), so the page says what the Markdown and the wiki say.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..i18n import N_, _, language
from .escape import html
from .formats import pretty_date, pretty_money, pretty_number
from .report_layout import (
    Grid,
    Link,
    Segment,
    agenda_items,
    grids,
    is_web_url,
    kind_word,
    names,
    split_warnings,
    title,
)

STATUS_CLASSES = {
    "contributes": "contributes", "donates": "donates", "both": "both",
    "uses without giving back": "takes", "dormant": "dormant",
}

CSS = """
:root { --ink: #1d2433; --muted: #5b6475; --line: #d9dee7; --soft: #f4f6f9; --accent: #0f766e;
        --member: #4338ca; --kind: #b45309; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI",
       Roboto, "Helvetica Neue", Arial, sans-serif; }
header.page-head { background: #12343b; color: #fff; padding: 28px 40px 24px; }
header.page-head .eyebrow { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: 12px; opacity: .8; }
header.page-head h1 { margin: 4px 0 6px; font-size: 30px; line-height: 1.2; }
header.page-head .meta { margin: 0; opacity: .9; }
.state { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 13px; font-weight: 600; }
.state.open { background: #fde68a; color: #78350f; }
.state.closed { background: #bbf7d0; color: #14532d; }
main { max-width: 1180px; margin: 0 auto; padding: 8px 40px 40px; }
section { margin-top: 36px; }
h2 { font-size: 22px; margin: 0 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 22px 0 8px; }
.count { display: inline-block; min-width: 22px; padding: 0 7px; margin-left: 6px; border-radius: 999px;
         background: var(--soft); border: 1px solid var(--line); font-size: 12px; text-align: center; }
.warnings { margin-top: 20px; border-left: 4px solid #d97706; background: #fffbeb; padding: 8px 14px; }
.warnings p { margin: 4px 0; }
.keys { display: grid; grid-template-columns: repeat(4, 1fr); gap: 14px; margin: 24px 0 0; }
.key { border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; background: var(--soft); }
.key dt { font-size: 13px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.key dd { margin: 2px 0 0; }
.key dd.figure { font-size: 24px; font-weight: 700; font-variant-numeric: tabular-nums; }
.key dd.note { font-size: 13px; color: var(--muted); }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 28px; }
.charts h2 { grid-column: 1 / -1; }
figure { margin: 0 0 12px; }
figure.wide { grid-column: 1 / -1; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 13px;
                 fill: var(--ink); }
svg.chart text.value { fill: var(--muted); font-variant-numeric: tabular-nums; }
svg.chart line.axis { stroke: var(--line); }
#chart-payouts rect.bar { fill: var(--accent); }
#chart-by-member rect.bar { fill: var(--member); }
#chart-by-kind rect.bar { fill: var(--kind); }
.table-wrap { overflow-x: auto; margin: 8px 0 12px; }
table { border-collapse: collapse; min-width: 560px; font-size: 14px; }
table.wide { width: 100%; }
caption { text-align: left; font-weight: 600; padding: 4px 0 8px; }
th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--soft); border-bottom: 2px solid var(--ink); font-size: 13px; vertical-align: bottom; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafbfc; }
tfoot td { font-weight: 700; border-bottom: none; }
tfoot tr:first-child td { border-top: 2px solid var(--ink); }
.status { display: inline-block; padding: 1px 8px; border-radius: 8px; font-size: 12px; font-weight: 600;
          line-height: 1.4; }
.handle { display: block; color: var(--muted); font-size: 12px; }
.status.contributes { background: #dcfce7; color: #166534; }
.status.donates { background: #dbeafe; color: #1e40af; }
.status.both { background: #ccfbf1; color: #115e59; }
.status.takes { background: #fee2e2; color: #991b1b; }
.status.dormant { background: #eef1f5; color: #475569; }
p.sentence { margin: 6px 0 10px; }
p.empty { color: var(--muted); font-style: italic; margin: 6px 0 12px; }
ul.agenda { margin: 4px 0 8px; padding-left: 22px; }
ul.agenda li { margin: 4px 0; }
a { color: #0b5cad; }
footer { max-width: 1180px; margin: 0 auto; padding: 16px 40px 32px; color: var(--muted); font-size: 13px;
         border-top: 1px solid var(--line); }
@media (max-width: 820px) {
  main, footer { padding-left: 16px; padding-right: 16px; }
  header.page-head { padding: 20px 16px; }
  .keys { grid-template-columns: repeat(2, 1fr); }
  .charts { grid-template-columns: 1fr; }
}
@page { size: A4; margin: 14mm 12mm; }
@page wide { size: A4 landscape; margin: 12mm; }
@media print {
  body { font-size: 10.5pt; }
  header.page-head { padding: 14px 18px; }
  main, footer { max-width: none; padding: 0; }
  section { margin-top: 0; }
  section.sheet { break-before: page; page-break-before: always; padding-top: 2mm; }
  #reciprocity { page: wide; }
  .keys { grid-template-columns: repeat(4, 1fr); gap: 8px; }
  .key { padding: 8px 10px; }
  .key dd.figure { font-size: 14pt; white-space: nowrap; }
  .table-wrap { overflow: visible; }
  table { font-size: 9pt; }
  th, td { padding: 3px 6px; }
  tr, figure, .key, li { break-inside: avoid; page-break-inside: avoid; }
  h2, h3, caption { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  a.evidence::after { content: " (" attr(href) ")"; font-size: 8pt; color: var(--muted); word-break: break-all; }
  footer { border-top: none; margin-top: 10mm; }
}
"""


NUM = ' class="num"'
PERSON_COLUMNS = (N_("donor"), N_("consultant"), N_("contributor"), N_("member"))  # cells of who(): 'Name (handle)'


def _number(text) -> float:
    """Only for drawing: the bar's length (the printed value stays the exact text)."""
    try:
        return max(float(Decimal(str(text))), 0.0)
    except (InvalidOperation, ValueError):
        return 0.0


def _short(label: str, size: int = 24) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def bar_chart(chart_id: str, label: str, rows: list[tuple[str, str, str]], empty: str, width: int = 540) -> str:
    """A horizontal bar chart as inline SVG: rows of (label, value to scale on, text printed at the bar's end).

    Drawn at its natural size in CSS pixels (it only shrinks on a narrower screen), so its text
    has the page's size; no data: the chart is the empty sentence instead.
    """
    if not rows:
        return f'<p class="empty" id="{html(chart_id)}">{html(empty)}</p>'
    left, right, row_h, bar_h, top = 170, 130, 28, 18, 6
    span = width - left - right
    biggest = max(_number(value) for _, value, _ in rows) or 1.0
    height = top * 2 + row_h * len(rows)
    parts = [f'<svg class="chart" id="{html(chart_id)}" role="img" aria-label="{html(label)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" preserveAspectRatio="xMinYMin meet">',
             f"<title>{html(label)}</title>",
             f'<line class="axis" x1="{left}" y1="0" x2="{left}" y2="{height}"/>']
    for i, (name, value, text) in enumerate(rows):
        y = top + i * row_h
        bar = round(span * _number(value) / biggest, 1)
        mid = y + row_h / 2
        parts.append(
            f'<g class="row"><title>{html(_("{label}: {value}").format(label=name, value=text))}</title>'
            f'<text class="label" x="{left - 8}" y="{mid}" text-anchor="end" dominant-baseline="middle">{html(_short(name))}</text>'
            f'<rect class="bar" x="{left}" y="{y + (row_h - bar_h) / 2}" width="{bar}" height="{bar_h}" rx="3"/>'
            f'<text class="value" x="{left + bar + 6}" y="{mid}" dominant-baseline="middle">{html(text)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _display_name(handle: str, known: dict[str, str]) -> str:
    return known.get(handle) or handle


def charts(report: dict) -> str:
    known, cur = names(report), report["currency"]
    payouts = [(_display_name(p["member"], known), p["amount"], pretty_money(p["amount"], cur))
               for p in report["split"].get("payouts", [])]
    members = [(_display_name(c["member"], known), c["value"], _value_text(c)) for c in report.get("contributors", [])]
    kinds = [(kind_word(k["kind"]), k["value"], _value_text(k)) for k in report.get("contributions_by_kind", [])]
    caption = _("Payouts by member") if report.get("closed") else _("Proposed payouts by member")
    return "\n".join([
        f'<section id="charts" class="charts" aria-label="{html(_("Charts"))}">', f"<h2>{html(_('At a glance'))}</h2>",
        f'<figure class="wide"><figcaption>{html(caption)}</figcaption>',
        bar_chart("chart-payouts", _("Payouts by member, in {cur}").format(cur=cur), payouts,
                  _("Nobody is paid this period."), 820), "</figure>",
        f"<figure><figcaption>{html(_('Contributions by member (value)'))}</figcaption>",
        bar_chart("chart-by-member", _("Value of counted contributions by member"), members,
                  _("No counted contributions this period.")), "</figure>",
        f"<figure><figcaption>{html(_('Contributions by kind (value)'))}</figcaption>",
        bar_chart("chart-by-kind", _("Value of counted contributions by kind"), kinds, _("No contributions this period.")),
        "</figure>", "</section>",
    ])


def _value_text(row: dict) -> str:
    """'23.8333 (21 h)': a value and its hours, for the charts."""
    return f"{pretty_number(row['value'])} ({pretty_number(row['hours'])} h)"


def keys(report: dict) -> str:
    pool, split, cur = report["pool"], report["split"], report["currency"]
    paid_to = len(split.get("payouts", []))
    if not paid_to:
        to_whom = _("to nobody")
    elif paid_to == 1:
        to_whom = _("to 1 person")
    else:
        to_whom = _("to {count} people").format(count=paid_to)
    cards = [
        (_("Pool"), pretty_money(pool["total"], cur),
         _("donations {donations} + carried in {carried_in}").format(
             donations=pretty_money(pool["donations"]), carried_in=pretty_money(pool["carried_in"]))),
        (_("Distributable"), pretty_money(pool["distributable"], cur),
         _("after the commons' {commons}").format(commons=pretty_money(pool["commons"]))),
        (_("Paid"), pretty_money(split["paid"], cur), to_whom),
        (_("Carried over"), pretty_money(split["carried_over"], cur), _("to the next period")),
    ]
    return f'<dl class="keys" aria-label="{html(_("Key numbers"))}">' + "".join(
        f'<div class="key"><dt>{html(name)}</dt><dd class="figure">{html(figure)}</dd><dd class="note">{html(note)}</dd></div>'
        for name, figure, note in cards) + "</dl>"


def table(grid: Grid) -> str:
    if not grid.rows:
        return f'<p class="empty">{html(grid.empty)}</p>'

    statuses = {_(status): klass for status, klass in STATUS_CLASSES.items()}  # the column shows the words translated
    people = {_(header) for header in PERSON_COLUMNS}

    def cell(i: int, text: str, tag: str = "td") -> str:
        column = grid.columns[i]
        klass = NUM if column.numeric else ""
        if column.header == _("status") and tag == "td" and text in statuses:
            return f'<td><span class="status {statuses[text]}">{html(text)}</span></td>'
        if column.header in people and text.endswith(")") and " (" in text:
            name, handle = text[:-1].rsplit(" (", 1)
            return f'<{tag}>{html(name)} <span class="handle">{html(handle)}</span></{tag}>'
        return f"<{tag}{klass}>{html(text)}</{tag}>"

    head = "".join(f'<th scope="col"{NUM if c.numeric else ""}>{html(c.header)}</th>' for c in grid.columns)
    body = "".join("<tr>" + "".join(cell(i, text) for i, text in enumerate(row)) + "</tr>" for row in grid.rows)
    foot = "".join("<tr>" + "".join(cell(i, text) for i, text in enumerate(row)) + "</tr>" for row in grid.totals)
    wide = ' class="wide"' if len(grid.columns) > 5 else ""
    return (f'<div class="table-wrap"><table id="table-{html(grid.key)}"{wide}><caption>{html(grid.title)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>" + (f"<tfoot>{foot}</tfoot>" if foot else "")
            + "</table></div>")


def _segments(item: list[Segment]) -> str:
    out = []
    for seg in item:
        if isinstance(seg, Link):
            out.append(f'<a class="evidence" href="{html(seg.url)}" rel="noopener noreferrer">{html(seg.text)}</a>'
                       if is_web_url(seg.url) else html(_("{text}: {url}").format(text=seg.text, url=seg.url)))
        else:
            out.append(html(seg))
    return "".join(out)


def agenda(report: dict) -> str:
    parts = ['<section id="agenda" class="sheet">', f"<h2>{html(_('Review agenda'))}</h2>"]
    for key, heading, empty, items in agenda_items(report):
        parts.append(f'<h3 id="agenda-{html(key.replace("_", "-"))}">{html(heading)}<span class="count">{len(items)}</span></h3>')
        parts.append(f'<ul class="agenda">{"".join(f"<li>{_segments(i)}</li>" for i in items)}</ul>' if items
                     else f'<p class="empty">{html(empty)}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def as_html(report: dict) -> str:
    """The whole page: header, key numbers, charts, the tables of every section, the agenda."""
    closed = bool(report.get("closed"))
    state = (f'<span class="state closed">{html(_("closed"))}</span>' if closed
             else f'<span class="state open">{html(_("open — the split is a proposal"))}</span>')
    warning = f"<strong>{html(_('Warning:'))}</strong>"
    body = [
        '<header class="page-head">',
        f'<p class="eyebrow">{html(_("Reciprocity report · {period}").format(period=report["period"]))}</p>',
        f"<h1>{html(report['title'])}</h1>",
        '<p class="meta">' + html(_("{start} – {end} · generated {generated} · {state}")).format(
            start=html(pretty_date(report["start"])), end=html(pretty_date(report["end"])),
            generated=html(pretty_date(report["generated"])), state=state) + "</p>",
        "</header>", "<main>",
    ]
    if report.get("warnings"):
        body.append('<div class="warnings" role="note">' + "".join(
            f"<p>{warning} {html(w)}</p>" for w in report["warnings"]) + "</div>")
    body += [keys(report), charts(report)]
    for key, heading, sentences, tables in grids(report):
        body.append(f'<section id="{html(key)}" class="sheet">')
        body.append(f"<h2>{html(heading)}</h2>")
        body += [f'<p class="sentence">{html(s)}</p>' for s in sentences]
        body += [table(grid) for grid in tables]
        if key == "split":
            body += [f'<div class="warnings" role="note"><p>{warning} {html(w)}</p></div>' for w in split_warnings(report)]
        body.append("</section>")
    footer = _("{title}, period {period} ({state}); generated by fab on {generated} from the ledger. Amounts in "
               "{currency}; a contribution's value is hours × weight × review factor × author's share.").format(
        title=report["title"], period=report["period"],
        state=_("closed") if closed else _("open: the split is a proposal until the period is closed"),
        generated=pretty_date(report["generated"]), currency=report["currency"])
    body += [agenda(report), "</main>", f"<footer>{html(footer)}</footer>"]
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{language()}">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html(title(report))}</title>", f"<style>{CSS}</style>", "</head>", "<body>", *body, "</body>", "</html>",
    ]) + "\n"
