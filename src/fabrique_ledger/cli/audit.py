"""The audit trail (DESIGN §7): ``fab log``, ``fab diff``, ``fab verify``, and ``fab schema`` for editors."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..i18n import _
from .app import app
from .common import LedgerOpt, echo, fail, load, locate, parse_date, today, usage
from .names import closest
from .options import DiffFormat, TextOrJson

if TYPE_CHECKING:
    from ..ledger import Ledger
    from ..periods import Period
    from ..store.history import History
    from ..store.proofs import HistoryCache


def _history(root: Path, whole: bool = True, kept: HistoryCache | None = None) -> History:
    """The repository's history around the ledger; without git there is no audit trail (exit 2).
    ``whole``: every change is read now (else only what is asked later, file by file)."""
    from ..store.git import GitProblem
    from ..store.history import History

    try:
        history = History(root, kept=kept)
        if whole:
            history.changes  # noqa: B018  (read now, so that a git failure is reported here)
        else:
            history.commits_exist()
    except GitProblem as error:
        fail(_("no history to read: {error}").format(error=error), _("fab log, diff and verify read the ledger's git history"),
             code=2)
    return history


def _log_scope(root: Path, record: str | None, member: str | None):
    """What ``fab log`` reads of the working tree: the folders holding the record (by id or path), or
    the members' folder; the whole ledger for the whole log."""
    from ..store.inventory import folders_holding
    from ..store.root import inside_ledger

    if member is not None:
        return lambda _settings, _present: (["members"], [])
    if record is None:
        return None
    if "/" in record or record.endswith((".yaml", ".md")):
        rel = inside_ledger(root, record)
        if rel is None or not rel.startswith("ledger/") or any(part.startswith(".") for part in rel.split("/")[:-1]):
            return lambda _settings, _present: ([], [])  # (never a file of the ledger's records)
        folder = rel.rpartition("/")[0].partition("/")[2]
        return None if not folder else lambda _settings, _present: ([folder], [])
    return folders_holding(root, lambda _folder: [f"{record}.yaml"])


def _every_path(current, history) -> set[str]:
    """Every path the ledger has, or its history ever had."""
    return set(current.blobs) | {p for c in history.changes for p in (c.old_path, c.new_path) if p}


def _record_path(root: Path, current: Ledger, history: History, record: str) -> str:
    """A record given by id (searched across kinds, in the ledger and its history) or by path; the
    whole history is read only for a record that is not in the ledger any more."""
    from ..log import paths_of
    from ..store.root import inside_ledger
    from ..store.safe import printable

    if "/" in record or record.endswith((".yaml", ".md")):
        rel = inside_ledger(root, record)
        if rel is None:
            fail(_("{path} is not a file of the ledger ({root})").format(path=printable(record), root=root),
                 _("give a record's id, like fab log 2026-03-02-alice-covoiturage, or its path inside the ledger"), code=2)
        if rel in current.blobs or rel == "charter.md":
            return rel
        if rel not in _every_path(current, history):
            fail(_("no file {path} in the ledger or its history").format(path=rel),
                 _("give a record's id, like fab log 2026-03-02-alice-covoiturage"))
        return rel
    found = paths_of(record, current.blobs, ()) or paths_of(record, (), history.changes)
    if not found:
        close = closest(record, {Path(path).stem for path in _every_path(current, history) if path.startswith("ledger/")})
        fail(_("no record '{record}' in the ledger or its history").format(record=record),
             _("did you mean {close}? (fab log {close})").format(close=close) if close else
             _("a record's id is the name of its file without .yaml, like fab log 2026-03-02-alice-covoiturage"))
    if len(found) > 1:
        fail(_("'{record}' is the id of several records: {paths}").format(record=record, paths=", ".join(found)),
             _("give the path, like fab log {path}").format(path=found[0]))
    return found[0]


