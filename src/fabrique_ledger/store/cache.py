"""The parse cache (DESIGN §10): each file's record, or its problems, keyed by its git blob id.

A file whose bytes did not change has the same blob id, so it is not read nor parsed again.
Records are stored as flat tuples of builtins (fast to unpickle) and rebuilt without
re-validation: they were validated when first read, and the key guarantees the same bytes.
The cache lives in the git directory (or the user's cache folder), never in the tracked tree;
a missing, corrupt or foreign cache file is simply rebuilt.  FAB_NO_CACHE=1 switches it off.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from .. import __version__
from ..problems import Problem
from ..records import RECORD_TYPES, Record, Source

FORMAT = f"fab-parse-cache/3/{__version__}"
Entry = tuple[Record | None, list[Problem]]


def location(root: Path) -> Path:
    """``<git dir>/fab/parse-cache.pickle``, or a file in the user's cache folder outside git."""
    git_dir = find_git_dir(root)
    if git_dir is not None:
        return git_dir / "fab" / f"parse-cache{_suffix()}.pickle"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "fab"
    return base / (hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16] + _suffix() + ".pickle")


def _suffix() -> str:
    """Problems are cached worded in the language of the run: one cache per language."""
    from ..i18n import language
    lang = language()
    return "" if lang == "en" else f".{lang}"


def find_git_dir(root: Path) -> Path | None:
    """The git directory of the repository around ``root`` (a worktree's or submodule's too), or None;
    found without GitPython, which read-only commands need not import."""
    root = Path(root).resolve()
    for folder in (root, *root.parents):
        dot = folder / ".git"
        if dot.is_dir():
            return dot
        if dot.is_file():  # a worktree or submodule: "gitdir: <path>"
            text = dot.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                target = Path(text.removeprefix("gitdir:").strip())
                return target if target.is_absolute() else (folder / target).resolve()
    return None


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cycle collector while a ledger is built: records hold no cycles, and collecting
    while a hundred thousand of them are created costs more than building them."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def enabled() -> bool:
    return os.environ.get("FAB_NO_CACHE", "") in ("", "0")


class ParseCache:
    """(path, blob id, period length) -> record or problems, loaded once and saved if anything changed."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.old: dict[tuple[str, str, str], tuple] = self._load() if path is not None else {}
        self.new: dict[tuple[str, str, str], tuple] = {}
        self.changed = False

    def _load(self) -> dict:
        try:
            with open(self.path, "rb") as handle:  # type: ignore[arg-type]
                stamp, entries = pickle.load(handle)
            return entries if stamp == FORMAT and isinstance(entries, dict) else {}
        except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, whatever the damage
            return {}

    def get(self, key: tuple[str, str, str]) -> Entry | None:
        flat = self.old.get(key)
        if flat is None:
            return None
        try:
            entry = _thaw(flat)
        except Exception:  # noqa: BLE001 - an entry from another model version: parse again
            return None
        self.new[key] = flat
        return entry

    def has(self, key: tuple[str, str, str]) -> bool:
        return key in self.old or key in self.new

    def put_flat(self, key: tuple[str, str, str], flat: tuple) -> None:
        """An entry already in flat form (from a worker process)."""
        self.old[key] = flat
        self.changed = True

    def put(self, key: tuple[str, str, str], entry: Entry) -> None:
        self.new[key] = freeze(entry)
        self.changed = True

    def save(self) -> None:
        """Write the entries of this run (dropping files that are gone), atomically; never fails loudly."""
        if self.path is None or not (self.changed or len(self.new) != len(self.old)):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".parse-cache.")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((FORMAT, self.new), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only repository still works, only slower


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
        return (*flat, tuple(model.source)) if has_source else flat

    def decode(flat: tuple) -> BaseModel:
        fields = dict(zip(names, flat))
        for name, dec in converted:
            fields[name] = dec(fields[name])
        if has_source:
            fields["source"] = Source(*flat[-1])
        model = cls.__new__(cls)
        object.__setattr__(model, "__dict__", fields)
        object.__setattr__(model, "__pydantic_fields_set__", set(fields))
        object.__setattr__(model, "__pydantic_extra__", None)
        object.__setattr__(model, "__pydantic_private__", None)
        return model

    _MODELS[cls] = (encode, decode)
    return _MODELS[cls]


_KINDS = {cls.record_kind: cls for cls in RECORD_TYPES}


def freeze(entry: Entry) -> tuple:
    record, problems = entry
    flat = None if record is None else (record.record_kind, _model_codec(type(record))[0](record))
    return flat, [tuple(p.as_dict().values()) for p in problems]


def _thaw(flat: tuple) -> Entry:
    record_flat, problems = flat
    record = None
    if record_flat is not None:
        kind, values = record_flat
        record = _model_codec(_KINDS[kind])[1](values)
    return record, [Problem(path, line, column, code, message, hint, severity)
                    for path, line, column, code, severity, message, hint in problems]
