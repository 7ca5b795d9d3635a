"""Pydantic's errors in the words of a YAML file (with the records: what a bad value of a record means
for the person who wrote it), at the line and column of the offending value.  The positions come from
the parser (``store.yamlio.Parsed``): anything with ``keys``, ``values`` and ``where``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, Protocol, get_args

from pydantic import BaseModel, ValidationError

from .i18n import M_, N_, Joined, Text, said
from .problems import Problem
from .records import ID_PATTERN


class Positions(Protocol):
    """Where each key and value of a parsed file stands (``store.yamlio.Parsed``); read-only here, so that
    a parser's dicts fit."""

    @property
    def keys(self) -> Mapping[tuple, tuple[int, int]]: ...
    @property
    def values(self) -> Mapping[tuple, tuple[int, int]]: ...

    def where(self, loc: tuple) -> tuple[int, int]: ...


def validation_problems(error: ValidationError, parsed: Positions, rel: str, model: type[BaseModel],
                        settings: bool = False) -> list[Problem]:
    """Pydantic's errors, worded for people, at the line and column of the offending value."""
    problems = []
    errors = error.errors()
    for item in errors:
        loc = tuple(item["loc"])
        if item["type"] == "too_short" and any(e is not item and tuple(e["loc"])[: len(loc)] == loc for e in errors):
            continue  # a list is short only because some items are wrong: those are reported
        named_first = False
        message: Text
        hint: Text
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
            code, message, hint = "missing-key", M_("missing key '{name}'", name=name), M_("add a line '{key}: ...'", key=loc[-1])
        elif item["type"] == "extra_forbidden":
            code, hint = "unknown-key", _did_you_mean(str(loc[-1]), _keys_at(model, loc[:-1]))
            message = M_("unknown key '{name}'", name=name)
        else:
            code = "bad-value"
            message, hint = _wording(item)
            message = M_("'{name}': {message}", name=name, message=message) if loc and not named_first else message
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


def _example(loc: tuple) -> Text:
    keys = [str(part) for part in loc if isinstance(part, str)]
    return M_("write it like  {example}", example=M_(EXAMPLES[keys[-1]])) if keys and keys[-1] in EXAMPLES else ""


def _named_key(loc: tuple, message: str, parsed: Positions) -> tuple:
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


def _wording(item: Any) -> tuple[Text, Text]:
    """Pydantic's message for one bad value, said in the words of a YAML file, and a hint ('' = the default)."""
    kind, ctx, value = item["type"], item.get("ctx") or {}, item.get("input")
    if kind == "string_type":
        plain = str(value).lower() if isinstance(value, (int, Decimal)) else ""
        quoted = M_("put it in quotes if it is meant as text: '{plain}'", plain=plain) if plain else ""
        return M_('expected text, not {shown}', shown=_shown(value)), quoted
    if kind in ("tuple_type", "list_type"):
        return M_('expected a list, not {shown}', shown=_shown(value)), M_("write one '- item' per line under the key, or [a, b]")
    if kind == "dict_type":
        return M_("expected 'key: value' lines, not {shown}", shown=_shown(value)), M_("indent one 'key: value' per line under the key")
    if kind == "bool_type":
        return M_('expected true or false, not {shown}', shown=_shown(value)), ""
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return M_('expected a whole number, not {shown}', shown=_shown(value)), ""
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        close = difflib.get_close_matches(str(value), choices, n=1)
        return M_('expected {get}, not {shown}', get=ctx.get('expected'), shown=_shown(value)), M_("did you mean '{close}'?", close=close[0]) if close else ""
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in _PATTERNS:
        return Joined([_shown(value), M_(_PATTERNS[ctx['pattern']])]), ""
    if kind == "control_character":
        return control_wording(str(ctx.get("code", "?")), ctx.get("position", "?"))
    if kind == "string_too_short":
        return M_("must not be empty"), ""
    if kind == "string_too_long":
        return M_('is longer than {get} characters', get=ctx.get('max_length')), M_("shorten it, or link to a page that says more")
    if kind == "too_short":
        return M_('needs at least {get} item(s), it has {get2}', get=ctx.get('min_length'), get2=ctx.get('actual_length')), ""
    if kind == "too_long":
        return M_('has more than {get} items', get=ctx.get('max_length')), ""
    bounds = {"greater_than_equal": M_("at least"), "greater_than": M_("more than"), "less_than_equal": M_("at most"), "less_than": M_("less than")}
    if kind in bounds:
        return M_('must be {bounds} {next}, not {value}', bounds=bounds[kind], next=next(iter(ctx.values()), '?'), value=value), ""
    if kind == "value_error" and isinstance(ctx.get("error"), ValueError):
        return said(ctx["error"]), ""  # the validator's Message, worded when shown (its text otherwise)
    return item["msg"].removeprefix("Value error, "), ""


def control_wording(code: str, position: Any) -> tuple[Text, Text]:
    """A character no text may hold (controls.CONTROLS), by its code point (``001B``), named with where it
    stands, and how to do without it."""
    if code in ("000A", "0009"):
        what = M_(N_("a line break (U+{code})") if code == "000A" else N_("a tab (U+{code})"), code=code)
        return (M_("holds {what} at character {position}", what=what, position=position),
                M_("this text is one line: write it without line breaks or tabs"))
    bidi = code.startswith("202") or code.startswith("206")
    what = M_(N_("a bidirectional control character (U+{code})") if bidi else N_("a control character (U+{code})"), code=code)
    return (M_("holds {what} at character {position}", what=what, position=position),
            M_("remove it: such characters would act on the screens and pages where other members read the ledger "
              "(moving the cursor, erasing or reordering text)"))


def _shown(value: Any) -> Text:
    """A value as the file wrote it, or what kind of thing it is."""
    if isinstance(value, bool):
        return M_("true/false")
    if value is None:
        return M_("an empty value")
    if isinstance(value, (int, Decimal)):
        return M_('the number {value}', value=value)
    if isinstance(value, (list, tuple)):
        return M_("a list")
    if isinstance(value, dict):
        return M_("'key: value' lines")
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


def _did_you_mean(key: str, allowed: list[str]) -> Text:
    close = difflib.get_close_matches(key, allowed, n=1)
    known = M_("known keys: {keys}", keys=", ".join(allowed)) if allowed else M_("remove it")
    return M_("did you mean '{close}'? ({known})", close=close[0], known=known) if close else known
