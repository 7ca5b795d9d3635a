"""Options that belong to the whole run, accepted wherever they are typed (issue 15, item 6).

``--lang`` and ``--no-cache`` are options of ``fab`` itself and ``--ledger`` one of each command, but
people type them on either side of the command name (``fab check --lang fr``, ``fab --ledger ~/f check``).
Before Click parses, ``placed`` moves the root's options in front of the command name and a ``--ledger``
given before it to the end, where the command reads it; everything after ``--`` is left alone.
"""

from __future__ import annotations

ROOT_OPTIONS = {"--lang": True, "--no-cache": False}  # option -> takes a value
COMMAND_OPTIONS = {"--ledger": True}


def _take(args: list[str], i: int, options: dict[str, bool]) -> list[str] | None:
    """The tokens of the option at ``args[i]`` (with its value), or None when it is not one of ``options``."""
    name, has_equal, _value = args[i].partition("=")
    if name not in options:
        return None
    if options[name] and not has_equal and i + 1 < len(args):
        return args[i:i + 2]
    return args[i:i + 1]


def placed(args: list[str]) -> list[str]:
    """``args`` with the run's options where Click reads them (the order of everything else kept)."""
    root: list[str] = []
    ledger: list[str] = []
    rest: list[str] = []
    before_command, i = True, 0
    while i < len(args):
        token = args[i]
        if token == "--":
            rest += args[i:]
            break
        taken = _take(args, i, ROOT_OPTIONS)
        if taken is None and before_command:
            taken = _take(args, i, COMMAND_OPTIONS)
            if taken is not None:
                ledger += taken
                i += len(taken)
                continue
        if taken is not None:
            root += taken
            i += len(taken)
            continue
        if not token.startswith("-"):
            before_command = False
        rest.append(token)
        i += 1
    if ledger and "--" in rest:
        cut = rest.index("--")
        return [*root, *rest[:cut], *ledger, *rest[cut:]]
    return [*root, *rest, *ledger]