@app.command()
def log(
    record: Annotated[Optional[str], typer.Argument(
        metavar="[RECORD]", help=_("A record's id (any kind) or path. Example: 2026-03-02-chloe-chargeur-gtfs"))] = None,
    member: Annotated[Optional[str], typer.Option(
        help=_("Every record naming this member (author, donor, member, reviewer, giver, reporter) and their member file. Example: --member chloe"))] = None,
    since: Annotated[Optional[str], typer.Option(help=_("Only commits authored on or after this day. Example: --since 2026-07-01"))] = None,
    format: TextOrJson = "text",
    ledger: LedgerOpt = None,
) -> None:
    """The audit trail of a record or a member: each commit that touched it, oldest first, and what
    changed, field by field. Renames and deletions are followed.

    Example: fab log 2026-03-02-chloe-chargeur-gtfs
    Example: fab log --member bruno --since 2026-07-01 --format json
    """
    from ..log import follow, log_entries, member_changes
    from ..records import Member, path_of, typed_id
    from ..render.formats import as_json
    from ..render.log import log_data, log_text

    if record is not None and member is not None:
        usage(_("give a RECORD or --member, not both"))
    record = record if record is None else typed_id(record)  # 2026-H1-chloe, as the period is read: 2026-h1-chloe
    day = parse_date(since, "--since")
    root, current = load(ledger, scope=_log_scope(locate(ledger), record, member))
    history = _history(root, whole=record is None)
    if member is not None:
        changes = history.changes
        if member not in current.members and not follow(changes, path_of(Member, None, member)):
            close = closest(member, current.members)
            fail(_("'{member}' is not a member, and never was").format(member=member),
                 _("did you mean {close}? (fab log --member {close})").format(close=close) if close
                 else _("see the members with: fab member list"))
        history.prefetch(blob for c in changes for blob in (c.old_blob, c.new_blob))
        selected = member_changes(changes, member, history.blob, history.with_contents)
        title = _("member {member}").format(member=member)
    elif record is not None:
        path = _record_path(root, current, history, record)
        selected, title = history.with_contents(history.changes_of(path)), path
    else:
        selected, title = history.with_contents(history.changes), _("the ledger")
    entries = log_entries(selected, day)
    if format == "json":
        what = {"record": title if record is not None else None, "member": member, "since": str(day) if day else None}
        echo(as_json(log_data(entries, what)))
    else:
        echo(log_text(entries, title), nl=False)


def _sides(root: Path, base: str | None, head: str | None) -> tuple[dict, dict]:
    """BASE and HEAD as {rev, commit, label}: BASE defaults to the merge-base of HEAD with the main
    branch, HEAD to the working tree.  A revision git does not know is a usage error."""
    from ..store.git import GitProblem
    from ..store.history import Revision, main_base

    def side(rev: str) -> dict:
        sha = Revision(root, rev).commit.hexsha
        return {"rev": rev, "commit": sha, "label": f"{rev} ({sha[:7]})"}

    try:
        if base is None:
            sha, branch = main_base(root)
            old = {"rev": sha, "commit": sha, "label": _("{short} (merge-base with {branch})").format(short=sha[:7], branch=branch)}
        else:
            old = side(base)
        return old, side(head) if head is not None else {"rev": None, "commit": None, "label": _("working tree")}
    except GitProblem as error:
        fail(str(error), code=2)


@app.command()
def diff(
    base: Annotated[Optional[str], typer.Argument(
        help=_("The revision compared with (default: the merge-base of HEAD with main, master or the upstream). Example: origin/main"))] = None,
    head: Annotated[Optional[str], typer.Argument(
        help=_("The revision proposed (default: the working tree). Example: HEAD"))] = None,
    format: DiffFormat = "text",
    ledger: LedgerOpt = None,
) -> None:
    """What a branch or pull request changes, in words: records added, changed and removed, the
    problems fab check finds in it, and the effect on the split of every period it touches, person by person.
    Exit 1 when the proposed ledger has problems.

    Example: fab diff
    Example: fab diff origin/main HEAD --format md > comment.md
    """
    from ..checks import check
    from ..diff import diff_ledgers, split_effects
    from ..render.diff import diff_data, diff_markdown, diff_text, refused
    from ..render.formats import as_json
    from ..store.cache import no_gc, shared

    root = locate(ledger)
    base_side, head_side = _sides(root, base, head)
    with shared(), no_gc():  # the two ledgers share their unchanged records
        new = load(ledger, checked=True)[1] if head is None else load(ledger, head_side["commit"], checked=True)[1]
        old = load(ledger, base_side["commit"], checked=True)[1]
    changes = diff_ledgers(old, new)
    reopened = _reopened_between(root, base_side["commit"], head_side["commit"])
    data = diff_data(base_side, head_side, changes, check(new), len(new.records), split_effects(old, new, changes, reopened),
                     new.settings)
    if format == "json":
        echo(as_json(data))
    else:
        echo((diff_markdown if format == "md" else diff_text)(data), nl=False)
    raise typer.Exit(1 if refused(data) else 0)


