"""The JSON Schemas in knowledge/schema, applied with line numbers from the YAML."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

SCHEMA_FILES = (
    "defs",
    "gemeente",
    "source",
    "services",
    "topic",
    "glossary",
    "texts",
    "crisis",
    "crisis_bank",
    "huisstijl",
    "simple",
)


@cache
def _validators(schema_dir: Path) -> dict[str, Draft202012Validator]:
    schemas = {}
    for name in SCHEMA_FILES:
        path = schema_dir / f"{name}.schema.json"
        schemas[name] = json.loads(path.read_text(encoding="utf-8"))
    registry = Registry().with_resources(
        (f"{name}.schema.json", Resource.from_contents(schema)) for name, schema in schemas.items()
    )
    return {name: Draft202012Validator(schema, registry=registry) for name, schema in schemas.items() if name != "defs"}


def schema_errors(schema_dir: Path, kind: str, data: object) -> list[tuple[tuple[str | int, ...], str]]:
    """(path, message) for every schema violation of `data`, deepest first within a branch."""
    validator = _validators(schema_dir.resolve())[kind]
    found = []
    for error in validator.iter_errors(data):
        leaf = error
        if error.context:  # oneOf/anyOf: report the most specific branch error
            leaf = max(error.context, key=lambda e: len(e.absolute_path))
        found.append((tuple(leaf.absolute_path), _describe(leaf)))
    return sorted(found, key=lambda item: [str(p) for p in item[0]])


def _describe(error: object) -> str:
    validator = getattr(error, "validator", "")
    path = ".".join(str(p) for p in getattr(error, "absolute_path", ())) or "(bestand)"
    if validator == "required":
        missing = str(getattr(error, "message", "")).split("'")[1]
        return f"veld '{missing}' ontbreekt in {path}"
    if validator == "additionalProperties":
        return f"onbekend veld in {path}: {getattr(error, 'message', '')}"
    return f"{path}: {getattr(error, 'message', '')}"
