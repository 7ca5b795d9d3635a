"""Who may write what: ``fab keys allowed-signers`` and ``fab guard`` (the pre-receive hook of a shared repository)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..i18n import _
from .app import app
from .common import LedgerOpt, echo, emit, fail, load, today

keys_app = typer.Typer(help=_("Members' public signing keys, as git uses them."), no_args_is_help=True)
app.add_typer(keys_app, name="keys")

HOOK_MARK = "# written by fab guard --install"


@keys_app.command("allowed-signers")
def allowed_signers(
    output: Annotated[Optional[Path], typer.Option(help=_("Write to this file instead of the screen. Example: --output .git/allowed_signers"))] = None,
    ledger: LedgerOpt = None,
) -> None:
    """git's allowed-signers file, made from the keys members declare in their member files (signing_keys),
    so that git log --show-signature names who signed each commit.

    Example: fab keys allowed-signers --output ~/.config/git/allowed_signers
    Example: git config gpg.ssh.allowedSignersFile ~/.config/git/allowed_signers
    """
    from ..signing import allowed_signers as text

    _ignored, current = load(ledger)
    members = current.members
    emit(text({h: m.signing_keys for h, m in members.items() if m.signing_keys}, {h: m.email for h, m in members.items()}), output)


@app.command()
def guard(
    install: Annotated[Optional[Path], typer.Option(
        "--install", help=_("Install fab guard as the pre-receive hook of this (bare) repository. Example: --install /srv/git/fabrique.git"))] = None,
) -> None:
    """Refuse pushes that break the ledger: run by git as the pre-receive hook of a shared repository
    (install it with --install). A push is refused when the ledger it brings fails fab check, changes a
    sealed period without a reopen on record, rewrites or deletes the main branch, or (signatures:
    required) brings a record not signed by the member it names or a steward. Every branch is judged as
    it would reach main; a tag may only name a commit main holds; other refs are refused.

    Example: fab guard --install /srv/git/fabrique.git
    """
    if install is not None:
        _install(install)
        return
    from .. import guard as rules
    from ..render.problems import as_text
    from ..store.git import GitProblem
    from ..store.pushes import read_pushes

    repo_dir = Path(os.environ.get("GIT_DIR", ".")).resolve()
    refused = False
    updates = [(parts[0], parts[1], parts[2]) for parts in (line.split() for line in sys.stdin.read().splitlines()) if len(parts) == 3]
    pushes = read_pushes(repo_dir, updates, today())
    while True:
        try:
            push = next(pushes, None)
        except GitProblem as error:
            fail(_("fab guard could not read the push: {error}").format(error=error))
        if push is None:
            break
        ref, old, new = push.ref, push.old, push.new
        for warning in rules.warnings(push):
            echo(_("fab guard: warning: {warning}").format(warning=warning), err=True)
        refusal = rules.judge(push)
        if refusal is None:
            continue
        refused = True
        echo(_("fab guard: refused {ref} ({old}..{new}):").format(ref=ref, old=old[:7], new=new[:7]), err=True)
        for reason in refusal.reasons:
            echo(f"  - {reason}", err=True)
        if refusal.problems:
            echo("\n".join("    " + line for line in as_text(list(refusal.problems)).splitlines()), err=True)
    if refused:
        echo(_("fab guard: nothing was accepted; fix the commits (fab check, fab verify show the same problems), then push again"), err=True)
        raise typer.Exit(1)


def _install(repo: Path) -> None:
    """Write ``hooks/pre-receive`` running this fab (this Python) as the guard; refuse to replace another hook."""
    repo = repo.expanduser().resolve()
    hooks = repo / "hooks" if (repo / "objects").is_dir() else repo / ".git" / "hooks"
    if not hooks.parent.is_dir() or not (hooks.parent / "objects").is_dir():
        fail(_("{repo} is not a git repository").format(repo=repo), _("give the path of the shared (bare) repository, like /srv/git/fabrique.git"), code=2)
    hook = hooks / "pre-receive"
    if hook.exists() and HOOK_MARK not in hook.read_text("utf-8", errors="replace"):
        fail(_("{hook} already exists and was not written by fab").format(hook=hook), _("add this line to it: {command}").format(
            command=f"{sys.executable} -m fabrique_ledger guard"))
    hooks.mkdir(exist_ok=True)
    hook.write_text(f"#!/bin/sh\n{HOOK_MARK}: refuses pushes that break the reciprocity ledger (fab guard --help)\n"
                    f"exec '{sys.executable}' -m fabrique_ledger guard\n", "utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    echo(_("installed {hook}: pushes to {repo} are checked by fab guard").format(hook=hook, repo=repo))
