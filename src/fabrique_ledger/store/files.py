"""Reading a ledger from the working tree: files -> records (with problems) -> Ledger.

The layout rules of DESIGN §2 that concern paths (kind folders, period folders, ids, symlinks)
are checked here, because only here is the path known before a record exists.
"""

from __future__ import annotations

from ..i18n import N_, _

import difflib
import hashlib
import os
import re
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import partial
from operator import attrgetter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from ..ledger import Ledger, blob_id
from ..periods import Period
from ..privacy import private_data
from ..problems import Problem
from ..records import BY_FOLDER, ID_PATTERN, REVIEW_ID, Record, Review, Seal, Source
from ..settings import SETTINGS_PATH as SETTINGS
from ..settings import Settings
from . import cache, parallel, safe, yamlio

LEDGER_DIR = "ledger"
CHARTER = "charter.md"
IGNORED = {"README.md", ".gitkeep", ".gitignore"}


class NoLedger(Exception):
    """No ledger where one was expected; the message says where fab looked and what to do."""


def find_root(start: Path | None) -> Path:
    """The folder holding ``ledger/fabrique.yaml``: ``start`` itself, or the nearest one above it."""
    if start is not None:
        start = Path(start).resolve()
        if start.name == LEDGER_DIR and (start / "fabrique.yaml").is_file():
            return start.parent
        if (start / SETTINGS).is_file():
            return start
        raise NoLedger(f"no ledger at {start} (there is no {SETTINGS} there); create one with: fab init {start}")
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS).is_file():
            return folder
        if (folder / ".git").exists():
            break
    raise NoLedger(
        f"no ledger found in {here} or the folders above it; "
        "run fab inside a ledger's repository, pass --ledger PATH (or set FAB_LEDGER), or create one with: fab init DIR"
    )


def read_settings(raw: bytes | None) -> tuple[Settings, list[Problem]]:
    """Settings from the bytes of ledger/fabrique.yaml (None when the file is missing)."""
    if raw is None:
        return Settings(), [Problem(SETTINGS, 1, 1, "settings", _('{SETTINGS} is missing').format(SETTINGS=SETTINGS), _("create it with fab init"))]
    parsed = yamlio.parse(raw, SETTINGS)
    if parsed.problems:
        return Settings(), parsed.problems
    if not isinstance(parsed.data, dict):
        return Settings(), [Problem(SETTINGS, 1, 1, "not-a-mapping", _("the settings must be a mapping of keys to values"))]
    try:
        return Settings.model_validate(parsed.data), []
    except ValidationError as error:
        return Settings(), validation_problems(error, parsed, SETTINGS, Settings, settings=True)


def _bytes(root: Path, rel: str) -> bytes | None:
    """A file of the ledger, read only if it is a regular file inside it (else ``safe.Refused``)."""
    return safe.read_inside(root, rel)


Progress = Callable[[int, int], None]  # (files done, files in all): how a long read reports itself


def read_ledger(root: Path, today: date | None = None, use_cache: bool | None = None,
                progress: Progress | None = None, scope: Scope | None = None) -> Ledger:
    """Read every record under ``root/ledger`` in the working tree; never raises for a file's content.

    Unchanged files are taken from the parse cache by their blob id, which git's index already
    knows for tracked files that ``git diff-files`` does not report as modified.
    """
    use_cache = cache.enabled() if use_cache is None else use_cache
    with cache.no_gc():
        found = _inventory(root, scope, use_cache)
        store = cache.ParseCache(cache.location(root) if use_cache else None)
        ledger = assemble(found.settings_raw, found.files, found.charter_raw, today, found.problems, store, progress)
        store.save()
    if found.listed:
        read = {rel.rpartition("/")[0] for rel, _blob, _read in found.files}
        ledger = replace(ledger, other_files={folder: names for kind in found.listed
                                              for folder, names in _names(root, kind) if folder not in read})
    return ledger


