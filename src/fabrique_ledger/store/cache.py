"""The parse cache (DESIGN §10): each file's record, or its problems, keyed by its git blob id.

A file whose bytes did not change has the same blob id, so it is not read nor parsed again.
Records are stored as flat tuples of builtins (fast to unpickle) and rebuilt without
re-validation: they were validated when first read, and the key guarantees the same bytes.
The cache lives in the git directory (or the user's cache folder), never in the tracked tree;
a missing, corrupt or foreign cache file is simply rebuilt.  FAB_NO_CACHE=1 switches it off.
A cache file is unpickled (which may run code) only when it and its folder are the user's own and nobody
else may write them (``load``): anything else is an empty cache.
The answers of whole checks are kept too (``ResultCache``), by a digest of everything they depend on.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import stat
import tempfile
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from .. import __version__
from ..problems import Problem
from ..records import RECORD_TYPES, Record, Source
from .root import find_git_dir

FORMAT = f"fab-parse-cache/5/{__version__}"


@lru_cache(maxsize=1)
def stamp() -> str:
    """FORMAT and a fingerprint of fab's own code (each module's size and time): an edited checkout
    (a developer's, or an upgrade that kept the version number) never trusts an older cache."""
    package = Path(__file__).resolve().parent.parent
    sha = hashlib.sha256(FORMAT.encode())
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        sha.update(f"{path.relative_to(package)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return f"{FORMAT}/{sha.hexdigest()[:16]}"
Entry = tuple[Record | None, list[Problem]]


def location(root: Path) -> Path:
    """The folder of the parse cache's shards: ``<git dir>/fab/parse-cache/``."""
    return _base(root) / "parse-cache"


def results_location(root: Path) -> Path:
    """The result cache: ``<git dir>/fab/results.pickle``."""
    return _base(root) / "results.pickle"


def history_location(root: Path) -> Path:
    """What ``fab verify`` keeps of a history and proved of its seals (``store.proofs``)."""
    return _base(root) / "history.pickle"


def answers_location(root: Path) -> Path:
    """The whole answers of read-only commands (``store.answers``): ``<git dir>/fab/answers.pickle``."""
    return _base(root) / "answers.pickle"


def _base(root: Path) -> Path:
    """``<git dir>/fab``, or a folder of the user's cache folder when the ledger is not in git."""
    git_dir = find_git_dir(root)
    if git_dir is not None:
        return git_dir / "fab"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "fab"
    return base / hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]


def load(path: Path) -> Any:
    """The value pickled in ``path``, only if the file and its folder are the user's own and nobody else
    may write them (unpickling runs whatever the file says): raises ``OSError`` otherwise, or when it is
    missing; callers take any failure as an empty cache."""
    folder = os.lstat(path.parent)
    if not stat.S_ISDIR(folder.st_mode) or not _private(folder):
        raise PermissionError(f"{path.parent} is not a folder of the user's own")
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _private(info):
            raise PermissionError(f"{path} is not a file of the user's own")
        return pickle.loads(handle.read())  # (faster than pickle.load)


def _private(info: os.stat_result) -> bool:
    """Owned by the user running fab, and nobody else may write it."""
    return info.st_uid == os.geteuid() and not info.st_mode & 0o022


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cycle collector while a ledger is built: records hold no cycles, and collecting
    while a hundred thousand of them are created costs more than building them.

    Then freeze what was built (``gc.freeze``): otherwise the first collection after this walks
    every object created meanwhile (0.7 s at 100 000 records), and each full one walks them again.
    Frozen records are still freed when no longer used; a process that reads many ledgers (the
    tests) may ``gc.unfreeze()`` between them."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


_SHARED: dict | None = None  # while ``shared()``: shards loaded and entries rebuilt, by the caches of one command


@contextmanager
def shared() -> Iterator[None]:
    """Within it, the parse caches share what they loaded and rebuilt: ``fab diff`` reads two ledgers
    (revisions) that have nearly every file in common, and each record is then rebuilt once."""
    global _SHARED
    outer = _SHARED
    _SHARED = {} if outer is None else outer
    try:
        yield
    finally:
        _SHARED = outer


def enabled() -> bool:
    return os.environ.get("FAB_NO_CACHE", "") in ("", "0")


class ParseCache:
    """(path, blob id, period length) -> record or problems, in one file per folder of the ledger
    (``ledger/members``, ``ledger/contributions/2026-H2``...): a command that reads a few folders
    (a write, a split) loads only theirs.  Each shard is loaded on first use and saved if anything
    in it changed; it keeps only the entries of this run (a removed file's entry goes)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.old: dict[str, dict[tuple[str, str, str], tuple]] = {}  # shard -> entries read from disk
        self.new: dict[str, dict[tuple[str, str, str], tuple]] = {}  # shard -> entries of this run
        self.changed: set[str] = set()

    def _shard(self, key: tuple[str, str, str]) -> tuple[str, dict]:
        name = key[0].rpartition("/")[0]
        entries = self.old.get(name)
        if entries is None:
            loaded = _SHARED.get(("shard", self.folder, name)) if _SHARED is not None else None
            entries = self.old[name] = loaded if loaded is not None else self._load(name)
            if _SHARED is not None:
                _SHARED[("shard", self.folder, name)] = entries
            self.new[name] = {}
        return name, entries

    def _file(self, name: str) -> Path:
        return self.folder / (hashlib.sha1(name.encode("utf-8", "surrogateescape")).hexdigest()[:20] + ".pickle")  # type: ignore[operator]

    def _load(self, name: str) -> dict:
        if self.folder is None:
            return {}
        try:
            written, entries = load(self._file(name))
            return entries if written == (stamp(), name) and isinstance(entries, dict) else {}
        except Exception:  # noqa: BLE001 - a missing or damaged shard is rebuilt, whatever the damage
            return {}

    def get(self, key: tuple[str, str, str]) -> Entry | None:
        name, entries = self._shard(key)
        flat = entries.get(key)
        if flat is None:
            return None
        known = _SHARED.get(("entry", key)) if _SHARED is not None else None
        if known is not None and known[0] is flat:
            entry = known[1]  # (records are immutable: two ledgers may hold the same one)
        else:
            try:
                entry = _thaw(flat)
            except Exception:  # noqa: BLE001 - an entry from another model version: parse again
                return None
            if _SHARED is not None:
                _SHARED[("entry", key)] = (flat, entry)
        self.new[name][key] = flat
        return entry

    def has(self, key: tuple[str, str, str]) -> bool:
        name, entries = self._shard(key)
        return key in entries or key in self.new[name]

    def put_flat(self, key: tuple[str, str, str], flat: tuple) -> None:
        """An entry already in flat form (from a worker process)."""
        name, entries = self._shard(key)
        entries[key] = flat
        self.changed.add(name)

    def put(self, key: tuple[str, str, str], entry: Entry) -> None:
        name, _entries = self._shard(key)
        self.new[name][key] = freeze(entry)
        self.changed.add(name)

    def save(self) -> None:
        """Write each shard that changed, atomically; never fails loudly."""
        if self.folder is None:
            return
        for name, entries in self.new.items():
            if name in self.changed or len(entries) != len(self.old[name]):
                _write(self._file(name), ((stamp(), name), entries))


class ResultCache:
    """The answers of the last few checks, by the digest of everything they depend on: the
    ledger's files do not change between most runs of ``fab check`` (a pre-commit hook, CI, a
    second look), and then the answer is known without rebuilding any record."""

    KEEP = 8

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            written, entries = load(path)
            self.entries: dict[str, tuple] = entries if written == stamp() and isinstance(entries, dict) else {}
        except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, whatever the damage
            self.entries = {}

    def get(self, digest: str) -> tuple[list[Problem], int] | None:
        try:
            problems, count = self.entries[digest]
            return list(problems), count
        except Exception:  # noqa: BLE001 - missing, or written by another version: check again
            return None

    def put(self, digest: str, problems: list[Problem], count: int) -> None:
        """The problems are kept as they are (their messages as data, worded when shown): one answer serves
        every language."""
        kept = list(self.entries.items())[-(self.KEEP - 1):]
        entries = {**dict(kept), digest: (tuple(problems), count)}
        _write(self.path, (stamp(), entries))


def _write(path: Path, value: Any) -> None:
    """Pickle ``value`` to ``path`` atomically, in a folder of the user's own that nobody else may write
    (made so; one of theirs that others may write is closed to them first); never fails loudly (a
    read-only repository still works, only slower), and writes nothing into another user's folder."""
    try:
        if not own_folder(path.parent):
            return
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass


