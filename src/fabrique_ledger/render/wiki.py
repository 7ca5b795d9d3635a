"""What ``fab wiki publish`` and ``fab wiki harvest`` print: the diff against the page on the wiki, one
line per page, and the harvested pages per member.  Wiki text is written by anyone: the command line
prints all of it through ``cli.common.echo`` (render.escape.visible), never raw."""

from __future__ import annotations

import difflib

from ..i18n import _, ngettext
from ..shown import shown_day as day
from ..wiki import Decision, Harvested, PageNow


def diff(now: PageNow, text: str) -> str:
    """A unified diff from the page as the wiki has it to the page fab would publish ('' when the same)."""
    old = (now.text or "").rstrip().splitlines(keepends=False)
    new = text.rstrip().splitlines(keepends=False)
    revision = now.revisions[0].revid if now.revisions else 0
    lines = difflib.unified_diff(old, new, _("{title} (on the wiki, revision {revid})").format(title=now.title, revid=revision) if now.text is not None
                                 else _("{title} (not on the wiki yet)").format(title=now.title),
                                 _("{title} (from the ledger)").format(title=now.title), lineterm="", n=1)
    return "\n".join(lines) + "\n" if old != new else ""


def others(decision: Decision) -> str:
    """'Editor (revision 12), Bob (revision 11)': who changed the page since fab last published it."""
    return ", ".join(_("{user} (revision {revid})").format(user=r.user or "?", revid=r.revid) for r in decision.others[:5]) + (
        ", …" if len(decision.others) > 5 else "")


def outcome(title: str, decision: Decision, revid: int | None, dry_run: bool) -> str:
    """One line saying what happened to a page (or would, with --dry-run)."""
    if decision.action == "unchanged":
        return _("unchanged: {title} (no edit)").format(title=title)
    if dry_run:
        return {"create": _("would create {title}"), "update": _("would update {title}"),
                "conflict": _("would overwrite {title}, changed on the wiki since fab last published it (needs --force)")}[decision.action].format(title=title)
    if decision.action == "create":
        return _("created {title} (revision {revid})").format(title=title, revid=revid)
    return _("updated {title} (revision {revid})").format(title=title, revid=revid)


def refusal(title: str, decision: Decision) -> str:
    if decision.never_published:
        return _("{title} exists on the wiki and was not published by fab with this account (last edits: {who}); nothing was changed").format(title=title, who=others(decision))
    return _("{title} was changed on the wiki since fab last published it, by {who}; nothing was changed").format(title=title, who=others(decision))


def harvest_text(found: list[Harvested], members: dict[str, str], period: str) -> str:
    """Per member (every member with a wiki account, even with nothing found), the pages to record."""
    lines: list[str] = []
    for member, wiki_user in members.items():
        mine = [h for h in found if h.member == member]
        lines.append(ngettext("{member} ({wiki_user}): {count} wiki page edited in {period} that no contribution records",
                              "{member} ({wiki_user}): {count} wiki pages edited in {period} that no contribution records",
                              len(mine)).format(member=member, wiki_user=wiki_user, count=len(mine), period=period))
        for h in mine:
            edits = ngettext("{count} edit", "{count} edits", h.edits).format(count=h.edits)
            span = day(h.first) if h.first == h.last else f"{day(h.first)} – {day(h.last)}"
            lines.append(_("  {title}: {edits}, +{added} bytes, {span}, {link}").format(
                title=h.title, edits=edits, added=h.added, span=span, link=h.link))
    if found:
        first = found[0]
        lines += ["", _("record one with:  fab contribute --from-wiki '{title}' --by {member} --hours HOURS").format(
            title=first.title.replace("'", "'\\''"), member=first.member)]
    return "\n".join(lines) + "\n"
