"""A spreadsheet of history turned into records (``fab import``): members, signatures, contributions,
donations and uses, one row each, in a documented column layout (English or French headers).

Every row becomes the exact YAML text a write command would write, read back through the code
``fab check`` uses; then all the new records are checked at once with the whole ledger, and each problem
is reported at its row and column (``history.xlsx[contributions]:12:4``).  A row that is already in the
ledger (the same member, the same signature, a record of the same kind with the same values) is matched,
not added again: importing a file twice adds nothing.  Nothing here reads or writes a file: the
spreadsheet comes as ``Table`` values (store/sheets.py), and the text of each record is made and read
back by the ledger's codec, as the drafts do.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from .checks import check
from .drafts import _in_minor_units, slug
from .i18n import M_
from .ledger import Ledger, blob_id
from .periods import Period
from .problems import Problem
from .records import PLAIN_NUMBER, Contribution, Donation, Member, Record, Signature, Source, Use, path_of


@dataclass(frozen=True)
class Table:
    """One sheet (or a CSV file) as store/sheets.py reads it: ``where`` names it in problems
    (``history.xlsx[contributions]``), ``name`` is the sheet's name (None for CSV), ``header`` the first row,
    ``rows`` each later row with its number, cells typed as the spreadsheet typed them."""

    where: str
    name: str | None
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]


@dataclass(frozen=True)
class Column:
    key: str  # the record's key (or 'handle' for a member's file name)
    english: str
    french: str
    required: bool = False
    form: str = "text"  # text, date, number, handle, roles, authors


LAYOUTS: dict[str, tuple[Column, ...]] = {
    "member": (Column("handle", "handle", "identifiant", True, "handle"), Column("name", "name", "nom", True),
               Column("roles", "roles", "rôles", False, "roles"), Column("joined", "joined", "arrivée", True, "date"),
               Column("organisation", "organisation", "organisation"), Column("email", "email", "courriel"),
               Column("wiki_user", "wiki user", "compte wiki")),
    "signature": (Column("member", "member", "membre", True, "handle"), Column("date", "date", "date", True, "date")),
    "contribution": (Column("authors", "authors", "auteurs", True, "authors"), Column("kind", "kind", "type", True),
                     Column("title", "title", "titre", True), Column("hours", "hours", "heures", True, "number"),
                     Column("date", "date", "date", True, "date"), Column("url", "url", "url"),
                     Column("description", "description", "description")),
    "donation": (Column("donor", "donor", "donateur", True, "handle"), Column("amount", "amount", "montant", True, "number"),
                 Column("date", "date", "date", True, "date"), Column("mission", "mission", "mission"),
                 Column("reference", "reference", "référence")),
    "use": (Column("member", "member", "membre", True, "handle"), Column("resource", "resource", "ressource", True),
            Column("date", "date", "date", True, "date"), Column("mission", "mission", "mission"),
            Column("mission_revenue", "mission revenue", "chiffre de la mission", False, "number")),
}
SHEETS = {"member": ("members", "membres"), "signature": ("signatures",), "contribution": ("contributions",),
          "donation": ("donations", "dons"), "use": ("uses", "utilisations")}
KINDS: dict[str, type[Record]] = {"member": Member, "signature": Signature, "contribution": Contribution, "donation": Donation, "use": Use}


@dataclass(frozen=True)
class Row:
    """A row that becomes a record: where it is, and the record's path, text and value."""

    where: str
    row: int
    kind: str
    rel: str
    text: str
    record: Record


@dataclass
class Plan:
    """What an import would do: the new records, the rows already in the ledger, and the problems."""

    new: list[Row] = field(default_factory=list)
    matched: Counter = field(default_factory=Counter)  # kind -> rows already in the ledger
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0

    def counts(self) -> dict[str, int]:
        return dict(Counter(row.kind for row in self.new))