def own_folder(folder: Path) -> bool:
    """Make ``folder`` (fab's own: ``<git dir>/fab``, its ``parse-cache``...) and the missing folders above
    it with mode 0700; whether it is then the user's own folder, not a link, that nobody else may write.
    An older one of theirs that others could write (made under a umask of 002) is closed, and the cache
    files it holds are removed: any of them may have been put or replaced there meanwhile.  The folders
    above are left as they are."""
    missing = [folder]
    while not os.path.lexists(missing[-1].parent) and missing[-1].parent != missing[-1]:
        missing.append(missing[-1].parent)
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        return False
    if info.st_mode & 0o022:  # closed to others, and what they may have put there meanwhile goes
        os.chmod(folder, stat.S_IMODE(info.st_mode) & ~0o022)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".pickle") or entry.name.startswith("."):
                    os.unlink(entry.path)
    return True


# --- records as flat tuples of builtins ------------------------------------------------------------

Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]
_SAME: Codec = (lambda v: v, lambda v: v)


def _codec(annotation: Any) -> Codec:
    """How to flatten and rebuild a value of this type (Decimal -> str, date -> ordinal, model -> tuple)."""
    if annotation is Decimal:
        return (str, Decimal)
    if annotation is date:
        return (date.toordinal, date.fromordinal)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model_codec(annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        enc, dec = _codec(inner[0]) if len(inner) == 1 else _SAME
        return (lambda v: None if v is None else enc(v), lambda v: None if v is None else dec(v))
    if origin is tuple and args and args[-1] is Ellipsis:
        enc, dec = _codec(args[0])
        if (enc, dec) == _SAME:
            return _SAME
        return (lambda v: tuple(map(enc, v)), lambda v: tuple(map(dec, v)))
    if origin is dict:
        enc, dec = _codec(args[1])
        if (enc, dec) == _SAME:
            return _SAME
        return (lambda v: {k: enc(x) for k, x in v.items()}, lambda v: {k: dec(x) for k, x in v.items()})
    if getattr(annotation, "__metadata__", None) is not None:  # Annotated[...]
        return _codec(get_args(annotation)[0])
    return _SAME


_MODELS: dict[type, Codec] = {}
new = object.__new__
set_dict, set_fields, set_extra, set_private = (BaseModel.__dict__[name].__set__ for name in (
    "__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"))


def _model_codec(cls: type[BaseModel]) -> Codec:
    if cls in _MODELS:
        return _MODELS[cls]
    names = [n for n in cls.model_fields if n != "source"]
    codecs = [_codec(cls.model_fields[n].annotation) for n in names]
    converted = [(n, dec) for n, (enc, dec) in zip(names, codecs) if (enc, dec) != _SAME]
    has_source = "source" in cls.model_fields

    def encode(model: BaseModel) -> tuple:
        values = model.__dict__
        flat = tuple(enc(values[n]) for n, (enc, _) in zip(names, codecs))
        return (*flat, tuple(values["source"])) if has_source else flat

    all_names = {*names, "source"} if has_source else set(names)

    def decode(flat: tuple) -> BaseModel:
        fields = dict(zip(names, flat))
        for name, dec in converted:
            fields[name] = dec(fields[name])
        if has_source:
            fields["source"] = Source(*flat[-1])
        model = new(cls)
        set_dict(model, fields)
        set_fields(model, all_names)  # every field is set; one shared set: frozen models never change it
        set_extra(model, None)
        set_private(model, None)
        return model

    _MODELS[cls] = (encode, decode)
    return _MODELS[cls]


_KINDS = {cls.record_kind: cls for cls in RECORD_TYPES}


def freeze(entry: Entry) -> tuple:
    record, problems = entry
    flat = None if record is None else (record.record_kind, _model_codec(type(record))[0](record))
    return flat, tuple(problems)  # as data, worded when shown: one cache for every language


def _thaw(flat: tuple) -> Entry:
    record_flat, problems = flat
    record = None
    if record_flat is not None:
        kind, values = record_flat
        record = _model_codec(_KINDS[kind])[1](values)
    return record, list(problems)
