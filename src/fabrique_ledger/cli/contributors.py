"""``fab contributors``: the thank-you page of the commons' contributors (all-contributors style)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from ..i18n import N_, _
from .app import app
from .common import AtOpt, LedgerOpt, emit, load, usage
from .options import format_flag

ContributorsFormat = Annotated[Literal["md", "wiki", "html"], format_flag(N_(
        "md (Markdown, for a README), wiki (MediaWiki table) or html (a standalone page). Example: --format wiki"))]


@app.command()
def contributors(
    period: Annotated[Optional[str], typer.Option(
        "--period", help=_("Only this period (default: every period of the ledger). Example: --period 2026-H1"))] = None,
    format: ContributorsFormat = "md",
    output: Annotated[Optional[Path], typer.Option(
        help=_("Write to this file instead of the screen. Example: --output CONTRIBUTORS.md"))] = None,
    wiki_url: Annotated[str, typer.Option(
        "--wiki-url", help=_("Base of the wiki's page addresses, for links to user pages in md and html. Example: --wiki-url https://wiki.lafabriquedesmobilites.fr/wiki/"))] = "https://wiki.lafabriquedesmobilites.fr/wiki/",
    ledger: LedgerOpt = None,
    at: AtOpt = None,
) -> None:
    """A thank-you page: each contributor and donor with a badge per kind of what they gave.

    Example: fab contributors --format wiki --output merci.wiki
    Example: fab contributors --period 2026-H1
    """
    from ..contributors import build_contributors
    from ..render import contributors as render
    from .coremuneration import parse_period

    if not wiki_url.lower().startswith(("http://", "https://")):
        usage(_("'{wiki_url}' is not a web address starting with http:// or https://").format(wiki_url=wiki_url), "--wiki-url")
    base = wiki_url if wiki_url.endswith("/") else wiki_url + "/"
    _ignored, current = load(ledger, at)
    chosen = parse_period(period, current) if period is not None else None
    data = build_contributors(current, chosen)
    if format == "md":
        text = render.as_markdown(data, base)
    elif format == "wiki":
        text = render.as_wiki(data)
    else:
        text = render.as_html(data, base)
    emit(text, output)
