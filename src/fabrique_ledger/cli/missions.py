"""Services for referenced consultants: ``fab mission post|list|show|interest|assign`` and
``fab template list|render``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from ..i18n import N_, Text, _
from ..render.formats import as_json, shown_day
from .app import app
from .common import DateOpt, LedgerOpt, ask, echo, emit, fail, load, parse_date
from .options import TextOrJson, Write, format_flag, writes

mission_app = typer.Typer(help=_("Mission proposals for referenced consultants: post, list, show, interest, assign."),
                          no_args_is_help=True)
app.add_typer(mission_app, name="mission")
template_app = typer.Typer(help=_("Response templates (templates/*.md) filled for a referenced consultant."),
                           no_args_is_help=True)
app.add_typer(template_app, name="template")

MissionArg = Annotated[Optional[str], typer.Argument(
    metavar="ID", help=_("The mission's id (see fab mission list). Example: 2026-11-20-etude-covoiturage-rural"))]


MissionListFormat = Annotated[Literal["text", "json"], format_flag(N_("text (one block per mission) or json. Example: --format json"))]


@mission_app.command("post")
@writes()
def mission_post(
    title: Annotated[Optional[str], typer.Option(help=_("What the mission is. Example: --title 'Étude covoiturage rural'"))] = None,
    client: Annotated[Optional[str], typer.Option(help=_("Who buys it. Example: --client 'Métropole de Lyon'"))] = None,
    deadline: Annotated[Optional[str], typer.Option(help=_("Last day to answer, YYYY-MM-DD. Example: --deadline 2026-12-15"))] = None,
    skill: Annotated[Optional[list[str]], typer.Option(
        "--skill", help=_("A skill the mission needs; repeat for several. Example: --skill covoiturage --skill enquêtes"))] = None,
    url: Annotated[Optional[str], typer.Option(help=_("The call for tenders. Example: --url https://marches.example.org/ao-2026-118"))] = None,
    description: Annotated[Optional[str], typer.Option(help=_("A few sentences about it. Example: --description 'Diagnostic and pilots in 12 villages'"))] = None,
    by: Annotated[Optional[str], typer.Option("--by", help=_("The member who posts it. Example: --by alice"))] = None,
    date: DateOpt = None,
    id: Annotated[Optional[str], typer.Option("--id", help=_("Id of the mission (default: date-title). Example: --id covoiturage-lyon"))] = None,
    *, write: Write,
) -> None:
    """Post a mission proposal for the referenced consultants (status open).

    Example: fab mission post --title "Étude covoiturage rural" --client "Métropole de Lyon" --deadline 2026-12-15 --skill covoiturage --by alice
    """
    from .. import drafts

    title = ask(title, "--title", _("Title of the mission"))
    client = ask(client, "--client", _("Client"))
    day_due = parse_date(ask(deadline, "--deadline", _("Deadline (YYYY-MM-DD)")), "--deadline")
    poster = ask(by, "--by", _("Your handle"))
    day = parse_date(date)
    root, current = load(write.ledger, lock=True)
    draft = drafts.mission(current, title=title, client=client, deadline=day_due, by=poster, skills=skill or [],
                          url=url, description=description, day=day, record_id=id)
    write.finish(root, draft)


@mission_app.command("list")
def mission_list(
    for_: Annotated[Optional[str], typer.Option(
        "--for", help=_("Show what this consultant may see: nothing unless they are referenced today. Example: --for bruno"))] = None,
    all_: Annotated[bool, typer.Option("--all", help=_("Every mission, also assigned, closed or past its deadline."))] = False,
    format: MissionListFormat = "text",
    ledger: LedgerOpt = None,
) -> None:
    """List the open mission proposals (status open, deadline not passed), soonest deadline first.

    Example: fab mission list --for bruno
    """
    from .. import missions

    _ignored, current = load(ledger)
    who = None
    if for_ is not None:
        found, who = missions.visible_to(current, for_, everything=all_)
        if who.state == "unknown":
            fail(_("'{v_for}' is not a member").format(v_for=for_), who.how())
    else:
        found = missions.listed(current, everything=all_)
    if who is not None and not who.referenced:
        refusal = _("No mission proposals for {handle}: {sentence}").format(
            handle=for_, sentence=who.sentence(_("mission proposals")))
        if format == "json":
            echo("[]")
        echo(refusal, err=format == "json")
        return
    if format == "json":
        echo(as_json([missions.as_data(m) for m in found]))
        return
    count = str(len(found)) if found else _("none")
    if who is not None:
        assert who.since is not None  # a referenced standing has its first day (refused above otherwise)
        intro = (_("Missions for {handle} (referenced since {since}): {count}") if all_ else
                 _("Open mission proposals for {handle} (referenced since {since}): {count}")).format(
            handle=for_, since=shown_day(who.since), count=count)
    else:
        intro = (_("Missions on {today}: {count}") if all_ else
                 _("Open mission proposals on {today}: {count}")).format(today=shown_day(current.today), count=count)
    lines = [intro]
    for m in found:
        details = [_("deadline {deadline}").format(deadline=shown_day(m.deadline)), missions.status_word(m),
                   *([_("skills: {skills}").format(skills=", ".join(m.skills))] if m.skills else [])]
        lines += ["", m.id, f"  {m.title} — {m.client}", f"  {' · '.join(map(str, details))}"]
        if m.interest:
            lines.append("  " + _("interest: {names}").format(names=", ".join(s.member for s in m.interest)))
    echo("\n".join(lines))


SHOW_LABELS = {"id": N_("id:"), "deadline": N_("deadline:"), "status": N_("status:"), "skills": N_("skills:"),
               "url": N_("url:"), "posted": N_("posted:"), "interest": N_("interest:"), "assigned": N_("assigned:")}


@mission_app.command("show")
def mission_show(
    mission_id: MissionArg = None,
    format: TextOrJson = "text",
    ledger: LedgerOpt = None,
) -> None:
    """Show one mission: client, deadline, skills, who is interested, who is assigned.

    Example: fab mission show 2026-11-20-etude-covoiturage-rural
    """
    from .. import missions

    mission_id = ask(mission_id, "ID", _("Mission id"))
    _ignored, current = load(ledger)
    mission = missions.find(current, mission_id)
    if mission is None:
        fail(_("there is no mission '{mission_id}'").format(mission_id=mission_id), _("see the ids with: fab mission list --all"))
    if format == "json":
        echo(as_json(missions.as_data(mission)))
        return

    def who(handle: str) -> str:
        member = current.members.get(handle)
        return f"{member.name} ({handle})" if member else handle

    def steps(found) -> list[str]:
        return [_("{who} on {date}").format(who=who(s.member), date=shown_day(s.date)) for s in found] or [_("nobody yet")]

    labels = {key: _(label) for key, label in SHOW_LABELS.items()}
    width = max(len(label) for label in labels.values()) + 1

    def line(key: str, text: Text, first: bool = True) -> str:
        return f"{labels[key] if first else '':<{width}} {text}"

    due = (_("{deadline} (open)") if mission.deadline >= current.today else _("{deadline} (passed)")).format(
        deadline=shown_day(mission.deadline))
    lines = [
        f"{mission.title} — {mission.client}",
        line("id", mission.id),
        line("deadline", due),
        line("status", missions.status_word(mission)),
    ]
    if mission.skills:
        lines.append(line("skills", ", ".join(mission.skills)))
    if mission.url:
        lines.append(line("url", mission.url))
    lines.append(line("posted", _("{date} by {who}").format(date=shown_day(mission.date), who=who(mission.posted_by))))
    for key, found in (("interest", mission.interest), ("assigned", mission.assigned)):
        for n, text in enumerate(steps(found)):
            lines.append(line(key, text, first=n == 0))
    if mission.description:
        lines += ["", mission.description]
    echo("\n".join(lines))


def _step_command(kind: str, mission_id: str | None, handle: str | None, date: str | None, write: Write) -> None:
    from .. import drafts, missions
    from ..store.root import raw

    mission_id = ask(mission_id, "ID", _("Mission id"))
    handle = ask(handle, "--by" if kind == "interest" else "--to", _("Consultant's handle"))
    day = parse_date(date)
    root, current = load(write.ledger, lock=True)
    found = missions.find(current, mission_id)
    text = raw(root, found.source.path) if found is not None else b""
    if kind == "interest":
        draft = drafts.mission_interest(current, mission_id, text, by=handle, day=day)
    else:
        draft = drafts.mission_assignment(current, mission_id, text, to=handle, day=day)
    write.finish(root, draft)


@mission_app.command("interest")
@writes()
def mission_interest(
    mission_id: MissionArg = None,
    by: Annotated[Optional[str], typer.Option("--by", help=_("The referenced consultant who is interested. Example: --by bruno"))] = None,
    date: DateOpt = None,
    *, write: Write,
) -> None:
    """Express a referenced consultant's interest in an open mission; committed as them.

    Example: fab mission interest 2026-11-20-etude-covoiturage-rural --by bruno
    """
    _step_command("interest", mission_id, by, date, write)


@mission_app.command("assign")
@writes()
def mission_assign(
    mission_id: MissionArg = None,
    to: Annotated[Optional[str], typer.Option("--to", help=_("The referenced consultant the mission goes to; assign again to add a team member. Example: --to bruno"))] = None,
    date: DateOpt = None,
    *, write: Write,
) -> None:
    """Assign a mission to a referenced consultant (status assigned).

    Example: fab mission assign 2026-11-20-etude-covoiturage-rural --to bruno
    """
    _step_command("assign", mission_id, to, date, write)


# --- templates -----------------------------------------------------------------------------------

@template_app.command("list")
def template_list(
    format: TextOrJson = "text",
    ledger: LedgerOpt = None,
) -> None:
    """List the response templates (templates/*.md next to charter.md) with their first heading.

    Example: fab template list
    """
    from ..store.root import NoLedger, find_root
    from ..store.templates import TemplateNotFound, read_all
    from ..templates import heading

    try:
        root = find_root(ledger)
        found = read_all(root)
    except NoLedger as error:
        fail(str(error), code=2)
    except TemplateNotFound as error:
        fail(str(error))
    rows = [{"name": name, "path": rel, "heading": heading(text)} for name, rel, text in found]
    if format == "json":
        echo(as_json(rows))
        return
    if not rows:
        echo(_("No templates in templates/: add Markdown files there (see the README)."))
        return
    width = max(len(name) for name, _rel, _text in found)
    for row in rows:
        echo(f"{row['name']:<{width}}  {row['heading'] or _('(no heading)')}")


@template_app.command("render")
def template_render(
    name: Annotated[Optional[str], typer.Argument(metavar="NAME", help=_("The template (see fab template list). Example: offre-technique"))] = None,
    for_: Annotated[Optional[str], typer.Option("--for", help=_("The referenced consultant whose details fill it. Example: --for bruno"))] = None,
    mission: Annotated[Optional[str], typer.Option(help=_("The mission it answers, for {{mission.*}}. Example: --mission 2026-11-20-etude-covoiturage-rural"))] = None,
    output: Annotated[Optional[Path], typer.Option(help=_("Write to this file instead of the screen. Example: --output offre.md"))] = None,
    ledger: LedgerOpt = None,
) -> None:
    """Fill a response template for a referenced consultant: their details, the Fabrique's, the mission's,
    today's date and the reciprocity clause.

    Example: fab template render offre-technique --for bruno --mission 2026-11-20-etude-covoiturage-rural --output offre.md
    """
    from .. import missions
    from ..referencing import standing
    from ..render.escape import md
    from ..store.templates import TemplateNotFound, read
    from ..templates import PLACEHOLDERS, fill, missing_value_reason, problems, template_values

    name = ask(name, "NAME", _("Template name"))
    handle = ask(for_, "--for", _("Consultant's handle"))
    root, current = load(ledger)
    who = standing(current, handle, current.today)
    if not who.referenced:
        fail(_('{handle} {why}: the response templates are for referenced consultants only').format(handle=handle, why=who.why()), who.how())
    found = None
    if mission is not None:
        found = missions.find(current, mission)
        if found is None:
            fail(_("there is no mission '{mission}'").format(mission=mission), _("see the ids with: fab mission list --all"))
    try:
        rel, text = read(root, name)
    except TemplateNotFound as error:
        fail(str(error), _("see the templates with: fab template list"))
    wrong = problems(text, rel, PLACEHOLDERS)
    if wrong:
        echo("\n".join(_("error: {message}").format(message=p) + "\n" + _("  hint: {hint}").format(hint=p.hint)
                        for p in wrong), err=True)
        raise typer.Exit(1)
    # the values are the ledger's text in a Markdown document: shown as typed, no link, image or HTML from them
    # (addresses stay whole, so that they can be copied: an offer is not a forge's page, no one is notified)
    values = {key: None if value is None else md(value, mentions=False)
              for key, value in template_values(current, who, found).items()}
    filled, left = fill(text, values)
    for slot_name in dict.fromkeys(s.name for s in left):
        echo(_('warning: {{{{{slot_name}}}}} is left as it is: {missing_value_reason}').format(slot_name=slot_name, missing_value_reason=missing_value_reason(slot_name, who, found)), err=True)
    emit(filled, output)
