"""Per-item validation against the official OCF JSON schemas (vendored, unmodified, in ``schema/``).

Each item is checked against the schema owning its ``object_type`` (the coalition's own method,
``utils/validate.mjs``), not against ``TransactionsFile``: that file schema's ``oneOf`` lags the
object types (OCF issue #543), so whole-file validation rejects the coalition's own samples.
Two schema sets are shipped: OCF 1.2.0 (the latest tag) and main (adds
``TX_EQUITY_COMPENSATION_REPRICING`` and ``TX_STOCK_CONSOLIDATION``). A package's manifest
``ocf_version`` picks one; a lone transactions file (no manifest) is accepted by either.

Validators are compiled with ``fastjsonschema`` (BSD, pure Python) on first use, with every
``$ref`` resolved offline from the vendored files.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

SCHEMA_DIR = Path(__file__).parent / "schema"
V1_2_0 = "v1.2.0"
MAIN = "main"
VERSIONS = (V1_2_0, MAIN)


def version_folder(ocf_version: str | None) -> str:
    """The schema set for a manifest's ``ocf_version``: "1.2.0" is the tag, anything newer is main."""
    return V1_2_0 if ocf_version == "1.2.0" else MAIN


@lru_cache(maxsize=len(VERSIONS))
def _store(version: str) -> tuple[dict[str, dict], dict[str, str], dict[str, str]]:
    """({$id: schema}, {object_type: $id}, {file_type: $id}) of one vendored schema set."""
    by_id: dict[str, dict] = {}
    objects: dict[str, str] = {}
    aliases: dict[str, str] = {}
    files: dict[str, str] = {}
    for path in sorted((SCHEMA_DIR / version).rglob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        by_id[schema["$id"]] = schema
        props = schema.get("properties", {})
        ot = props.get("object_type", {})
        if "const" in ot:
            objects[ot["const"]] = schema["$id"]
        for name in ot.get("enum", ()):      # EquityCompensation* also accept the old PlanSecurity* names
            aliases.setdefault(name, schema["$id"])
        ft = props.get("file_type", {})
        if "const" in ft and path.parent.name == "files":
            files[ft["const"]] = schema["$id"]
    for name, sid in aliases.items():
        objects.setdefault(name, sid)
    return by_id, objects, files


def object_types(version: str) -> frozenset[str]:
    return frozenset(_store(version)[1])


@lru_cache(maxsize=512)
def _validator(version: str, schema_id: str):
    import fastjsonschema

    by_id = _store(version)[0]

    def resolve(uri: str) -> dict:
        try:
            return by_id[uri]
        except KeyError:
            raise fastjsonschema.JsonSchemaDefinitionException(f"unknown schema {uri}") from None

    return fastjsonschema.compile(by_id[schema_id], handlers={"https": resolve, "http": resolve})


def item_error(item: Any, version: str) -> str | None:
    """Why ``item`` is not a valid OCF object of its ``object_type`` under ``version``, else None.

    The text names the field and the problem (``quantity must match pattern …``), never the
    validator's internals.
    """
    if not isinstance(item, Mapping):
        return "is not a JSON object"
    ot = item.get("object_type")
    if not isinstance(ot, str):
        return "object_type is missing"
    sid = _store(version)[1].get(ot)
    if sid is None:
        return f"object_type {ot!r} is not an OCF object type (OCF {version.lstrip('v')})"
    return _run(_validator(version, sid), item)


def file_error(doc: Any, file_type: str, version: str) -> str | None:
    """The file's own fields (``file_type`` and the manifest's), items left to :func:`item_error`."""
    sid = _store(version)[2].get(file_type)
    if sid is None:
        return f"file_type {file_type!r} is not an OCF file type"
    if file_type != "OCF_MANIFEST_FILE":
        return None                     # an items file is only {file_type, items}: items are checked one by one
    return _run(_validator(version, sid), doc)


def _run(validate, value: Any) -> str | None:
    import fastjsonschema

    try:
        validate(value)
    except fastjsonschema.JsonSchemaValueException as exc:
        return _describe(exc)
    return None


def _describe(exc) -> str:
    """One line: the field's path, what is wrong, and the value when it is short."""
    path = [str(p) for p in (exc.path or [])][1:]         # path[0] is "data"
    rule, definition, value = exc.rule, exc.definition or {}, exc.value
    if rule == "required" and isinstance(value, Mapping):
        missing = [k for k in definition.get("required", ()) if k not in value]
        return f"{'.'.join(path + missing[:1])} is required"
    if rule == "additionalProperties" and isinstance(value, Mapping):
        known = set(definition.get("properties", {}))
        extra = sorted(k for k in value if k not in known)
        field = ".".join(path + extra[:1])
        return f"{field} is not a property of this object (additionalProperties: false)"
    field = ".".join(path) or "(item)"
    message = exc.message
    if message.startswith(exc.name):
        message = message[len(exc.name):].strip()
    shown = json.dumps(value) if not isinstance(value, (dict, list)) else ""
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{field} {message}" + (f" (value {shown})" if shown else "")