def plan_import(ledger: Ledger, tables: list[Table], kind: str | None = None) -> Plan:
    """The records the ``tables`` hold, checked with ``ledger``; ``kind`` for a table whose kind its sheet
    name and headers do not say."""
    plan = Plan()
    present = {r.source.path for r in ledger.records}
    taken = set(present)  # paths of the ledger and of the new records, so that two rows never get one id
    existing = Counter(_values(r) for r in ledger.records if type(r) in KINDS.values())
    cells: dict[str, dict[str, int]] = {}  # new path -> key -> spreadsheet column
    for table in tables:
        if not any(table.header) and not table.rows:
            continue  # an empty sheet (a new workbook's "Sheet1") holds nothing to import
        table_kind, columns = _layout(table, kind, plan.problems)
        if table_kind is None:
            continue
        for number, cells_of_row in table.rows:
            if all(c is None or str(c).strip() == "" for c in cells_of_row):
                continue
            plan.rows += 1
            row = _row(ledger, table, number, cells_of_row, table_kind, columns, taken, plan.problems, existing)
            if row is None:
                continue
            signature = _values(row.record)
            if existing[signature]:
                existing[signature] -= 1
                plan.matched[table_kind] += 1
                continue
            if row.rel in present:
                plan.problems.append(Problem(table.where, number, 1, "duplicate-id", M_(
                    "{rel} already exists with other values", rel=row.rel), M_("change the row, or edit the file instead")))
                continue
            taken.add(row.rel)
            cells[row.rel] = _by_key(columns)
            plan.new.append(row)
    plan.problems += _checked(ledger, plan.new, cells)
    return plan


def _layout(table: Table, kind: str | None, problems: list[Problem]) -> tuple[str | None, dict[int, Column]]:
    """The kind of a table (its sheet's name, ``kind``, or the headers), and its columns by position."""
    named = next((k for k, names in SHEETS.items() if table.name and table.name.strip().lower() in names), None)
    headers = [h.strip().lower() for h in table.header]
    guessed = [k for k, layout in LAYOUTS.items() if all(_known(c, headers) for c in layout if c.required)]
    # a use's columns hold a signature's (member, date): the kind asking the most columns is the one meant
    chosen = named or kind or (max(guessed, key=lambda k: sum(c.required for c in LAYOUTS[k])) if guessed else None)
    if chosen is None:
        problems.append(Problem(table.where, 1, 1, "bad-path", M_("cannot tell which records this table holds"),
                                M_("name the sheet members, signatures, contributions, donations or uses, or give --kind")))
        return None, {}
    layout = LAYOUTS[chosen]
    columns: dict[int, Column] = {}
    for index, header in enumerate(headers):
        column = next((c for c in layout if header in (c.english, c.french, c.key)), None)
        if column is not None:
            columns[index] = column
        elif header:
            known = ", ".join(c.english for c in layout)
            problems.append(Problem(table.where, 1, index + 1, "unknown-key", M_(
                "'{header}' is not a column of {kind} records (columns: {known})", header=table.header[index], kind=chosen, known=known)))
    for column in layout:
        if column.required and column not in columns.values():
            problems.append(Problem(table.where, 1, 1, "missing-key", M_("the column '{column}' is missing", column=column.english),
                                    M_("add it to the header row (or its French name, '{french}')", french=column.french)))
    return (chosen, columns) if not [p for p in problems if p.path == table.where] else (None, {})


def _known(column: Column, headers: list[str]) -> bool:
    return any(name in headers for name in (column.english, column.french, column.key))


def _row(ledger: Ledger, table: Table, number: int, values: tuple[Any, ...], kind: str,
         columns: dict[int, Column], taken: set[str], problems: list[Problem], existing: Counter) -> Row | None:
    """One row as a record, or None with its problems (at the row and column).  A row already in the ledger
    is known from its values alone (writing its YAML text, 5 ms a row, is for new records)."""
    data: dict[str, Any] = {}
    found: list[Problem] = []
    for index, column in columns.items():
        value = _cell(values[index] if index < len(values) else None, column)
        if value is None:
            if column.required:
                found.append(Problem(table.where, number, index + 1, "missing-key", M_("'{column}' is empty", column=column.english)))
            continue
        data[column.key] = value
    if found:
        problems.extend(found)
        return None
    rel, data = _placed(ledger, kind, data, taken)
    try:
        known = KINDS[kind].model_validate({**data, "id": _stem(rel), "source": Source(rel)})
        if existing[_values(known)]:
            return Row(table.where, number, kind, rel, "", known)
    except ValidationError:
        pass  # its problems are found, and placed, from its text below
    text = ledger.codec.dump(data)
    record, read = ledger.codec.read(rel, text.encode("utf-8"), ledger.settings)
    problems.extend(_at_cell(p, table.where, number, text, _by_key(columns)) for p in read if p.severity == "error")
    return Row(table.where, number, kind, rel, text, record) if record is not None and not any(
        p.severity == "error" for p in read) else None


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].removesuffix(".yaml")


