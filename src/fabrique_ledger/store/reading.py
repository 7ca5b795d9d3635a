"""Files -> records (with their problems) -> a Ledger, wherever the bytes come from (the working tree,
or a git revision): YAML through ``yamlio``, values through the records' models, errors worded by
``wording``, each parsed file kept in the parse cache under its blob id."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import date

from pydantic import ValidationError

from ..i18n import M_
from ..ledger import Ledger, blob_id
from ..privacy import private_data
from ..problems import Problem
from ..records import Record, Source
from ..settings import CHARTER_PATH as CHARTER
from ..settings import SETTINGS_PATH as SETTINGS
from ..settings import Settings
from ..wording import validation_problems
from . import cache, parallel, safe, yamlio
from .paths import placement

Progress = Callable[[int, int], None]  # (files done, files in all): how a long read reports itself


def read_settings(raw: bytes | None) -> tuple[Settings, list[Problem]]:
    """Settings from the bytes of ledger/fabrique.yaml (None when the file is missing)."""
    if raw is None:
        return Settings(), [Problem(SETTINGS, 1, 1, "settings", M_('{SETTINGS} is missing', SETTINGS=SETTINGS), M_("create it with fab init"))]
    parsed = yamlio.parse(raw, SETTINGS)
    if parsed.problems:
        return Settings(), parsed.problems
    if not isinstance(parsed.data, dict):
        return Settings(), [Problem(SETTINGS, 1, 1, "not-a-mapping", M_("the settings must be a mapping of keys to values"))]
    try:
        return Settings.model_validate(parsed.data), []
    except ValidationError as error:
        return Settings(), validation_problems(error, parsed, SETTINGS, Settings, settings=True)


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
    fresh = _parse_in_parallel(files, settings, store, progress) if isinstance(files, list) and total else {}
    for done, (rel, blob, read) in enumerate(files):
        blob = blob or fresh.get(rel)
        if progress is not None and done % 500 == 0:
            progress(done, total)
        entry = store.get((rel, blob, settings.period)) if blob is not None else None
        if entry is None or blob is None:  # (no blob, no entry)
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
        problems.append(Problem(CHARTER, 1, 1, "charter", M_('{CHARTER} is missing', CHARTER=CHARTER)))
    sha = hashlib.sha256(charter_raw).hexdigest() if charter_raw is not None else None
    return Ledger(settings, tuple(records), tuple(problems), sha, today or date.today(), blobs, codec=YAML_FILES)



def _parse_in_parallel(files: list[tuple[str, str | None, Callable[[], bytes]]], settings: Settings, store: cache.ParseCache,
                       progress: Progress | None) -> dict[str, str]:
    """Parse the files missing from the cache on every core, when there are many; their blob ids."""
    pending = [(rel, read) for rel, blob, read in files if blob is None or not store.has((rel, blob, settings.period))]
    if not parallel.worth_it(len(pending)):
        return {}
    fresh = {}
    for done, (rel, blob, flat) in enumerate(parallel.parse_many(pending, settings, read_record)):
        store.put_flat((rel, blob, settings.period), flat)
        fresh[rel] = blob
        if progress is not None and done % 500 == 0:
            progress(done, len(pending))
    return fresh


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
        return None, [Problem(rel, 1, 1, "not-a-mapping", M_("the file holds {what}, not 'key: value' lines", what=what))]
    reserved = [k for k in ("id", "source") if k in parsed.data]
    if reserved:
        line, col = parsed.keys[(reserved[0],)]
        return None, [Problem(rel, line, col, "unknown-key", M_("unknown key '{reserved}'", reserved=reserved[0]), M_("the id is the file's name; remove this key"))]
    try:
        record = kind.model_validate({**parsed.data, "id": stem, "source": _source(rel, parsed)})
    except ValidationError as error:
        return None, validation_problems(error, parsed, rel, kind)
    return record, private_data(record)


def _source(rel: str, parsed: yamlio.Parsed) -> Source:
    values = tuple((str(loc[0]), *pos) for loc, pos in parsed.values.items() if len(loc) == 1)
    return Source(rel, *parsed.where(()), values=values)


class YamlFiles:
    """The codec (``codec.Codec``) of a ledger read from YAML files: drafts are written and read back here."""

    dump = staticmethod(yamlio.dump)
    edit = staticmethod(yamlio.edit)
    read = staticmethod(read_record)


YAML_FILES = YamlFiles()