def read_checked(root: Path, today: date, check: Callable[[Ledger], list[Problem]],
                 progress: Progress | None = None) -> tuple[list[Problem], int]:
    """``check`` of the working tree's ledger, and how many records it holds.

    The answer is kept in the result cache under a digest of everything it depends on (every
    file's path and blob id, the charter, today, the language, fab's version): when nothing
    changed since a run that asked the same, no record is rebuilt (0.9 s instead of 2.5 s at
    100 000 records); when anything changed, the ledger is read (unchanged files from the parse
    cache) and checked again.  A cached answer is the same as a fresh one (tests/test_speed.py).
    """
    if not cache.enabled():
        ledger = read_ledger(root, today, use_cache=False, progress=progress)
        return check(ledger), len(ledger.records)
    with cache.no_gc():
        found = _inventory(root, None, True)
        digest = found.digest(today)
        results = cache.ResultCache(cache.results_location(root))
        answer = results.get(digest)
        if answer is None:
            store = cache.ParseCache(cache.location(root))
            ledger = assemble(found.settings_raw, found.files, found.charter_raw, today, found.problems, store, progress)
            store.save()
            answer = check(ledger), len(ledger.records)
            results.put(digest, *answer)
    return answer


@dataclass
class _Found:
    """What a read starts from: the settings and charter bytes, each record file with its blob id
    when git knows it (else None) and a way to read it, and the problems of the listing itself."""

    settings_raw: bytes | None
    charter_raw: bytes | None
    files: list[tuple[str, str | None, Callable[[], bytes]]]
    problems: list[Problem]
    listed: list[str]

    def digest(self, today: date) -> str:
        """sha256 of every input of a check; files git does not know are read (and kept) for their id."""
        from ..i18n import language

        sha = hashlib.sha256(f"{cache.stamp()}\0{language()}\0{today.isoformat()}\0".encode())
        for raw in (self.settings_raw, self.charter_raw):
            sha.update(b"-" if raw is None else blob_id(raw).encode())
        for problem in self.problems:
            sha.update(repr(problem.as_dict()).encode())
        for index, (rel, blob, read) in enumerate(self.files):
            if blob is None:
                raw = read()
                blob = blob_id(raw)
                self.files[index] = (rel, blob, partial(_itself, raw))
            sha.update(f"\0{rel}\0{blob}".encode())
        return sha.hexdigest()


def _itself(raw: bytes) -> bytes:
    return raw  # (not bytes(raw): a safe.Refused must stay one)


ASK_GIT_ABOVE = 2000  # files: below, reading and hashing them is quicker than a git command


def _inventory(root: Path, scope: Scope | None, use_cache: bool) -> _Found:
    problems: list[Problem] = []
    base = str(root)
    settings_raw = _bytes(root, SETTINGS)
    if isinstance(settings_raw, safe.Refused) and settings_raw.path == LEDGER_DIR:  # ledger/ is a link: said once, there
        return _Found(settings_raw, _bytes(root, CHARTER), [], problems, [])
    folders, listed = scope(read_settings(settings_raw)[0], _present(root)) if scope is not None else ([""], [])
    paths = [rel for folder in folders for rel in _record_files(root, problems, folder)]
    # git's index gives the blob ids of unchanged files without reading them; but git reads its whole
    # index (12 MB at 100 000 files) to answer, which costs more than hashing a few hundred small files.
    worth_asking = use_cache and len(paths) > ASK_GIT_ABOVE
    known = _index_blobs(root, [f"{LEDGER_DIR}/{f}".rstrip("/") for f in folders]) if worth_asking else {}
    files = [(rel, known.get(rel), partial(_read, f"{base}/{rel}")) for rel in paths]
    return _Found(settings_raw, _bytes(root, CHARTER), files, problems, listed)


# A write (or a split) reads only what it needs (DESIGN §10): from the settings, the folders to read
# (like "members", "contributions/2026-H2") and the kind folders whose file names are enough.  It is
# given the settings and the sub-folders present in each kind's folder (the periods that exist).
Scope = Callable[[Settings, Mapping[str, list[str]]], tuple[list[str], list[str]]]


