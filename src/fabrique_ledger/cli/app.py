"""The ``fab`` Typer application and its root options; the command modules register on ``app``."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Optional

import typer

from .. import __version__
from ..i18n import LANGUAGES, N_, _, set_language
from .localize import FabGroup, localize
from .options import normalize

app = typer.Typer(
    cls=FabGroup,  # help texts and Click's words in the run's language (cli/localize.py)
    name="fab",
    help=N_("fab keeps a commons' reciprocity ledger as plain YAML files in git: who signed the charter, who gives back (donations, contributions), and how the pool is shared among contributors.\n\nExample: fab contribute --by alice --kind wiki --title 'Covoiturage rural' --hours 6"),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    context_settings={"token_normalize_func": normalize},  # old format names still read (cli/options.py)
)


def _version(value: bool) -> None:
    if value:
        from .common import echo

        echo(f"fab {__version__}")
        raise typer.Exit()


def _language(ctx: typer.Context, lang: Optional[str]) -> Optional[str]:
    """``--lang``: the language of the run, chosen before ``--help`` prints (the option is eager), and the
    command tree's help texts worded in it."""
    if lang is not None:
        if lang.lower() not in LANGUAGES:
            raise typer.BadParameter(_("'{lang}' is not a language fab speaks: choose {languages}").format(
                lang=lang, languages=_(" or ").join(LANGUAGES)), param_hint="--lang")
        set_language(lang.lower())
        localize(ctx.find_root().command)
    return lang


def _end_of_command() -> None:
    """The end of a command releases the ledger lock a write command took and the git processes it
    started (never imports git for a read that did not need it)."""
    write = sys.modules.get("fabrique_ledger.store.lock")
    if write is not None:
        write.release_held_locks()
    gitstore = sys.modules.get("fabrique_ledger.store.git")
    if gitstore is not None:
        gitstore.close_repos()


@app.callback()
def _root(
    ctx: typer.Context,
    lang: Annotated[Optional[str], typer.Option("--lang", show_default=False, is_eager=True, callback=_language,
                                                help=N_("Language of messages and reports: fr or en (default: FAB_LANG, "
                                                       "else the locale, else en). Example: fab --lang fr check"))] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help=N_("Print fab's version and exit."))] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help=N_('Parse every file again instead of using the parse cache (same as FAB_NO_CACHE=1). Example: fab --no-cache check'))] = False,
) -> None:
    """fab: the reciprocity ledger of a commons, in git."""
    ctx.call_on_close(_end_of_command)
    if no_cache:
        os.environ["FAB_NO_CACHE"] = "1"