def _reopened_between(root: Path, base: str, head: str | None) -> Callable[[Period], bool]:
    """Whether a commit after ``base``, up to ``head`` (None: HEAD, under the working tree), wrote a period's
    seal reopened (so a seal written again later in the change is not a seal rewritten); history is read
    only when a seal differs, once a period."""
    from functools import cache

    from ..store.history import History

    @cache
    def since_base() -> tuple[History, frozenset[str]]:
        history = History(root, head or "HEAD")
        return history, history.ancestors(base)

    @cache
    def reopened(period: Period) -> bool:
        (history, before), path = since_base(), f"ledger/periods/{period}.yaml"
        changes = [c for c in history.changes_of(path) if c.commit.sha not in before and c.new_path == path]
        return any(c.new_data is not None and c.new_data.get("reopened") for c in history.with_contents(changes))
    return reopened


@app.command()
def verify(
    strict: Annotated[bool, typer.Option(
        "--strict", help=_("Warnings are problems too: self-declared records committed by someone else fail the run."))] = False,
    format: TextOrJson = "text",
    ledger: LedgerOpt = None,
) -> None:
    """Prove that nothing sealed was altered: for every closed period, the digest and the split are
    recomputed from the commit that sealed it, and each record edited, removed or added since is
    named with the commit that did it. Exit 1 on any integrity problem.

    Example: fab verify
    Example: fab verify --strict --format json
    """
    from ..store.answers import Answers

    answers = Answers(locate(ledger), today(), ("verify", format, str(strict)), head=True)
    known = answers.get()
    if known is not None:  # the same HEAD, files, options and day as a run before: its answer
        echo(known[0], nl=False)
        raise typer.Exit(known[1])
    _verify(answers, strict, format, ledger)


def _verify(answers, strict: bool, format: str, ledger: Path | None) -> None:
    from ..render.formats import as_json
    from ..render.verify import verify_data, verify_text
    from ..store.cache import no_gc
    from ..store.proofs import HistoryCache
    from ..verify import verify as run

    root, current = load(ledger)
    kept = HistoryCache(root)  # this history's changes, and the seals proved right, by commit id
    with no_gc():
        history = _history(root, kept=kept)
        result = run(current, history.with_seals(), history.commits(), history.head_blobs(), lambda sha: history.ledger_at(sha, today()),
                     history.ancestors, history.read_data, history.graph(), history.merged, strict, kept.proofs(today()))
    kept.keep_proofs(result.proofs, today())
    kept.save()
    text = as_json(verify_data(result, strict)) + "\n" if format == "json" else verify_text(result, strict)
    code = 1 if result.failed(strict) else 0
    if not result.signed:
        answers.put(text, code)
    echo(text, nl=False)
    raise typer.Exit(code)


@app.command()
def schema(
    kind: Annotated[Optional[str], typer.Argument(
        metavar="[KIND]", help=_("member, signature, contribution, donation, use, review, request, allocation, alert, seal, mission, payment or settings. Example: contribution"))] = None,
    ledger: Annotated[Optional[Path], typer.Option(
        "--ledger", envvar="FAB_LEDGER", show_default=False,
        help=_("A ledger whose contribution kinds (weights included) and currency the schemas follow. Example: --ledger ~/fabrique"))] = None,
) -> None:
    """Print the JSON Schema of a kind of record file (all kinds, keyed by kind, without KIND), for
    completion and validation in editors through yaml-language-server (see docs/editors.md).

    Example: fab schema contribution > .schemas/contribution.json
    """
    from ..records import BY_KIND
    from ..render.schema import record_schema, schema_json, settings_schema

    settings = _settings(ledger)
    kinds: dict[str, Callable[[], dict]] = {**{name: partial(record_schema, cls, settings) for name, cls in BY_KIND.items()}, "settings": settings_schema}
    if kind is not None and kind not in kinds:
        usage(_("unknown kind '{kind}' (choose {kinds})").format(kind=kind, kinds=", ".join(kinds)), "KIND")
    if kind is not None:
        echo(schema_json(kinds[kind]()), nl=False)
    else:
        echo(schema_json({name: make() for name, make in kinds.items()}), nl=False)


def _settings(ledger: Path | None):
    """The settings of the ledger around (its contribution kinds, its currency), else the defaults."""
    from ..settings import Settings
    from ..store.reading import read_settings
    from ..store.root import NoLedger, find_root, settings_bytes

    try:
        root = find_root(ledger)
    except NoLedger:
        return Settings()
    return read_settings(settings_bytes(root))[0]
