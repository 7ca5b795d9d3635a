"""Documentation that cannot drift: every command is in the README and explains its options."""

from __future__ import annotations

import re

import pytest
import typer.main

from conftest import REPO, Fab
from fabrique_ledger.cli import app


def _commands():
    group = typer.main.get_command(app)
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            for sub in sorted(command.commands):
                yield f"{name} {sub}", command.commands[sub]
        else:
            yield name, command


COMMANDS = list(_commands())


@pytest.mark.parametrize("name, command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_is_in_the_readme_with_examples_in_its_help(name, command):
    readme = (REPO / "README.md").read_text()
    assert f"fab {name}" in readme, f"fab {name} is not documented in the README"
    assert "Example: fab " in (command.help or ""), f"fab {name} --help has no example"
    for param in command.params:
        if param.param_type_name == "option" and not getattr(param, "is_flag", False) and param.name not in ("help",):
            assert "Example:" in (param.help or ""), f"fab {name} {param.opts[0]}: no example in its help"


def test_help_runs_for_every_command(tmp_path):
    fab = Fab(tmp_path)
    for name, _ in COMMANDS:
        result = fab(*name.split(), "--help")
        assert result.code == 0 and "Example" in result.out, name


def test_readme_commands_for_a_fresh_machine():
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    assert blocks[:2] == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && fab check && fab report",
        "python3 -m venv .venv && . .venv/bin/activate && pip install -q -e '.[test]' && pytest",
    ]
    assert blocks[1] in (REPO / ".ci/run").read_text()


def test_french_help_keeps_every_example():
    """In French (FAB_LANG=fr or --lang fr) the help texts say 'Exemple :' where the English say 'Example:'."""
    from babel.messages.pofile import read_po

    with (REPO / "src/fabrique_ledger/locales/fr/LC_MESSAGES/fab.po").open("rb") as po:
        for message in read_po(po):
            for english, french in zip(*(m if isinstance(m, tuple) else (m,) for m in (message.id, message.string))):
                assert english.count("Example:") == french.count("Exemple :"), english
                assert "Example:" not in french, french


def test_the_readme_library_example_runs_as_written(fab, tmp_path, monkeypatch, capsys):
    """The README's "As a library" block, run on a ledger named ``fabrique`` (alice, bruno, chloe)."""
    code = re.search(r"### As a library\n.*?```python\n(.*?)```", (REPO / "README.md").read_text(), re.S).group(1)
    assert fab.root == tmp_path / "fabrique"
    monkeypatch.chdir(tmp_path)
    before = git_log(tmp_path / "fabrique")
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    head = git_log(tmp_path / "fabrique")
    assert head[1:] == before and head[0].endswith(" donate: bruno, 250.00 EUR")
    assert printed == [f"ledger/donations/2026-H1/2026-03-01-bruno.yaml {head[0][:10]}",
                       "250.00 {}",
                       "[\"ledger/donations/2026-H1/2026-03-02-nobody.yaml:1: unknown-reference 'donor' names 'nobody', "
                       "who is not a member\"]"]


def git_log(root) -> list[str]:
    import subprocess

    return subprocess.run(["git", "-C", str(root), "log", "--format=%H %s"], capture_output=True, text=True,
                          check=True).stdout.splitlines()
