"""The treasurer's PRIVATE payees file: who is paid on which bank account.

The ledger is public; bank details never enter it.  They live in a file the treasurer keeps outside
the ledger's repository, in YAML::

    debtor:                      # optional: the commons' own account (or --debtor-iban ...)
      name: Fabrique des Mobilités
      iban: FR76 3000 6000 0112 3456 7890 189
      bic: AGRIFRPP
    payees:
      alice:                     # the member's handle in the ledger
        name: Alice Martin       # the account holder (default: the member's name)
        iban: FR14 2004 1010 0505 0001 3M02 606
        bic: PSSTFRPP            # optional
      chloe: {}                  # listed without an account: paid by hand

or in CSV, with a header row ``handle,name,iban,bic`` (``;`` as separator works too).

A file inside the ledger's folder or its git repository is refused, whatever its name and whether or
not git ignores it, and so is an output file holding bank details: one ``git add -A`` would publish
them.  Every IBAN and BIC is validated (schwifty); every mistake is reported at once as
``path:line: message``.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import N_, _
from ..payouts import Debtor, Payee
from ..problems import FabError
from ..records import ID_PATTERN
from . import git as gitstore
from . import yamlio

PAYEE_KEYS = ("name", "iban", "bic")
MAX_BYTES = 1024 * 1024


class PayeesError(FabError):
    """The payees file cannot be used; ``lines`` are ``path:line: message``, ``usage`` marks a wrong path."""

    def __init__(self, lines: list[str], usage: bool = False, hint: str = "") -> None:
        super().__init__("\n".join(lines), hint, usage=usage)
        self.lines = lines


@dataclass(frozen=True)
class Payees:
    path: Path
    payees: dict[str, Payee] = field(default_factory=dict)
    debtor: Debtor | None = None
    notes: tuple[str, ...] = ()  # things worth saying that do not stop anything


# --- where the file is ----------------------------------------------------------------------------

def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def inside_repository(path: Path, ledger_root: Path) -> Path | None:
    """The ledger folder or git working tree that ``path`` is in (or would be in, for a new file), if any.

    Both the path as written and the path with every symbolic link resolved are compared with both
    the ledger's folder and its repository, themselves as written and resolved; then git is asked
    whether it tracks the file, for what paths alone cannot tell.
    """
    given = Path(os.path.normpath(Path.cwd() / Path(path).expanduser()))
    real = given.resolve()
    areas = [Path(os.path.normpath(Path.cwd() / ledger_root))]
    repo = gitstore.open_repo(ledger_root)
    if repo is not None and repo.working_tree_dir:
        areas.append(Path(os.path.normpath(repo.working_tree_dir)))
    for area in areas:
        for folder in (area, area.resolve()):
            if _inside(given, folder) or _inside(real, folder):
                return area
    if repo is not None and real.exists():
        try:
            repo.git.ls_files("--error-unmatch", "--", str(real))
            return Path(repo.working_tree_dir or ledger_root)
        except Exception:  # not tracked, or outside the repository: what we want
            pass
    return None


def refuse_inside(path: Path, ledger_root: Path, what: str, option: str) -> None:
    """Raise PayeesError (a usage error) when ``path`` is inside the ledger or its repository."""
    area = inside_repository(path, ledger_root)
    if area is not None:
        raise PayeesError(
            [_("{option}: {path} is inside the ledger's git repository ({area}); {what} holds bank details, which must never be committed").format(option=option, path=path, area=area, what=_(what))],
            usage=True,
            hint=_('keep it outside the repository, like  {option} ~/private/{name}').format(option=option, name=Path(path).name),
        )


def other_repository(path: Path) -> Path | None:
    """The git repository (not the ledger's) that holds ``path``, if any: worth a warning."""
    repo = gitstore.open_repo(Path(path).expanduser().resolve().parent)
    return Path(repo.working_tree_dir) if repo is not None and repo.working_tree_dir else None


# --- reading and validating -----------------------------------------------------------------------

def read_payees(path: Path, ledger_root: Path) -> Payees:
    """Read and validate the payees file at ``path`` (YAML or CSV, by its suffix)."""
    path = Path(path)
    refuse_inside(path, ledger_root, N_("the payees file"), "--payees")
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        raise PayeesError([_('--payees: {path} is neither a .yaml nor a .csv file').format(path=path)], usage=True,
                          hint=_("name it payees.yaml or payees.csv"))
    try:
        raw = path.expanduser().read_bytes()
    except FileNotFoundError:
        raise PayeesError([_('--payees: there is no file {path}').format(path=path)], usage=True) from None
    except OSError as error:
        raise PayeesError([_('--payees: cannot read {path}: {value}').format(path=path, value=error.strerror or error)], usage=True) from None
    shown = str(path)
    if len(raw) > MAX_BYTES:
        raise PayeesError([_('{shown}:1: the file is larger than 1 MiB; a payees file is a few lines per member').format(shown=shown)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PayeesError([_('{shown}:{line}: the file is not UTF-8 text (save it as UTF-8)').format(shown=shown, line=line)]) from None
    problems: list[str] = []
    if suffix == ".csv":
        entries, debtor = _csv_entries(text, shown, problems), None
    else:
        entries, debtor = _yaml_entries(raw, shown, problems)
    payees: dict[str, Payee] = {}
    for handle, line, values, lines in entries:
        payee = _payee(handle, line, values, lines, shown, problems)
        if payee is None:
            continue
        if handle in payees:
            problems.append(_("{shown}:{line}: {handle} is already listed on line {first}").format(
                shown=shown, line=line, handle=handle, first=payees[handle].line))
            continue
        payees[handle] = payee
    if problems:
        raise PayeesError(sorted(problems, key=lambda text: int(text[len(shown) + 1:].split(":", 1)[0])))
    notes: tuple[str, ...] = ()
    repo = other_repository(path)
    if repo is not None:
        notes = (_("{path} is inside the git repository {repo}: make sure it is never committed there either").format(
            path=path, repo=repo),)
    return Payees(path, payees, debtor, notes)


Entry = tuple[str, int, dict, dict]  # handle, line, {key: value}, {key: line}


def _yaml_entries(raw: bytes, shown: str, problems: list[str]) -> tuple[list[Entry], Debtor | None]:
    parsed = yamlio.parse(raw, shown)
    if parsed.problems:
        problems.extend(f"{shown}:{p.line}: {p.message}" for p in parsed.problems)
        return [], None
    data = parsed.data
    if data is None:
        problems.append(_("{shown}:1: the file is empty; list the payees under 'payees:'").format(shown=shown))
        return [], None
    if not isinstance(data, dict):
        problems.append(_("{shown}:1: expected 'debtor:' and 'payees:' keys, not a list or a single value").format(shown=shown))
        return [], None

    def line_of(*loc) -> int:
        return parsed.where(loc)[0]

    for key in data:
        if key not in ("debtor", "payees"):
            problems.append(_("{shown}:{line}: unknown key '{key}' (the keys are debtor and payees; "
                              "members go under payees:)").format(shown=shown, line=line_of(key), key=key))
    debtor = None
    if data.get("debtor") is not None:
        found = data["debtor"]
        if not isinstance(found, dict):
            problems.append(_("{shown}:{line}: 'debtor' holds name, iban and bic lines").format(shown=shown, line=line_of("debtor")))
        else:
            lines = {k: line_of("debtor", k) for k in found}
            debtor = read_debtor(found, shown, line_of("debtor"), lines, problems)
    listed = data.get("payees")
    entries: list[Entry] = []
    if listed is None:
        if "payees" not in data:
            problems.append(_("{shown}:1: missing key 'payees' (one entry per member handle)").format(shown=shown))
        return entries, debtor
    if not isinstance(listed, dict):
        problems.append(_("{shown}:{line}: 'payees' holds one entry per member handle, like  alice: {{iban: ...}}").format(
            shown=shown, line=line_of("payees")))
        return entries, debtor
    for handle, values in listed.items():
        line = parsed.keys.get(("payees", handle), (line_of("payees", handle), 1))[0]
        if values is None:
            values = {}
        if not isinstance(values, dict):
            problems.append(_("{shown}:{line}: {handle}: expected name, iban and bic lines under the handle").format(
                shown=shown, line=line, handle=handle))
            continue
        entries.append((str(handle), line, values, {k: line_of("payees", handle, k) for k in values}))
    return entries, debtor


def _csv_entries(text: str, shown: str, problems: list[str]) -> list[Entry]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str] | None = None
    entries: list[Entry] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            header = ["handle" if cell == "member" else cell for cell in header]
            unknown = [c for c in header if c not in ("handle", *PAYEE_KEYS)]
            if unknown or "handle" not in header:
                problems.append(_("{shown}:{line}: the header row must name the columns handle, name, iban and bic "
                                  "(found: {found})").format(shown=shown, line=line, found=", ".join(header)))
                return []
            continue
        if len(row) > len(header):
            problems.append(_("{shown}:{line}: {cells} cells for {columns} columns (quote a name that holds a '{delimiter}')").format(
                shown=shown, line=line, cells=len(row), columns=len(header), delimiter=delimiter))
            continue
        cells = dict(zip(header, (cell.strip() for cell in row)))
        handle = cells.pop("handle", "")
        entries.append((handle, line, {k: v for k, v in cells.items() if v}, dict.fromkeys(cells, line)))
    if header is None:
        problems.append(_("{shown}:1: the file is empty; write a header row handle,name,iban,bic and one row per member").format(shown=shown))
    return entries


def _text(value, shown: str, line: int, what: str, problems: list[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(_("{shown}:{line}: {what}: expected text, not {value}").format(shown=shown, line=line, what=what, value=repr(value)))
        return None
    return value.strip() or None


def _reason(error: Exception) -> str:
    """schwifty's 'Invalid checksum digits' -> 'invalid checksum digits' (IBAN and codes keep their case)."""
    text = str(error).strip() or "invalid"
    return text[:1].lower() + text[1:]


def check_iban(value: str) -> tuple[str, bool]:
    """The compact IBAN and whether its country is in the SEPA zone; ValueError with the reason if invalid."""
    from schwifty import IBAN

    try:
        iban = IBAN(value)
    except ValueError as error:
        raise ValueError(_("'{value}' is not a valid IBAN ({reason})").format(value=value, reason=_reason(error))) from None
    return iban.compact, bool(iban.in_sepa_zone)


def check_bic(value: str) -> str:
    from schwifty import BIC

    try:
        return BIC(value).compact
    except ValueError as error:
        raise ValueError(_("'{value}' is not a valid BIC ({reason})").format(value=value, reason=_reason(error))) from None


def bic_of(iban: str) -> str | None:
    """The BIC of the bank of a (valid) IBAN, when schwifty's registry knows it."""
    from schwifty import IBAN

    try:
        found = IBAN(iban).bic
    except ValueError:
        return None
    return found.compact if found is not None else None


def _checked(text: str | None, check, where: str, problems: list[str]):
    """``check(text)`` (an IBAN or BIC validator), or None with the problem noted at ``where``."""
    if text is None:
        return None
    try:
        return check(text)
    except ValueError as error:
        problems.append(_("{where}: {error}").format(where=where, error=error))
        return None


def _account(label: str, values: dict, shown: str, line: int, lines: dict, problems: list[str]):
    """The name, IBAN and BIC texts of a payee (or the debtor), then the IBAN (with whether it is in the
    SEPA area) and the BIC checked; what is wrong is added to ``problems``, at the line of its key."""
    for key in values:
        if key not in PAYEE_KEYS:
            problems.append(_("{shown}:{line}: {handle}: unknown key '{key}' (the keys are name, iban and bic)").format(
                shown=shown, line=lines.get(key, line), handle=label, key=key))
    name, iban_text, bic_text = (_text(values.get(key), shown, lines.get(key, line), f"{label}: {key}", problems)
                                 for key in ("name", "iban", "bic"))
    iban = _checked(iban_text, check_iban, f"{shown}:{lines.get('iban', line)}: {label}", problems) or (None, True)
    bic = _checked(bic_text, check_bic, f"{shown}:{lines.get('bic', line)}: {label}", problems)
    return name, iban_text, bic_text, iban, bic


def _payee(handle, line: int, values: dict, lines: dict, shown: str, problems: list[str]) -> Payee | None:
    count = len(problems)
    if not isinstance(handle, str) or not ID_PATTERN.fullmatch(handle):
        problems.append(_("{shown}:{line}: '{handle}' is not a member handle "
                          "(lowercase letters, digits and '-', as in the ledger)").format(shown=shown, line=line, handle=handle))
        return None
    name, iban_text, bic_text, (iban, sepa), bic = _account(handle, values, shown, line, lines, problems)
    if bic_text is not None:
        if iban_text is None:
            problems.append(_("{shown}:{line}: {handle}: a BIC without an IBAN; add the IBAN").format(
                shown=shown, line=lines.get("bic", line), handle=handle))
    if len(problems) > count:
        return None
    return Payee(handle, name, iban, bic, sepa, line)


def read_debtor(values: dict, shown: str, line: int, lines: dict, problems: list[str]) -> Debtor | None:
    """The commons' account from ``{name, iban, bic}`` (``name`` may be missing: the ledger's name is used)."""
    count = len(problems)
    name, iban_text, _bic_text, (iban, _sepa), bic = _account("debtor", values, shown, line, lines, problems)
    if iban_text is None:
        problems.append(_("{shown}:{line}: debtor: the commons' IBAN is missing (iban: ...)").format(shown=shown, line=line))
    if len(problems) > count or iban is None:
        return None
    return Debtor(name or "", iban, bic)