def _present(root: Path) -> dict[str, list[str]]:
    """kind folder -> its sub-folders (the period folders of a periodic kind), sorted."""
    top = root / LEDGER_DIR
    with os.scandir(top) as kinds:
        folders = [entry for entry in kinds if entry.is_dir() and not entry.is_symlink()]
    return {kind.name: sorted(e.name for e in os.scandir(kind.path) if e.is_dir() and not e.is_symlink())
            for kind in folders}


def _names(root: Path, kind: str) -> Iterator[tuple[str, _Names]]:
    """Each period folder of a kind's folder with the names of its files (nothing is read)."""
    top = root / LEDGER_DIR / kind
    for period in sorted(os.listdir(top)) if top.is_dir() else ():
        if (top / period).is_dir():
            yield f"{LEDGER_DIR}/{kind}/{period}", _Names(top / period)


class _Names:
    """The names of a folder's files, asked one at a time rather than listed: whether an id is free
    costs one stat per period folder, however many files the folders hold."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and "/" not in name and (self.folder / name).is_file()

    def __bool__(self) -> bool:
        with os.scandir(self.folder) as entries:
            return any(entry.is_file() for entry in entries)


def _read(path: str) -> bytes:
    """A record file's bytes; a file that became a link, a FIFO... since it was listed, or that is over the
    size limit, is not read (``safe.Refused``: its problem)."""
    return safe.read_regular(path) or b""


def _index_blobs(root: Path, folders: list[str]) -> dict[str, str]:
    """Blob ids of the ledger's tracked files whose content git knows to be unchanged (rel -> blob)."""
    def git(*args: str) -> subprocess.Popen:
        return subprocess.Popen(["git", "-C", str(root), *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def output(process: subprocess.Popen) -> bytes:
        out = process.communicate()[0]
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, process.args)
        return out

    try:  # the three at once: diff-files, which looks at every file, takes the longest
        running = [git("diff-files", "--name-only", "-z", "--", *folders), git("ls-files", "-s", "-z", "--", *folders),
                   git("rev-parse", "--show-prefix")]
        dirty_out, staged_out, prefix_out = (output(p) for p in running)
    except (OSError, subprocess.CalledProcessError):
        return {}
    prefix, staged, dirty = prefix_out.decode().strip(), staged_out.split(b"\0"), set(dirty_out.split(b"\0"))
    blobs = {}
    for line in staged:
        if line:
            info, _ignored, path = line.partition(b"\t")
            repo_path = (prefix.encode() + path) if prefix else path
            if repo_path not in dirty and path not in dirty:
                blobs[path.decode("utf-8", "surrogateescape")] = info.split()[1].decode()
    return blobs


def assemble(settings_raw: bytes | None, files: Iterable[tuple[str, str | None, Callable[[], bytes]]],
             charter_raw: bytes | None, today: date | None, problems: list[Problem],
             store: cache.ParseCache | None = None, progress: Progress | None = None) -> Ledger:
    """Files -> Ledger, wherever the bytes come from (the working tree, or a git revision).

    ``files`` gives each path with its blob id when already known, and a way to read its bytes,
    so that a cached file is never read.
    """
    store = store or cache.ParseCache(None)
    settings, found = read_settings(settings_raw)
    problems = [*problems, *found]
    records: list[Record] = []
    blobs = {SETTINGS: blob_id(settings_raw)} if settings_raw is not None else {}
    total = len(files) if isinstance(files, list) else 0
    fresh = _parse_in_parallel(files, settings, store, progress) if total else {}
    for done, (rel, blob, read) in enumerate(files):
        blob = blob or fresh.get(rel)
        if progress is not None and done % 500 == 0:
            progress(done, total)
        entry = store.get((rel, blob, settings.period)) if blob is not None else None
        if entry is None:
            raw = read()
            blob = blob_id(raw)
            entry = store.get((rel, blob, settings.period)) or read_record(rel, raw, settings)
            store.put((rel, blob, settings.period), entry)
        blobs[rel] = blob
        record, found = entry
        problems.extend(found)
        if record is not None:
            records.append(record)
    if isinstance(charter_raw, safe.Refused):  # a link, a FIFO, too large: not read, not the charter
        problems.append(Problem(charter_raw.path or CHARTER, 1, 1, charter_raw.code, charter_raw.message))
        charter_raw = None
    elif charter_raw is None:
        problems.append(Problem(CHARTER, 1, 1, "charter", _('{CHARTER} is missing').format(CHARTER=CHARTER)))
    sha = hashlib.sha256(charter_raw).hexdigest() if charter_raw is not None else None
    return Ledger(settings, tuple(records), tuple(problems), sha, today or date.today(), blobs)


def _parse_in_parallel(files: list, settings: Settings, store: cache.ParseCache,
                       progress: Progress | None) -> dict[str, str]:
    """Parse the files missing from the cache on every core, when there are many; their blob ids."""
    pending = [(rel, read) for rel, blob, read in files if blob is None or not store.has((rel, blob, settings.period))]
    if not parallel.worth_it(len(pending)):
        return {}
    fresh = {}
    for done, (rel, blob, flat) in enumerate(parallel.parse_many(pending, settings)):
        store.put_flat((rel, blob, settings.period), flat)
        fresh[rel] = blob
        if progress is not None and done % 500 == 0:
            progress(done, len(pending))
    return fresh


def is_record_path(rel: str) -> bool:
    """Whether a path under ledger/ is read as a record (the settings and READMEs are not)."""
    *folders, name = rel.split("/")
    return rel != SETTINGS and _record_name(name) and not any(part.startswith(".") for part in folders)


def _record_name(name: str) -> bool:
    """A file name read as a record: not hidden, not a README or a git file."""
    return not name.startswith(".") and name not in IGNORED


_name = attrgetter("name")


def _record_files(root: Path, problems: list[Problem], folder: str = "") -> list[str]:
    """Relative paths of the record files (under ``folder`` of the ledger), sorted; symlinks are reported,
    not followed."""
    found: list[str] = []

    def walk(folder: str, rel: str) -> None:
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=_name):
                name = entry.name
                path = f"{rel}/{name}"
                if entry.is_symlink():
                    problems.append(_at(path, "symlink", _("'{name}' is a symbolic link").format(name=name)))
                elif entry.is_dir(follow_symlinks=False):
                    if not name.startswith("."):
                        walk(entry.path, path)
                elif not _record_name(name) or path == SETTINGS:  # is_record_path, for one name (the folders are not hidden)
                    continue
                elif entry.is_file(follow_symlinks=False):
                    found.append(path)
                else:  # a FIFO, a socket, a device: never opened (a FIFO would block the read forever)
                    refused = safe.special(name, entry.stat(follow_symlinks=False).st_mode)
                    problems.append(_at(path, refused.code, refused.message))

    start = f"{LEDGER_DIR}/{folder}".rstrip("/")
    link = safe.link_on_the_way(root, start + "/")
    if link is not None:
        if link != LEDGER_DIR:  # (a symlinked ledger/ is said once, by the settings read through it)
            problems.append(_at(link, "symlink", _("'{name}' is a symbolic link").format(name=link.rsplit("/", 1)[-1])))
    elif (root / start).is_dir():
        walk(str(root / start), start)
    return found