def _by_key(columns: dict[int, Column]) -> dict[str, int]:
    """key -> spreadsheet column number (1 = A)."""
    return {column.key: index + 1 for index, column in columns.items()}


def _cell(value: Any, column: Column) -> Any:
    """A cell's value in the form the record takes; None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = value.strip()
    if column.form == "roles" and isinstance(value, str):
        return [part for part in re.split(r"[,;\s]+", value) if part]
    if column.form == "authors" and isinstance(value, str):
        authors = [part.strip() for part in re.split(r"[,;]", value) if part.strip()]
        if len(authors) == 1 and ":" not in authors[0]:
            return authors[0]
        return [{"member": a.partition(":")[0].strip(), "share": a.partition(":")[2].strip() or "1"} for a in authors]
    if column.form == "date" and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    if column.form == "number" and isinstance(value, str) and PLAIN_NUMBER.fullmatch(value):
        return Decimal(value)
    if column.form in ("text", "handle") and not isinstance(value, str):
        return str(value)
    return value


def _placed(ledger: Ledger, kind: str, data: dict[str, Any], taken: set[str]) -> tuple[str, dict[str, Any]]:
    """The path a write command would give the record, and its data in the order it writes it."""
    day = data.get("date") or data.get("joined")
    period = str(Period.containing(day, ledger.settings.period)) if isinstance(day, date) else "x"
    if kind == "member":
        handle = data.pop("handle")
        data.setdefault("roles", ["contributor"])
        return path_of(Member, None, handle), data
    if kind == "signature":
        data["charter"] = ledger.charter_sha256 or ""
        return path_of(Signature, None, f"{data['member']}--{day}"), data
    if kind in ("donation", "use"):
        name = "amount" if kind == "donation" else "mission_revenue"
        if isinstance(data.get(name), Decimal):
            data[name] = _in_minor_units(ledger, data[name])
    if kind == "contribution":
        first = data["authors"] if isinstance(data["authors"], str) else str(data["authors"][0]["member"])
        base = f"{day}-{first}-{slug(str(data['title']))}"
    elif kind == "donation":
        base = f"{day}-{data['donor']}"
    else:
        base = f"{day}-{data['member']}-{slug(str(data['resource']), 30)}"
    return _free(KINDS[kind], period, slug(base, 76), taken), data


def _free(kind: type[Record], period: str, base: str, taken: set[str]) -> str:
    """The path of ``base``, or of ``base-2``... when the ledger or another row has it."""
    name, n = base, 2
    while path_of(kind, period, name) in taken:
        name, n = f"{base}-{n}", n + 1
    return path_of(kind, period, name)


def _values(record: Record) -> tuple:
    """What makes two records the same fact: their kind and values (and, for members and signatures, path)."""
    named = record.source.path if isinstance(record, (Member, Signature)) else ""
    return type(record).__name__, named, json.dumps(record.model_dump(mode="json"), sort_keys=True)


def _checked(ledger: Ledger, new: list[Row], cells: dict[str, dict[str, int]]) -> list[Problem]:
    """The problems ``fab check`` would find once every new record is there, and does not find now: each
    at its row and column when it is about a new record."""
    if not new:
        return []
    after = replace(ledger, records=(*ledger.records, *(row.record for row in new)),
                    blobs={**ledger.blobs, **{row.rel: blob_id(row.text.encode("utf-8")) for row in new}})
    known = set(check(ledger))
    rows = {row.rel: row for row in new}
    found = []
    for problem in check(after):
        if problem.severity != "error" or (problem.path not in rows and problem in known):
            continue
        row = rows.get(problem.path)
        found.append(problem if row is None else _at_cell(problem, row.where, row.row, row.text, cells[row.rel]))
    return found


def _at_cell(problem: Problem, where: str, number: int, text: str, columns: dict[str, int]) -> Problem:
    """A problem of the YAML text of a row, moved to the row and the column of the key it is about (a
    problem of the file's name, to the column the name is made from)."""
    key = _key_at(text, problem.line)
    if problem.code in ("bad-id", "signature-date", "duplicate-id"):
        key = "handle" if "handle" in columns else "member"
    return replace(problem, path=where, line=number, column=columns.get(key or "", 1))


def _key_at(text: str, line: int) -> str | None:
    """The top-level key whose value holds ``line`` of a record's YAML text."""
    key = None
    for number, content in enumerate(text.splitlines(), start=1):
        if number > line:
            break
        found = re.match(r"^([a-z_]+):", content)
        if found:
            key = found[1]
    return key
