"""Write commands: init, member add, sign, contribute, donate, use."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from string import Template
from typing import Annotated, Optional, TypedDict

import typer

from ..i18n import _
from ..render.formats import as_json
from . import names
from .app import app
from .common import (
    AuthorOpt,
    DateOpt,
    LedgerOpt,
    ask,
    check_author,
    console,
    echo,
    fail,
    load,
    parse_date,
    parse_hours,
    parse_number,
    usage,
)
from .options import TextOrJson, Write, writes

member_app = typer.Typer(help=_("Members: people and organisations of the commons."), no_args_is_help=True)
app.add_typer(member_app, name="member")

RoleOpt = Annotated[Optional[list[str]], typer.Option(
    "--role", help=_("consultant or contributor; repeat for both. Example: --role consultant --role contributor"))]


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help=_("Folder of the new ledger (created if needed). Example: fab init fabrique"))],
    currency: Annotated[str, typer.Option(help=_("ISO code of the ledger's currency. Example: --currency EUR"))] = "EUR",
    name: Annotated[str, typer.Option(help=_("Name of the commons. Example: --name 'Fabrique des Mobilités'"))] = "Fabrique des Mobilités",
    author: AuthorOpt = None,
) -> None:
    """Start a new ledger: settings, a starter charter, git repository, first commit.

    Example: fab init fabrique --currency EUR --name "Fabrique des Mobilités"
    """
    from importlib.resources import files

    from ..render.problems import as_text
    from ..store import git as gitstore
    from ..store.atomic import write_file
    from ..store.reading import read_settings

    check_author(author)
    if not currency.isalpha() or len(currency) != 3:
        usage(_("'{currency}' is not a 3-letter currency code like EUR").format(currency=currency), "--currency")
    directory = directory.resolve()
    if (directory / "ledger" / "fabrique.yaml").exists():
        fail(_('{directory} already holds a ledger').format(directory=directory), _("use it as it is: cd there and run fab check"))
    starter = files("fabrique_ledger") / "starter"
    settings = Template(starter.joinpath("fabrique.yaml").read_text("utf-8")).substitute(
        name=json.dumps(name, ensure_ascii=False), currency=currency.upper())
    refused = read_settings(settings.encode("utf-8"))[1]  # a name fab check would refuse (issue 13: control characters)
    if refused:
        echo(_('error: nothing was written; {rel} would have these problems:').format(rel="ledger/fabrique.yaml"), err=True)
        echo(as_text(refused), err=True)
        raise typer.Exit(1)
    made = {
        "ledger/fabrique.yaml": settings,
        "ledger/README.md": starter.joinpath("README.md").read_text("utf-8"),
    }
    if not (directory / "charter.md").exists():
        made["charter.md"] = starter.joinpath("charter.md").read_text("utf-8")
    for template in sorted(starter.joinpath("templates").iterdir(), key=lambda t: t.name):  # response templates
        if template.name.endswith(".md") and not (directory / "templates" / template.name).exists():
            made[f"templates/{template.name}"] = template.read_text("utf-8")
    for rel, text in made.items():
        (directory / rel).parent.mkdir(parents=True, exist_ok=True)
        write_file(directory / rel, text.encode("utf-8"))
    repo = gitstore.init(directory)
    try:
        sha = gitstore.commit(repo, [directory / rel for rel in made], f"init: new reciprocity ledger for {name}", author)
    except gitstore.GitProblem as error:
        fail(_("the ledger's files are written in {directory} but not committed: {error}").format(directory=directory, error=error),
             _("fix git, then commit them with: git add ledger charter.md && git commit"))
    echo(_('new ledger in {directory} (committed {sha})\nnext: fab member add HANDLE --name NAME').format(directory=directory, sha=sha[:10]))


@member_app.command("add")
@writes()
def member_add(
    handle: Annotated[Optional[str], typer.Argument(help=_("Short unique id: lowercase letters, digits, '-'. Example: alice"))] = None,
    name: Annotated[Optional[str], typer.Option(help=_("Full name of the person or organisation. Example: --name 'Alice Martin'"))] = None,
    role: RoleOpt = None,
    organisation: Annotated[Optional[str], typer.Option(help=_("Company or organisation. Example: --organisation 'Mobilis Études'"))] = None,
    email: Annotated[Optional[str], typer.Option(help=_("Email (public!), used to recognise their commits. Example: --email alice@example.org"))] = None,
    wiki_user: Annotated[Optional[str], typer.Option("--wiki-user", help=_("User name on the Fabrique's wiki. Example: --wiki-user AliceM"))] = None,
    joined: Annotated[Optional[str], typer.Option(help=_("Date they joined, YYYY-MM-DD (default: today). Example: --joined 2026-01-10"))] = None,
    no_receive: Annotated[bool, typer.Option("--no-receive", help=_("Opt out of payouts from the pool."))] = False,
    signing_key: Annotated[Optional[list[str]], typer.Option(
        "--signing-key", help=_("A public SSH key the member signs commits with (the line of their .pub file, or the file); repeat for several. Example: --signing-key ~/.ssh/id_ed25519.pub"))] = None,
    *, write: Write,
) -> None:
    """Add a member (consultant and/or contributor).

    Example: fab member add david --name "David Roux" --role contributor --email david@example.org
    """
    from .. import drafts

    handle = ask(handle, "HANDLE", _("Handle (short id, like alice)"))
    name = ask(name, "--name", _("Full name"))
    roles = role or ["contributor"]
    for value in roles:
        if value not in ("consultant", "contributor"):
            usage(_("'{value}' is not a role (choose consultant or contributor)").format(value=value), "--role")
    day = parse_date(joined, "--joined")
    root, current = load(write.ledger, lock=True, writes=("member", day))
    if handle in current.members:  # told as typed: member add has no --id to offer (issue 15, item 3)
        fail(_("HANDLE: '{handle}' is already a member").format(handle=handle),
             _("choose another handle; see the members with: fab member list"))
    draft = drafts.member(current, handle, name=name, roles=list(dict.fromkeys(roles)), joined=day,
                          organisation=organisation, email=email, wiki_user=wiki_user, receives=not no_receive,
                          signing_keys=[_key(value) for value in signing_key or []])
    write.finish(root, draft)


def _key(value: str) -> str:
    """--signing-key: the key's line, or a .pub file holding it."""
    path = Path(value).expanduser()
    if not value.startswith(("ssh-", "ecdsa-", "sk-")) and path.is_file():
        try:
            return path.read_text("utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            usage(_("could not read {path}: {reason}").format(path=path, reason=getattr(error, "strerror", None) or error), "--signing-key")
    return value


class _MemberRow(TypedDict):
    """A line of ``fab member list``, as JSON and in the table."""
    handle: str
    name: str
    roles: list[str]
    organisation: str | None
    receives: bool
    signed: str | None


@member_app.command("list")
def member_list(ledger: LedgerOpt = None,
                format: TextOrJson = "text") -> None:
    """List the members with their roles and latest signature.

    Example: fab member list --format json
    """
    _ignored, current = load(ledger)
    latest = {}
    for sig in sorted(current.signatures, key=lambda s: s.date):
        latest[sig.member] = sig
    rows: list[_MemberRow] = [{"handle": m.id, "name": m.name, "roles": list(m.roles), "organisation": m.organisation,
             "receives": m.receives, "signed": str(latest[m.id].date) if m.id in latest else None}
            for m in sorted(current.members.values(), key=lambda m: m.id)]
    if format == "json":
        echo(as_json(rows))
        return
    from rich.table import Table

    table = Table(_("handle"), _("name"), _("roles"), _("organisation"), _("signed"), _("receives"))
    for row in rows:
        table.add_row(row["handle"], row["name"], ", ".join(row["roles"]), row["organisation"] or "",
                      row["signed"] or _("not signed"), _("yes") if row["receives"] else _("no (opted out)"))
    console().print(table)


@app.command()
@writes()
def sign(
    handle: Annotated[Optional[str], typer.Argument(help=_("The member who signs. Example: alice"))] = None,
    date: DateOpt = None,
    *, write: Write,
) -> None:
    """Sign the current charter (charter.md): records its sha256, committed as the signer.

    Example: fab sign alice --date 2026-01-15
    """
    from .. import drafts

    handle = ask(handle, "HANDLE", _("Handle of the member who signs"))
    day = parse_date(date)
    root, current = load(write.ledger, lock=True, writes=("signature", day))
    handle = names.member(current, handle, "HANDLE")
    write.finish(root, drafts.signature(current, handle, day=day))
    names.acting(current, handle, write)


def _parse_by(values: list[str]) -> list[tuple[str, Decimal | None]]:
    authors = []
    for value in values:
        handle, _ignored, share = value.partition(":")
        authors.append((handle.strip(" "), parse_number(share, "--by") if share else None))  # (a line break is refused)
    if len(authors) > 1 and any(s is None for _handle, s in authors):
        usage(_("give every co-author a share, adding up to 1, like --by alice:0.6 --by bruno:0.4"), "--by")
    return authors


@app.command()
@writes()
def contribute(
    by: Annotated[Optional[list[str]], typer.Option(
        "--by", help=_("Author, with their share if several (shares add up to 1). Example: --by alice:0.6 --by bruno:0.4"))] = None,
    kind: Annotated[Optional[str], typer.Option(help=_("wiki, code, event, mentoring, template, translation, review-work, other. Example: --kind wiki"))] = None,
    title: Annotated[Optional[str], typer.Option(help=_("What was done. Example: --title 'Covoiturage rural'"))] = None,
    hours: Annotated[Optional[str], typer.Option(help=_("Time spent, in hours. Example: --hours 6, --hours 1.5 or --hours 1h30"))] = None,
    url: Annotated[Optional[str], typer.Option(help=_("Where to see it. Example: --url https://wiki.lafabriquedesmobilites.fr/wiki/Covoiturage"))] = None,
    date: DateOpt = None,
    id: Annotated[Optional[str], typer.Option("--id", help=_("Id of the record (default: date-author-title). Example: --id covoiturage-rural"))] = None,
    description: Annotated[Optional[str], typer.Option(help=_("A sentence or two about it. Example: --description 'Six rural car-sharing pilots compared'"))] = None,
    from_wiki: Annotated[Optional[str], typer.Option("--from-wiki", help=_("A page of the settings' wiki: kind wiki, title, a permanent link and the date of the first author's last edit of it are taken from the wiki. Example: --from-wiki 'Covoiturage rural'"))] = None,
    *, write: Write,
) -> None:
    """Record a contribution to the commons (work on the wiki, code, an event, mentoring...).

    Example: fab contribute --by chloe --kind code --title "Export MediaWiki" --hours 8 --date 2026-07-21
    Example: fab contribute --from-wiki "Covoiturage rural" --by alice --hours 3
    """
    from .. import drafts

    by = ask(by, "--by", _("Author handle"))
    authors = _parse_by([by] if isinstance(by, str) else by)
    if from_wiki is not None:  # issue 16: what the wiki knows is filled in, what is given wins
        from .wiki import from_wiki as fill

        found = fill(from_wiki, authors[0][0], write.ledger)
        kind, title, url, date = kind or "wiki", title or found.title, url or found.url, date or found.day.isoformat()
    kind = ask(kind, "--kind", _("Kind (wiki, code, event, mentoring, template, translation, review-work, other)"))
    title = ask(title, "--title", _("Title"))
    amount = parse_hours(ask(hours, "--hours", _("Hours spent")))
    day = parse_date(date)
    root, current = load(write.ledger, lock=True, writes=("contribution", day))
    authors = [(names.member(current, handle, "--by"), share) for handle, share in authors]
    draft = drafts.contribution(current, by=authors, kind=kind, title=title, hours=amount, day=day, url=url,
                                description=description, record_id=id)
    write.finish(root, draft)


@app.command()
@writes()
def donate(
    by: Annotated[Optional[str], typer.Option("--by", help=_("The donor's handle. Example: --by bruno"))] = None,
    amount: Annotated[Optional[str], typer.Option(help=_("Amount in the ledger's currency. Example: --amount 1500.00"))] = None,
    date: DateOpt = None,
    mission: Annotated[Optional[str], typer.Option(help=_("The mission this donation comes from. Example: --mission 'AMO covoiturage'"))] = None,
    reference: Annotated[Optional[str], typer.Option(help=_("Bank or invoice reference. Example: --reference VIR-2026-031"))] = None,
    *, write: Write,
) -> None:
    """Record a donation to the pool.

    Example: fab donate --by bruno --amount 1500 --mission "AMO covoiturage"
    """
    from .. import drafts

    donor = ask(by, "--by", _("Donor handle"))
    value = parse_number(ask(amount, "--amount", _("Amount")), "--amount")
    day = parse_date(date)
    root, current = load(write.ledger, lock=True, writes=("donation", day))
    draft = drafts.donation(current, donor=names.member(current, donor, "--by"), amount=value, day=day, mission=mission, reference=reference)
    write.finish(root, draft)


@app.command()
@writes()
def use(
    by: Annotated[Optional[str], typer.Option("--by", help=_("The member who used the commons. Example: --by bruno"))] = None,
    resource: Annotated[Optional[str], typer.Option(help=_("What was used. Example: --resource 'wiki: Covoiturage rural'"))] = None,
    mission: Annotated[Optional[str], typer.Option(help=_("The paid mission it served. Example: --mission 'Étude mobilité Grand Est'"))] = None,
    mission_revenue: Annotated[Optional[str], typer.Option("--mission-revenue", help=_("Revenue of that mission, to suggest a donation. Example: --mission-revenue 24000"))] = None,
    date: DateOpt = None,
    *, write: Write,
) -> None:
    """Record a use of the commons by a member (a wiki page, an event, the network...).

    Example: fab use --by bruno --resource "wiki: Covoiturage rural" --mission "Étude Grand Est" --mission-revenue 24000
    """
    from .. import drafts

    member = ask(by, "--by", _("Member handle"))
    resource = ask(resource, "--resource", _("Resource used"))
    revenue = parse_number(mission_revenue, "--mission-revenue")
    day = parse_date(date)
    root, current = load(write.ledger, lock=True, writes=("use", day))
    draft = drafts.use(current, member_handle=names.member(current, member, "--by"), resource=resource, day=day, mission=mission,
                       mission_revenue=revenue)
    write.finish(root, draft)