def _at(path: Any, code: str, message: str, hint: str = "") -> Problem:
    return Problem(Path(path).as_posix(), 1, 1, code, message, hint)


def placement(rel: str, settings: Settings) -> tuple[type[Record] | None, str, list[Problem]]:
    """The record type and id that a path stands for, with any problem of the path itself."""
    parts = rel.split("/")
    stem, suffix = os.path.splitext(parts[-1])
    if suffix != ".yaml":
        return None, stem, [_at(rel, "bad-path", _("'{parts}' is not a record file").format(parts=parts[-1]), _("record files end in .yaml; remove or rename this file"))]
    kind = BY_FOLDER.get(parts[1]) if len(parts) > 2 else None
    if kind is None:
        known = ", ".join(sorted(BY_FOLDER))
        return None, stem, [_at(rel, "bad-path", _("'{rel}' is not in a known folder").format(rel=rel), _('records go under ledger/<kind>/ with kind one of: {known}').format(known=known))]
    depth = 4 if kind.periodic else 3
    if len(parts) != depth:
        where = f"ledger/{kind.folder}/<period>/<id>.yaml" if kind.periodic else f"ledger/{kind.folder}/<id>.yaml"
        return None, stem, [_at(rel, "bad-path", _('a {record_kind} file must be at {where}').format(record_kind=kind.record_kind, where=where))]
    if kind.periodic:
        try:
            Period.parse(parts[2], settings.period)
        except ValueError as error:
            return None, stem, [_at(rel, "wrong-period", _("the folder '{parts}' is not a period: {error}").format(parts=parts[2], error=error), _("use the period of the record's date as folder name"))]
    if kind is Seal:
        try:
            Period.parse(stem, settings.period)
        except ValueError as error:
            return None, stem, [_at(rel, "bad-id", _('a seal is named after its period: {error}').format(error=error))]
    elif not (REVIEW_ID if kind is Review else ID_PATTERN).fullmatch(stem):
        return None, stem, [_at(rel, "bad-id", _("'{stem}' is not a valid id").format(stem=stem))]
    return kind, stem, []


