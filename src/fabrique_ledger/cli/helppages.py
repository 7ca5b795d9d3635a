"""Help pages that read well (issue 15, item 8): placeholders in words, required options marked,
paragraphs re-flowed, and the commands in panels in the order of a community's year.

``polish(root)`` runs before every parse (``FabGroup.main``, after ``localize``); it is idempotent, so a
process that runs many commands (the tests) polishes the same tree again at no harm.

- Placeholders: Typer writes a value's Python type (``<str>``, ``<list[str]>``, ``<bool>``); every option
  gets a word instead (``HANDLE``, ``AMOUNT``, ``DATE``...), a flag none, and every argument its name in
  capitals, the same way everywhere (``HANDLE``, not ``[handle]``, ``[[ID]]`` or ``{directory}``).
- Required: options the command asks for on a terminal (and refuses without one) are not required for
  Click, so Typer does not say so; ``REQUIRED`` names them and their help ends with ``[required]``.
- Paragraphs: a docstring's line breaks inside a sentence are joined, so rich wraps the text to the
  terminal; an ``Example:`` line and a line that starts a sentence stay on their own.
"""

from __future__ import annotations

import re
from typing import Any

from ..i18n import N_, _

# Option -> the word of its value (the option's name in capitals when it is not here).
PLACEHOLDERS = {
    "--by": "HANDLE", "--member": "HANDLE", "--for": "HANDLE", "--to": "HANDLE", "--amount": "AMOUNT",
    "--mission-revenue": "AMOUNT", "--hours": "HOURS", "--date": "DATE", "--since": "DATE", "--joined": "DATE",
    "--deadline": "DATE", "--execution-date": "DATE", "--period": "PERIOD", "--ledger": "FOLDER", "--output": "FILE",
    "--payees": "FILE", "--at": "REVISION", "--author": "'NAME <EMAIL>'", "--param": "KEY=VALUE", "--score": "1-5",
    "--justification": "ID", "--id": "ID", "--mark-paid": "REFERENCE", "--signing-key": "KEY", "--wiki-url": "URL",
    "--url": "URL", "--evidence": "URL", "--lang": "fr|en", "--branch": "BRANCH", "--debtor-iban": "IBAN",
    "--debtor-bic": "BIC", "--debtor-name": "NAME", "--currency": "CODE", "--wiki-user": "USER",
}
ARGUMENTS = {"alert_id": "ID", "mission_id": "ID", "points": "HANDLE=POINTS"}

# Command path -> the parameters it asks for when they are missing (see common.ask).
REQUIRED = {
    "member add": ("handle", "name"), "sign": ("handle",), "contribute": ("by", "kind", "title", "hours"),
    "donate": ("by", "amount"), "use": ("by", "resource"), "review": ("target", "by"), "request": ("by", "amount"),
    "allocate": ("points", "by"), "close": ("period",), "payouts": ("period",),
    "mission post": ("title", "client", "deadline", "by"), "mission show": ("mission_id",),
    "mission interest": ("mission_id", "by"), "mission assign": ("mission_id", "to"),
    "template render": ("name", "for_"),
}
REQUIRED_MARK = N_("[required]")

# The panels of `fab --help`, in the order of a community's year, each with its commands in order.
PANELS = (
    (N_("Setting up"), ("init", "member", "sign", "keys")),
    (N_("Recording"), ("contribute", "donate", "use", "alert", "import")),
    (N_("Reviewing"), ("check", "review", "report", "close")),
    (N_("Co-remuneration"), ("request", "allocate", "split")),
    (N_("Audit"), ("log", "diff", "verify", "guard", "schema")),
    (N_("Services"), ("mission", "template", "contributors", "wiki")),
    (N_("Payouts"), ("payouts",)),
)
ORDER = [name for _panel, names in PANELS for name in names]


def reflowed(text: str | None) -> str | None:
    """``text`` with the line breaks inside its sentences joined (paragraphs and Example lines kept)."""
    if not text:
        return text
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines: list[str] = []
        for line in paragraph.split("\n"):
            line = line.strip()
            starts = re.match(r"(Example|Exemple)\b", line) or (
                lines and lines[-1].endswith((".", ":", "!", "?")) and line[:1].isupper())
            if lines and not starts:
                lines[-1] += " " + line
            else:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _placeholder(param: Any) -> str:
    if type(param).__name__ == "TyperArgument":
        return ARGUMENTS.get(param.name, param.name.upper())
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    if getattr(param, "type_descriptor", None) is not None and param.type_descriptor.is_choice:
        return "|".join(str(c) for c in param.type_descriptor.choices or ())
    long = max(param.opts, key=len)
    return PLACEHOLDERS.get(long, long.lstrip("-").upper().replace("-", "_"))


def _no_type(ctx: Any) -> None:
    """An argument's type column: nothing (its name already says what to write)."""
    return None


def _polish_params(command: Any, path: str) -> None:
    required = REQUIRED.get(path, ())
    mark = "\\" + _(REQUIRED_MARK)  # escaped: Typer reads help texts as rich markup, where [x] is a style
    for param in command.params:
        if not hasattr(param, "_fab_placeholder"):
            param.metavar = param._fab_placeholder = _placeholder(param)
            if type(param).__name__ == "TyperArgument":
                param.display_type_rich = _no_type
                shown = param.metavar if param.required or param.name in required else f"[{param.metavar}]"
                param._usage_display_name = lambda shown=shown: shown  # one way for every argument
        if param.name in required and getattr(param, "help", None) and not param.help.endswith(mark):
            if not hasattr(param, "_english_help"):  # what localize translates, without the mark
                param._english_help = param.help
            param.help = f"{param.help}  {mark}"


def polish(command: Any, path: str = "") -> None:
    """Placeholders, required marks and re-flowed help on ``command`` and every command under it."""
    if not hasattr(command, "_english_help"):  # what localize translates: the docstring as it is
        command._english_help = command.help
    command.help = reflowed(command.help)
    _polish_params(command, path)
    help_option = command.get_help_option(command.context_class(command))
    if help_option is not None:
        help_option.metavar = ""
    for name, sub in getattr(command, "commands", {}).items():
        if not path:
            sub.rich_help_panel = next((_(panel) for panel, names in PANELS if name in names), None)
        polish(sub, f"{path} {name}".strip())


def ordered(names: list[str]) -> list[str]:
    """The root's command names in the order of the panels (any other after them, as they came)."""
    return sorted(names, key=lambda name: ORDER.index(name) if name in ORDER else len(ORDER))
