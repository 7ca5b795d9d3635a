"""The records' JSON Schemas, for completion and validation in editors (``fab schema``, docs/editors.md).

A schema must refuse what ``fab check`` refuses, wherever a schema can say it: numbers written as fab
reads them (plain digits, as a YAML number or as text), their ranges and the decimals of the ledger's
currency, text that is not blank and holds no control character, ids, enums, required keys.  Pydantic
gives the shape of each record; the rules it does not carry into its schema (validators written in
Python, and the checks of checks.py that concern one file) are added here.  What no schema can say
(references between records, periods, today, the file's name) is listed in docs/editors.md, and
tests/test_schema.py holds both to a corpus of good and bad records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..controls import CONTROLS
from ..records import Contribution, Donation, Record
from ..settings import MINOR_DIGITS, Settings

# Character classes in the syntax both ECMAScript (editors) and Python's re accept.
_CONTROLS = CONTROLS.replace("\\x", "\\u00")  # \x7f -> \u007f: one form for both dialects
_NO_CONTROLS = f"^[^\\t\\n{_CONTROLS}]*$"
_NON_BLANK_LINE = f"^[^\\t\\n{_CONTROLS}]*[^\\s{_CONTROLS}][^\\t\\n{_CONTROLS}]*$"
_LONG_TEXT = f"^[^{_CONTROLS}]*$"
_URL = f"^https?://[^\\s{_CONTROLS}]+$"
_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@dataclass(frozen=True)
class Amount:
    """What fab accepts for one number: more than 0 (``positive``), at most ``most``, at most ``digits``
    decimals; None is no limit."""

    positive: bool = False
    most: Decimal | None = None
    digits: int | None = None

    def schema(self) -> dict:
        """A YAML number within the limits, or the same written as text (fab strips the spaces around it)."""
        number: dict[str, Any] = {"type": "number" if self.digits != 0 else "integer"}
        if self.positive:
            number["exclusiveMinimum"] = 0
        if self.most is not None:
            number["maximum"] = _plain(self.most)
        if self.digits:
            number["multipleOf"] = _plain(Decimal(1).scaleb(-self.digits))
        return {"anyOf": [number, {"type": "string", "pattern": self._pattern()}]}

    def _pattern(self) -> str:
        fraction = "" if self.digits == 0 else f"(\\.[0-9]{{1,{self.digits or 15}}})?"
        if self.most is not None:  # 0 to most, written with at most as many digits (most is whole)
            whole = str(int(self.most))
            below = f"[0-9]{{1,{len(whole) - 1}}}{fraction}" if len(whole) > 1 else f"0{fraction}"
            zeros = f"(\\.0{{1,{self.digits or 15}}})?" if self.digits != 0 else ""
            digits = f"0*(?:{below}|{whole}{zeros})" if int(whole) > 1 else f"0*(?:0{fraction}|1{zeros})"
        else:
            digits = f"[0-9]{{1,15}}{fraction}"
        sign = "(?!\\s*[0.]*\\s*$)" if self.positive else "-?"
        return f"^\\s*{sign}{digits}\\s*$"


PLAIN = Amount()
# The limits of checks.py and records.py's validators, by kind and key ("author.share": a contribution's author).
LIMITS = {
    "contribution.hours": Amount(positive=True, most=Decimal(10_000), digits=2),
    "author.share": Amount(positive=True, most=Decimal(1)),
    "donation.rate": Amount(positive=True),
}
MONEY = ("donation.amount", "use.mission_revenue", "request.amount")  # positive, the currency's decimals


def record_schema(kind: type[Record], settings: Settings | None = None) -> dict:
    """The JSON Schema of one kind of record file for a ledger with ``settings`` (its currency's decimals,
    its contribution kinds): what an editor needs to complete keys and flag mistakes."""
    settings = settings or Settings()
    schema = kind.model_json_schema()
    for internal in ("id", "source"):
        schema.get("properties", {}).pop(internal, None)
        if internal in schema.get("required", []):
            schema["required"].remove(internal)
    schema.get("$defs", {}).pop("Source", None)
    schema = _tighten(schema)
    name = kind.record_kind
    for key, node in schema.get("properties", {}).items():
        limit = LIMITS.get(f"{name}.{key}") or (Amount(True, None, settings.digits) if f"{name}.{key}" in MONEY else None)
        if kind is Donation and key == "amount":
            limit = Amount(positive=True)  # its decimals depend on its currency: _donation_currencies
        if limit is not None:
            _replace_number(node, limit)
    if kind is Contribution:
        _contribution(schema, settings)
    if kind is Donation:
        schema["allOf"] = _donation_currencies(settings)
    schema["title"] = f"fab {kind.record_kind} ({kind.folder})"
    return _tidy(schema)


def _replace_number(node: dict, limit: Amount) -> None:
    """The number of ``node`` (or of its non-null branch) under ``limit``."""
    if "anyOf" in node and {"type": "null"} in node["anyOf"]:
        node["anyOf"] = [*limit.schema()["anyOf"], {"type": "null"}]
    else:
        node.pop("anyOf", None)
        node.update(limit.schema())


def _contribution(schema: dict, settings: Settings) -> None:
    """``authors: alice`` is shorthand for one author with the whole share; the kind is one of the ledger's."""
    authors = schema["properties"]["authors"]
    handle = schema["$defs"]["Author"]["properties"]["member"]["pattern"]
    _replace_number(schema["$defs"]["Author"]["properties"]["share"], LIMITS["author.share"])
    schema["properties"]["authors"] = {"title": authors.get("title", "Authors"),
                                       "anyOf": [{"type": "string", "pattern": handle},
                                                 {k: v for k, v in authors.items() if k != "title"}]}
    schema["properties"]["kind"]["enum"] = list(settings.kinds)


