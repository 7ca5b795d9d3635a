"""The records' JSON Schemas, for completion and validation in editors (``fab schema``, docs/editors.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..records import Contribution, Record
from ..settings import Settings


def record_schema(kind: type[Record], contribution_kinds: Sequence[str] = ()) -> dict:
    """The JSON Schema of one kind of record file, from its Pydantic model (validation mode):
    what an editor needs to complete keys and flag mistakes, without fab's internal fields."""
    schema = kind.model_json_schema()
    for internal in ("id", "source"):
        schema.get("properties", {}).pop(internal, None)
        if internal in schema.get("required", []):
            schema["required"].remove(internal)
    schema.get("$defs", {}).pop("Source", None)
    if kind is Contribution:  # 'authors: alice' is shorthand for one author with the whole share
        authors = schema["properties"]["authors"]
        schema["properties"]["authors"] = {"title": authors.get("title", "Authors"),
                                           "anyOf": [{"type": "string", "pattern": schema["$defs"]["Author"]["properties"]["member"]["pattern"]},
                                                     {k: v for k, v in authors.items() if k != "title"}]}
        if contribution_kinds:
            schema["properties"]["kind"]["examples"] = list(contribution_kinds)
    schema["title"] = f"fab {kind.record_kind} ({kind.folder})"
    return _tidy(schema)


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
