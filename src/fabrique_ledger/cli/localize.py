"""The command tree, and Typer's and Click's own words, in the run's language.

Help texts are English when the command modules are imported (``cli/__init__.py`` imports them under
``i18n.english()``, and command docstrings are English anyway).  ``localize(root)`` words every command's
help, every parameter's help and every help option in the run's language, in place, before anything is
shown: ``FabGroup.main`` calls it before Click parses the command line (the language of ``FAB_LANG`` or of
the locale), and the eager ``--lang`` option calls it again when it chooses another language, before
``--help`` prints (``fab --lang fr check --help``).  The English texts stay on each object, so one process
can run in both languages (the tests do).  Click processes eager options in the order they are given, so
``fab --help --lang fr`` prints English; ``--lang`` after a command name is issue 15's (options anywhere).

Typer's and Click's own words (Typer 0.29 vendors Click without gettext):

- ``typer.rich_utils`` prints panel titles, ``[default: …]``, ``Try … for help.`` from module constants that
  Typer computes when it is imported (with gettext's default domain, which fab does not use): ``speak_typer``
  sets them again from fab's catalogue (``TYPER_WORDS``) just before Typer prints help or an error (Typer
  imports rich_utils, 0.3 s, only then: so does fab).
- Click writes ``Usage:`` through the formatter of each command's context: ``FabContext`` has one that
  says it in the run's language.
- Click's usage errors are English f-strings: ``FabGroup`` catches every error of parsing and invoking on
  its way to Typer's printer and words it again (``reword``: the message is matched against the English
  templates of ``CLICK_ERRORS``, and the French template is filled with the same values).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import typer
from typer.core import TyperGroup

from ..i18n import N_, _, language
from ..problems import FabError

TYPER_WORDS = {  # typer.rich_utils's constants
    "DEPRECATED_STRING": N_("(deprecated) "),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}
N_("Show this message and exit.")  # the help of Click's --help
USAGE = N_("Usage: ")  # the start of Click's usage line
METAVARS = {"options_metavar": N_("[OPTIONS]"), "subcommand_metavar": N_("COMMAND [ARGS]...")}

# Click's and Typer's error messages, as they read in English once formatted (``{name}`` stands for any
# text); the first that matches the whole message is used.  A ``{message}`` is itself worded again.
CLICK_ERRORS = (
    N_("{message} (Possible options: {options})"),
    N_("No such option: {name}"),
    N_("No such command {name}."),
    N_("Missing command."),
    N_("{message} Choose from:\n\t{choices}"),
    N_("Missing option {name}."),
    N_("Missing argument {name}."),
    N_("Missing parameter {name}."),
    N_("Invalid value for {name}: {message}"),
    N_("Invalid value: {message}"),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {count} arguments."),
    N_("Option {name} does not take a value."),
    N_("Argument {name} takes {count} values."),
    N_("Got unexpected extra argument(s) ({arguments})"),
    N_("Value {value} is not a valid {type}."),
    N_("{value} is not one of {choices}."),
    N_("Value must be an iterable."),
    N_("Path {path} does not exist."),
    N_("File {path} does not exist."),
    N_("Directory {path} does not exist."),
    N_("Could not open file {name}: {message}"),
)


@cache
def _pattern(template: str) -> re.Pattern[str]:
    """``'No such option: {name}'`` -> a regex that matches the formatted English text, one group a field."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)),
                      re.S)


def reworded(text: str) -> str:
    """An English message of Click or Typer in the run's language (unchanged when none of ``CLICK_ERRORS``
    matches it, or when the run is in English)."""
    if language() == "en":
        return text
    for template in CLICK_ERRORS:
        found = _pattern(template).fullmatch(text)
        if found:
            values = {name: reworded(value) if name == "message" else value for name, value in found.groupdict().items()}
            return _(template).format(**values)
    return text


def speak_typer() -> None:
    """typer.rich_utils's words in the run's language: called just before Typer prints help or an error."""
    from typer import rich_utils

    for name, english in TYPER_WORDS.items():
        setattr(rich_utils, name, _(english))


def reword(error: Exception) -> None:
    """Have Typer print ``error`` (a Click exception on its way to Typer's printer) in the run's language."""
    if not isinstance(error, typer.TyperException) or type(error).__name__ == "NoArgsIsHelpError":
        return  # the help that no arguments print is already worded
    english = error.format_message()
    worded = reworded(english.replace("Value error, ", ""))  # pydantic's prefix on Typer's own checks
    if worded != english:
        error.format_message = lambda: worded  # type: ignore[method-assign]


# Click declares formatter_class a ClassVar, which mypy does not take as a base class
class FabFormatter(typer.Context.formatter_class):  # type: ignore[misc,valid-type]
    """Click's help formatter, with ``Usage:`` in the run's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _(USAGE) if prefix is None else prefix)


class FabContext(typer.Context):
    formatter_class = FabFormatter

    def get_help(self) -> str:
        speak_typer()
        return super().get_help()


class FabGroup(TyperGroup):
    """fab's root command: the tree in the run's language before parsing, and Click's errors worded again."""

    context_class = FabContext  # its own, made before an eager --lang speaks

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from .helppages import polish

        with_epilog(self)
        localize(self)
        polish(self)
        return super().main(*args, **kwargs)

    def list_commands(self, ctx: Any) -> list[str]:
        from .helppages import ordered

        return ordered(super().list_commands(ctx))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from .placing import placed

        return super().parse_args(ctx, placed(args))

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except (typer.TyperException, typer.Abort, EOFError) as error:
            speak_typer()
            reword(error)
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.TyperException, typer.Abort, EOFError) as error:
            speak_typer()
            reword(error)
            raise
        except FabError as error:  # what a command did not say itself: said the one way, never a traceback
            from .common import fail

            fail(error.message, error.hint or None, code=2 if error.usage else 1)


def with_epilog(command: Any) -> None:
    """Every help page ends with the same epilogue (cli/options.EPILOG), in English until localized."""
    from .options import EPILOG

    if getattr(command, "epilog", None) is None:
        command.epilog = EPILOG
    for sub in getattr(command, "commands", {}).values():
        with_epilog(sub)


def _say(thing: object, attribute: str) -> None:
    """``thing.attribute`` in the run's language, from the English text kept on ``thing`` the first time."""
    kept = f"_english_{attribute}"
    if not hasattr(thing, kept):
        setattr(thing, kept, getattr(thing, attribute))
    text = getattr(thing, kept)
    if text:
        setattr(thing, attribute, _(text))


def localize(root: Any) -> None:
    """Every help text of the command tree under ``root`` in the run's language; nothing to do when the tree
    already speaks it (an English tree is as it was imported)."""
    lang = language()
    if getattr(root, "_fab_language", "en") == lang:
        return
    root._fab_language = lang
    _localize_command(root)
    from .helppages import polish

    polish(root)  # the marks and re-flowed paragraphs of the help pages, in the new language


def _localize_command(command: Any) -> None:
    command.context_class = FabContext
    _say(command, "help")
    _say(command, "epilog")
    for attribute, english in METAVARS.items():
        if getattr(command, attribute, None) == english or hasattr(command, f"_english_{attribute}"):
            _say(command, attribute)
    for parameter in command.params:
        _say(parameter, "help")
    help_option = command.get_help_option(FabContext(command))
    if help_option is not None:
        _say(help_option, "help")
    for sub in getattr(command, "commands", {}).values():
        _localize_command(sub)