def read_record(rel: str, raw: bytes, settings: Settings) -> tuple[Record | None, list[Problem]]:
    """One file -> one record, or the problems that stop it from being one."""
    kind, stem, problems = placement(rel, settings)
    if kind is None:
        return None, problems
    parsed = yamlio.parse(raw, rel)
    if parsed.problems:
        return None, parsed.problems
    if not isinstance(parsed.data, dict):
        what = "a list" if isinstance(parsed.data, list) else "a single value"
        return None, [Problem(rel, 1, 1, "not-a-mapping", _("the file holds {what}, not 'key: value' lines").format(what=what))]
    reserved = [k for k in ("id", "source") if k in parsed.data]
    if reserved:
        line, col = parsed.keys[(reserved[0],)]
        return None, [Problem(rel, line, col, "unknown-key", _("unknown key '{reserved}'").format(reserved=reserved[0]), _("the id is the file's name; remove this key"))]
    try:
        record = kind.model_validate({**parsed.data, "id": stem, "source": _source(rel, parsed)})
    except ValidationError as error:
        return None, validation_problems(error, parsed, rel, kind)
    return record, private_data(record)


def _source(rel: str, parsed: yamlio.Parsed) -> Source:
    values = tuple((str(loc[0]), *pos) for loc, pos in parsed.values.items() if len(loc) == 1)
    return Source(rel, *parsed.where(()), values=values)


def validation_problems(error: ValidationError, parsed: yamlio.Parsed, rel: str, model: type[BaseModel],
                        settings: bool = False) -> list[Problem]:
    """Pydantic's errors, worded for people, at the line and column of the offending value."""
    problems = []
    errors = error.errors()
    for item in errors:
        loc = tuple(item["loc"])
        if item["type"] == "too_short" and any(e is not item and tuple(e["loc"])[: len(loc)] == loc for e in errors):
            continue  # a list is short only because some items are wrong: those are reported
        named_first = False
        if loc[-1:] == ("[key]",):  # a key of a mapping such as points: {handle: n} is itself wrong
            line, col = parsed.keys.get(loc[:-1]) or parsed.where(loc[:-1])
            loc = loc[:-2]
        elif item["type"] == "extra_forbidden":
            line, col = parsed.keys.get(loc) or parsed.where(loc)
        else:
            named = _named_key(loc, item["msg"], parsed)
            line, col = parsed.where(named)
            named_first = named != loc
        name = ".".join(str(p) for p in loc) or "settings"
        if item["type"] == "missing":
            code, message, hint = "missing-key", _("missing key '{name}'").format(name=name), _("add a line '{key}: ...'").format(key=loc[-1])
        elif item["type"] == "extra_forbidden":
            code, hint = "unknown-key", _did_you_mean(str(loc[-1]), _keys_at(model, loc[:-1]))
            message = _("unknown key '{name}'").format(name=name)
        else:
            code = "bad-value"
            message, hint = _wording(item)
            message = _("'{name}': {message}").format(name=name, message=message) if loc and not named_first else message
            hint = hint or _example(loc)
        problems.append(Problem(rel, line, col, "settings" if settings and code == "bad-value" else code, message, hint))
    return problems


