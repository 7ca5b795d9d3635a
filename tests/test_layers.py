"""The layers hold (issue 14): the core imports no terminal, YAML, git or renderer code, nothing imports
in a circle, and the core imports lazily only what start-up time needs.  Read from the source and from a
fresh interpreter, so that a change that breaks a layer fails here, naming the module and the import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "fabrique_ledger"
OUTER = ("cli", "store", "render", "locales", "api")  # the layers around the core; api and __init__ are the façade
FORBIDDEN = ("ruamel", "git", "rich", "typer", "click", "yaml",
             "fabrique_ledger.store", "fabrique_ledger.render", "fabrique_ledger.cli")
# What the core may import inside a function, and why (start-up time: `fab --help` must not pay for them).
LAZY_IN_CORE = {
    "babel": "Babel loads its locale data on import; only formatting needs it",
    "schwifty": "IBAN validation takes ~0.2 s to import; only text that looks like an IBAN needs it",
}


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
CORE = sorted(m for m in MODULES if m != "fabrique_ledger" and m != "fabrique_ledger.__main__"
              and m.split(".")[1] not in OUTER)


def _forbidden_loaded(*modules: str) -> list[str]:
    """The forbidden modules loaded by importing ``modules`` in a fresh interpreter."""
    code = "import importlib, sys\nfor name in sys.argv[1:]: importlib.import_module(name)\nprint('\\n'.join(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code, *modules], capture_output=True, text=True, check=True).stdout.split()
    return sorted(m for m in loaded if m.split(".")[0] in FORBIDDEN or m.startswith(FORBIDDEN[-3:]))


def test_the_core_loads_no_terminal_yaml_git_or_renderer_code():
    assert len(CORE) > 25 and "fabrique_ledger.drafts" in CORE and "fabrique_ledger.split.engine" in CORE
    if _forbidden_loaded(*CORE):  # name the culprits: each core module in its own interpreter
        culprits = {name: found for name in CORE if (found := _forbidden_loaded(name))}
        pytest.fail(f"core modules load outer layers: {culprits}")
    assert _forbidden_loaded("fabrique_ledger.api")  # the façade does load the store: the probe sees what it must


def _imports(path: Path, name: str) -> list[tuple[str, bool, int]]:
    """(imported module, inside a function, line) for each import of the file, TYPE_CHECKING blocks aside."""
    tree = ast.parse(path.read_text("utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    checking = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                for n in ast.walk(node)}
    inside = {id(n) for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
              for n in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in checking or not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            module = (f"{base}.{node.module}" if node.module else base) if node.level else node.module or ""
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in MODULES else module for a in node.names]
        found += [(target, id(node) in inside, node.lineno) for target in targets]
    return found


def test_no_module_imports_in_a_circle_not_even_lazily():
    graph = {name: {t for t, _lazy, _line in _imports(path, name) if t in MODULES and t != name}
             for name, path in MODULES.items()}
    cycles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_core_imports_lazily_only_what_start_up_time_needs():
    lazy = [f"{MODULES[name].relative_to(PACKAGE.parent)}:{line}: {target}"
            for name in CORE for target, inside, line in _imports(MODULES[name], name)
            if inside and target.split(".")[0] not in LAZY_IN_CORE]
    assert lazy == []


def test_no_module_is_a_god_module():
    """Modules named after what they hold stay small enough to read whole (issue 14: no module over ~400 lines)."""
    long = {name: lines for name, path in MODULES.items() if (lines := len(path.read_text("utf-8").splitlines())) > 420}
    assert long == {}
