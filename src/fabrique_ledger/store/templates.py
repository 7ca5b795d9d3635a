"""Reading the response templates: ``templates/*.md`` next to ``charter.md``.

Only regular Markdown files directly in the folder are templates; symbolic links are not followed
(a link could point anywhere on the machine), and a file that is not UTF-8 text is refused clearly.
"""

from __future__ import annotations

from pathlib import Path

from ..i18n import _
from ..problems import FabError
from .safe import Refused, read_inside

TEMPLATES_DIR = "templates"
MAX_BYTES = 1024 * 1024


class TemplateNotFound(FabError):
    """No such template, or no templates folder; the message says what exists and what to do."""


def folder(root: Path) -> Path:
    return root / TEMPLATES_DIR


def names(root: Path) -> list[str]:
    """The templates' names (file stems), sorted; an error when there is no templates/ folder."""
    here = folder(root)
    if not here.is_dir() or here.is_symlink():
        raise TemplateNotFound(
            _("there is no {folder}/ folder next to charter.md (looked in {path}); create it and put Markdown "
              "templates in it (fab init creates one with the starter templates)").format(folder=TEMPLATES_DIR, path=here))
    return sorted(p.stem for p in here.iterdir() if p.suffix == ".md" and p.is_file() and not p.is_symlink())


def read(root: Path, name: str) -> tuple[str, str]:
    """(path relative to the root, text) of the template ``name`` (``offre-technique`` or ``offre-technique.md``)."""
    stem = name.removesuffix(".md")
    known = names(root)
    if stem not in known:
        listed = ", ".join(known) or _("none")
        raise TemplateNotFound(_("there is no template '{name}' in {folder}/ (templates: {listed})").format(
            name=name, folder=TEMPLATES_DIR, listed=listed))
    rel = f"{TEMPLATES_DIR}/{stem}.md"
    raw = read_inside(root, rel, MAX_BYTES)  # looked at before it is opened, never read past the limit
    if raw is None:
        raise TemplateNotFound(_("there is no template '{name}' in {folder}/ (templates: {listed})").format(
            name=name, folder=TEMPLATES_DIR, listed=", ".join(known)))
    if getattr(raw, "code", None) == "file-too-large":
        raise TemplateNotFound(_("{rel} is larger than 1 MiB: it is not a response template").format(rel=rel))
    if isinstance(raw, Refused):
        raise TemplateNotFound(_("{rel}: {message}").format(rel=rel, message=raw.message))
    try:
        return rel, raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TemplateNotFound(_("{rel} is not UTF-8 text (byte {byte} at offset {offset}); save it as UTF-8").format(
            rel=rel, byte=f"{raw[error.start]:#04x}", offset=error.start)) from None


def read_all(root: Path) -> list[tuple[str, str, str]]:
    """(name, path, text) of every template, sorted by name."""
    return [(name, *read(root, name)) for name in names(root)]