# What a good value looks like, for the hint of a bad one.
EXAMPLES = {
    "hours": N_("hours: 6  (1.5 = an hour and a half)"), "amount": "amount: 1500.00", "share": "share: 0.5",
    "date": "date: 2026-03-14", "joined": "joined: 2026-01-05", "score": N_("score: 4  (from 1 to 5)"),
    "mission_revenue": "mission_revenue: 24000.00", "rate": N_("rate: 1.08  (EUR per unit of the donation's currency)"),
    "verdict": N_("verdict: approve  (or object)"), "roles": "roles: [consultant, contributor]",
    "receives": "receives: false", "status": N_("status: open  (open, invited, signed or dismissed)"),
    "url": "url: https://wiki.lafabriquedesmobilites.fr/wiki/Page", "evidence": "evidence: https://example.org/page",
    "email": "email: alice@example.org", "commons_share": "commons_share: 0.10", "cap": "cap: 0.4",
    "min_payout": "min_payout: 20.00", "grace_periods": "grace_periods: 1", "period": "period: half-year",
}


def _example(loc: tuple) -> str:
    keys = [str(part) for part in loc if isinstance(part, str)]
    return _("write it like  {example}").format(example=_(EXAMPLES[keys[-1]])) if keys and keys[-1] in EXAMPLES else ""


def _named_key(loc: tuple, message: str, parsed: yamlio.Parsed) -> tuple:
    """A rule about a whole mapping that names one of its keys ('cap must be ...', "no parameter 'alpha'")
    is about that key's value."""
    first = message.removeprefix("Value error, ").split(" ", 1)[0]
    for word in (first, *re.findall(r"'([^']+)'", message)):
        if (*loc, word) in parsed.values:
            return (*loc, word)
    return loc


_PATTERNS = {
    ID_PATTERN.pattern: N_("is not a valid id or handle (lowercase letters, digits and '-', at most 80 characters)"),
    r"^https?://\S+$": N_("is not a web address starting with http:// or https://"),
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": N_("is not an email address"),
    r"^[A-Z]{3}$": N_("is not a currency code of 3 capital letters, like EUR"),
    r"^[0-9a-f]{64}$": N_("is not a sha256 (64 lowercase hexadecimal digits)"),
}