def _donation_currencies(settings: Settings) -> list[dict]:
    """A donation's amount takes the decimals of its own currency when it names another one than the
    ledger's (checks._digits: those of MINOR_DIGITS, else 2), else the ledger currency's."""
    def when(condition: dict, digits: int) -> dict:
        return {"if": condition, "then": {"properties": {"amount": Amount(True, None, digits).schema()}}}

    def currency(rule: dict) -> dict:
        return {"required": ["currency"], "properties": {"currency": rule}}

    own = settings.currency
    by_digits: dict[int, list[str]] = {}
    for code, digits in MINOR_DIGITS.items():
        if code != own:
            by_digits.setdefault(digits, []).append(code)
    return [when({"anyOf": [{"not": {"required": ["currency"]}}, currency({"const": own})]}, settings.digits),
            *(when(currency({"enum": codes}), digits) for digits, codes in sorted(by_digits.items())),
            when(currency({"not": {"enum": [own, *MINOR_DIGITS]}}), 2)]


def _tighten(node: Any) -> Any:
    """Pydantic's shapes made as strict as fab's validators: plain numbers, text without control
    characters and not blank, URLs and dates in fab's forms, handles as the only keys of a map."""
    if isinstance(node, list):
        return [_tighten(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _tighten(value) for key, value in node.items()}
    if node.get("anyOf") and {"type": "number"} in node["anyOf"] and {"type": "string"} in node["anyOf"]:
        rest = [branch for branch in node["anyOf"] if branch not in ({"type": "number"}, {"type": "string"})]
        node["anyOf"] = [*PLAIN.schema()["anyOf"], *rest]
    elif node.get("type") == "string":
        _tighten_text(node)
    if "patternProperties" in node and len(node["patternProperties"]) == 1:
        node["propertyNames"] = {"pattern": next(iter(node["patternProperties"]))}
        node["additionalProperties"] = False
    return node


def _tighten_text(node: dict) -> None:
    pattern = node.get("pattern")
    if node.get("format") == "date":
        node["pattern"] = _DATE
    elif pattern == "^https?://\\S+$":
        node["pattern"] = _URL
    elif node.get("minLength") == 1 and node.get("maxLength") == 500 and pattern is None:
        node["pattern"] = _NON_BLANK_LINE  # fab strips the text first: blank is empty
    elif node.get("maxLength") == 20_000 and pattern is None:
        node["pattern"] = _LONG_TEXT
    elif node.get("maxLength") == 4000 and pattern is None:  # a signing key (its base64 is checked by fab only)
        node["pattern"] = _NO_CONTROLS
    elif pattern is not None and "[a-z0-9]" not in pattern and "[0-9a-f]" not in pattern and "[A-Z]" not in pattern:
        node["allOf"] = [{"pattern": _NO_CONTROLS}]  # an email, a signing key: their own pattern, and no controls


def _plain(value: Decimal) -> int | float:
    """A limit as JSON writes it (1, 0.01)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _tidy(schema: dict) -> dict:
    """Pydantic's schema made right for validators: list lengths as minItems/maxItems, no empty $defs."""
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "array":
                for old, new in (("minLength", "minItems"), ("maxLength", "maxItems")):
                    if old in node:
                        node[new] = node.pop(old)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    if not schema.get("$defs", True):
        del schema["$defs"]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def settings_schema() -> dict:
    """The JSON Schema of ledger/fabrique.yaml."""
    return _tidy({**Settings.model_json_schema(), "title": "fab settings (ledger/fabrique.yaml)"})


def schema_json(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
