"""The contributors' thank-you page (``contributors.build_contributors``) as Markdown, MediaWiki and HTML.

Markdown is a list for a README or a forge; MediaWiki a sortable table with links to the members'
user pages, to paste on the Fabrique's wiki; HTML one standalone page of cards, all-contributors
style.  Every text from the ledger is escaped for its format.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ..i18n import _, language
from .escape import html, md, md_url, wiki, wiki_title

DEFAULT_WIKI = "https://wiki.lafabriquedesmobilites.fr/wiki/"


def heading(data: dict) -> str:
    return _("Thank you! — contributors to {title}").format(title=data["title"])


def sentence(data: dict) -> str:
    if not data["contributors"]:
        if data.get("period"):
            return _("No contribution or donation is recorded in {period}.").format(period=data["period"])
        return _("No contribution or donation is recorded yet.")
    if data.get("period"):
        return _("The people who gave their time or money to the commons in {period}, in alphabetical order. "
                 "Thank you all!").format(period=data["period"])
    if data.get("span"):
        return _("The people who gave their time or money to the commons since the ledger began ({span}), "
                 "in alphabetical order. Thank you all!").format(span=data["span"])
    return _("The people who gave their time or money to the commons since the ledger began, in alphabetical "
             "order. Thank you all!")


def badges(person: dict) -> str:
    """'📖 wiki ×2 · 💻 code': one badge per kind, with the number of contributions when more than one."""
    return " · ".join(f"{k['emoji']} {k['label']}" + (f" ×{k['count']}" if k["count"] > 1 else "")
                      for k in person["kinds"])


def key_line(data: dict) -> str:
    return _("Key: {badges}").format(badges=" · ".join(f"{k['emoji']} {k['label']}" for k in data["key"]))


def user_url(wiki_user: str, base: str = DEFAULT_WIKI) -> str:
    return base + "User:" + quote(wiki_user.strip().replace(" ", "_"), safe="_-.,:()'!~")


def _linkable(wiki_user: str | None) -> bool:
    """Whether the wiki user name can be a page title (escape.wiki_title): else it is shown, not linked."""
    return wiki_title(wiki_user) is not None


# --- Markdown ---------------------------------------------------------------------------------------

def as_markdown(data: dict, wiki_base: str = DEFAULT_WIKI) -> str:
    lines = [f"# {md(heading(data))}", "", md(sentence(data))]
    if data["contributors"]:
        lines.append("")
        for person in data["contributors"]:
            user = person.get("wiki_user")
            link = f" ([{md(user)}]({md_url(user_url(user, wiki_base))}))" if _linkable(user) else ""
            lines.append(f"- **{md(person['name'])}**{link} — {badges(person)}")
        lines += ["", key_line(data)]
    return "\n".join(lines) + "\n"


# --- MediaWiki --------------------------------------------------------------------------------------

def as_wiki(data: dict) -> str:
    lines = [f"== {wiki(heading(data))} ==", "", wiki(sentence(data))]
    if data["contributors"]:
        lines += ["", '{| class="wikitable sortable"', "! " + " !! ".join(wiki(h) for h in (_("contributor"), _("wiki"), _("contributions")))]
        for person in data["contributors"]:
            user = person.get("wiki_user")
            target = wiki_title(user)
            link = f"[[User:{target}|{wiki(user.strip())}]]" if target is not None else wiki(user or "")
            cells = [wiki(person["name"]), link, wiki(badges(person))]
            lines += ["|-", "| " + " || ".join(cells).replace("||  ||", "|| ||")]
        lines += ["|}", "", wiki(key_line(data))]
    return "\n".join(lines) + "\n"


# --- HTML -------------------------------------------------------------------------------------------

CSS = """
:root { --ink: #1d2433; --muted: #5b6475; --line: #d9dee7; --soft: #f4f6f9; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
header { background: #12343b; color: #fff; padding: 28px 40px 24px; }
header h1 { margin: 0 0 6px; font-size: 28px; }
header p { margin: 0; opacity: .9; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 40px 40px; }
ul.people { list-style: none; margin: 0; padding: 0; display: grid; gap: 14px;
            grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); }
li.person { border: 1px solid var(--line); border-radius: 12px; padding: 16px; text-align: center; background: var(--soft); }
.avatar { display: inline-flex; align-items: center; justify-content: center; width: 64px; height: 64px;
          border-radius: 50%; background: #0f766e; color: #fff; font-size: 24px; font-weight: 700; }
.name { display: block; font-weight: 700; margin-top: 8px; }
.wiki { display: block; font-size: 13px; }
.badges { display: block; margin-top: 6px; font-size: 20px; letter-spacing: 2px; }
.badges span { cursor: default; }
p.key { color: var(--muted); margin-top: 24px; }
a { color: #0b5cad; }
@media print { header { padding: 12px; } main { padding: 12px 0; } li.person { break-inside: avoid; } }
"""


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def as_html(data: dict, wiki_base: str = DEFAULT_WIKI) -> str:
    cards = []
    for person in data["contributors"]:
        user = person.get("wiki_user")
        link = (f'<a class="wiki" href="{html(user_url(user, wiki_base))}" rel="noopener noreferrer">{html(user)}</a>'
                if _linkable(user) else "")
        marks = "".join(f'<span title="{html(k["label"])}' + (f' ×{k["count"]}' if k["count"] > 1 else "")
                        + f'" aria-label="{html(k["label"])}">{html(k["emoji"])}</span>' for k in person["kinds"])
        cards.append(f'<li class="person" id="member-{html(person["member"])}"><span class="avatar" aria-hidden="true">'
                     f'{html(_initials(person["name"]))}</span><span class="name">{html(person["name"])}</span>{link}'
                     f'<span class="badges">{marks}</span></li>')
    body = [f"<header><h1>{html(heading(data))}</h1><p>{html(sentence(data))}</p></header>", "<main>"]
    if cards:
        body += ['<ul class="people">', *cards, "</ul>", f'<p class="key">{html(key_line(data))}</p>']
    body += ["</main>"]
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{language()}">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html(heading(data))}</title>", f"<style>{CSS}</style>", "</head>", "<body>", *body, "</body>", "</html>",
    ]) + "\n"