def _wording(item: Any) -> tuple[str, str]:
    """Pydantic's message for one bad value, said in the words of a YAML file, and a hint ('' = the default)."""
    kind, ctx, value = item["type"], item.get("ctx") or {}, item.get("input")
    if kind == "string_type":
        plain = str(value).lower() if isinstance(value, (int, Decimal)) else ""
        quoted = _("put it in quotes if it is meant as text: '{plain}'").format(plain=plain) if plain else ""
        return _('expected text, not {shown}').format(shown=_shown(value)), quoted
    if kind in ("tuple_type", "list_type"):
        return _('expected a list, not {shown}').format(shown=_shown(value)), _("write one '- item' per line under the key, or [a, b]")
    if kind == "dict_type":
        return _("expected 'key: value' lines, not {shown}").format(shown=_shown(value)), _("indent one 'key: value' per line under the key")
    if kind == "bool_type":
        return _('expected true or false, not {shown}').format(shown=_shown(value)), ""
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _('expected a whole number, not {shown}').format(shown=_shown(value)), ""
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        close = difflib.get_close_matches(str(value), choices, n=1)
        return _('expected {get}, not {shown}').format(get=ctx.get('expected'), shown=_shown(value)), _("did you mean '{close}'?").format(close=close[0]) if close else ""
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in _PATTERNS:
        return f"{_shown(value)} {_(_PATTERNS[ctx['pattern']])}", ""
    if kind == "control_character":
        return control_wording(str(ctx.get("code", "?")), ctx.get("position", "?"))
    if kind == "string_too_short":
        return _("must not be empty"), ""
    if kind == "string_too_long":
        return _('is longer than {get} characters').format(get=ctx.get('max_length')), _("shorten it, or link to a page that says more")
    if kind == "too_short":
        return _('needs at least {get} item(s), it has {get2}').format(get=ctx.get('min_length'), get2=ctx.get('actual_length')), ""
    if kind == "too_long":
        return _('has more than {get} items').format(get=ctx.get('max_length')), ""
    bounds = {"greater_than_equal": _("at least"), "greater_than": _("more than"), "less_than_equal": _("at most"), "less_than": _("less than")}
    if kind in bounds:
        return _('must be {bounds} {next}, not {value}').format(bounds=bounds[kind], next=next(iter(ctx.values()), '?'), value=value), ""
    return item["msg"].removeprefix("Value error, "), ""


def control_wording(code: str, position: Any) -> tuple[str, str]:
    """A character no text may hold (controls.CONTROLS), by its code point (``001B``), named with where it
    stands, and how to do without it."""
    if code in ("000A", "0009"):
        what = _("a line break (U+{code})") if code == "000A" else _("a tab (U+{code})")
        return (_("holds {what} at character {position}").format(what=what.format(code=code), position=position),
                _("this text is one line: write it without line breaks or tabs"))
    bidi = code.startswith("202") or code.startswith("206")
    what = _("a bidirectional control character (U+{code})") if bidi else _("a control character (U+{code})")
    return (_("holds {what} at character {position}").format(what=what.format(code=code), position=position),
            _("remove it: such characters would act on the screens and pages where other members read the ledger "
              "(moving the cursor, erasing or reordering text)"))


def _shown(value: Any) -> str:
    """A value as the file wrote it, or what kind of thing it is."""
    if isinstance(value, bool):
        return _("true/false")
    if value is None:
        return _("an empty value")
    if isinstance(value, (int, Decimal)):
        return _('the number {value}').format(value=value)
    if isinstance(value, (list, tuple)):
        return _("a list")
    if isinstance(value, dict):
        return _("'key: value' lines")
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _keys_at(model: type[BaseModel] | None, loc: tuple) -> list[str]:
    """The keys allowed in the mapping at ``loc`` (list indexes skipped), found in the models' fields."""
    for part in loc:
        if model is None or isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        model = next(_models_in(field.annotation), None) if field else None
    return [k for k in model.model_fields if k not in ("id", "source")] if model else []


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models_in(arg)


def _did_you_mean(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    known = _("known keys: {keys}").format(keys=", ".join(allowed)) if allowed else _("remove it")
    return _("did you mean '{close}'? ({known})").format(close=close[0], known=known) if close else known


def raw(root: Path, rel: str) -> bytes:
    """The bytes of one file of the ledger (b"" when it does not exist, or is not a regular file inside it),
    for editing it."""
    found = safe.read_inside(root, rel)
    return b"" if found is None or isinstance(found, safe.Refused) else found


def inside_ledger(root: Path, given: str) -> str | None:
    """``given`` (a path: absolute, or relative to the ledger's root) as a path relative to the root, or
    None when it leads outside the ledger (``/etc/passwd``, ``../x``)."""
    path = Path(given) if os.path.isabs(given) else Path(root) / given
    try:
        return Path(os.path.normpath(path)).relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        try:
            return path.resolve().relative_to(Path(root).resolve()).as_posix()
        except (ValueError, OSError):
            return None


def settings_bytes(root: Path) -> bytes | None:
    """The bytes of the ledger's settings, read safely (see ``safe.read_inside``)."""
    return _bytes(root, SETTINGS)
