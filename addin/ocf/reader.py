"""Read an OCF package: a folder holding a manifest, a ``.zip`` of one, or a single transactions file.

Only the standard library (``json``, ``zipfile``, ``hashlib``) reads; every item is validated
against the official schema of its ``object_type`` (:mod:`addin.ocf.validate`). A malformed item is
refused in one line naming the file, the item id and the field; a manifest md5 that does not
match its file is a warning (the coalition's own samples do not match theirs).
"""
from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from . import validate

MANIFEST = "OCF_MANIFEST_FILE"
# Manifest key -> the file_type its files must have (OCFManifestFile.schema.json).
FILE_LISTS = {
    "stock_plans_files": "OCF_STOCK_PLANS_FILE",
    "stock_legend_templates_files": "OCF_STOCK_LEGEND_TEMPLATES_FILE",
    "stock_classes_files": "OCF_STOCK_CLASSES_FILE",
    "vesting_terms_files": "OCF_VESTING_TERMS_FILE",
    "valuations_files": "OCF_VALUATIONS_FILE",
    "transactions_files": "OCF_TRANSACTIONS_FILE",
    "stakeholders_files": "OCF_STAKEHOLDERS_FILE",
    "financings_files": "OCF_FINANCINGS_FILE",
    "documents_files": "OCF_DOCUMENTS_FILE",
}


class OcfError(ValueError):
    """Bad OCF input: the text names the file, the item and the field (one line each)."""


@dataclass
class Item:
    """One OCF object and where it came from (its file and place, for messages and same-day order)."""
    data: dict
    file: str
    index: int

    @property
    def id(self) -> str:
        return str(self.data.get("id", f"#{self.index + 1}"))

    @property
    def type(self) -> str:
        return str(self.data.get("object_type", ""))

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


@dataclass
class Package:
    source: str
    ocf_version: str | None
    schema_version: str | None          # "v1.2.0" / "main"; None: a lone file, either accepted
    issuer: dict = field(default_factory=dict)
    as_of: str | None = None            # the manifest's as_of: the date the cap table was exported
    stakeholders: dict[str, Item] = field(default_factory=dict)
    stock_classes: dict[str, Item] = field(default_factory=dict)
    stock_plans: dict[str, Item] = field(default_factory=dict)
    valuations: list[Item] = field(default_factory=list)
    financings: list[Item] = field(default_factory=list)
    transactions: list[Item] = field(default_factory=list)
    other: list[Item] = field(default_factory=list)      # legends, vesting terms, documents
    warnings: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)      # one line per malformed item (skipped)


class _Source:
    """Files of a folder or a zip, by the manifest's relative paths."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path) if path.suffix.lower() == ".zip" else None

    def names(self) -> list[str]:
        if self.zip is not None:
            return sorted(n for n in self.zip.namelist() if n.lower().endswith(".json"))
        return sorted(str(p.relative_to(self.path).as_posix()) for p in self.path.rglob("*.json"))

    def read(self, name: str) -> bytes:
        if self.zip is not None:
            return self.zip.read(name)
        return (self.path / name).read_bytes()

    def resolve(self, base: str, rel: str) -> str:
        parts = []
        for p in (PurePosixPath(base).parent / rel).parts:
            if p == "..":
                if parts:
                    parts.pop()
            elif p not in (".", ""):
                parts.append(p)
        return "/".join(parts)


def _load_json(raw: bytes, name: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise OcfError(f"{name}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise OcfError(f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None


def read_package(path: Path | str) -> Package:
    """Load and validate an OCF package; raises :class:`OcfError` (one line) for an unreadable one."""
    path = Path(path)
    if not path.exists():
        raise OcfError(f"{path}: no such file or folder")
    try:
        if path.is_dir() or path.suffix.lower() == ".zip":
            return _read_manifest_package(_Source(path), str(path))
        return _read_single(path)
    except zipfile.BadZipFile:
        raise OcfError(f"{path}: not a readable .zip file") from None
    except OSError as exc:
        raise OcfError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _read_single(path: Path) -> Package:
    doc = _load_json(path.read_bytes(), path.name)
    if isinstance(doc, dict) and doc.get("file_type") == MANIFEST:
        return _read_manifest_package(_Source(path.parent), str(path.parent), manifest=path.name)
    pkg = Package(str(path), None, None)
    _add_file(pkg, doc, path.name, None)
    return pkg


def _read_manifest_package(src: _Source, label: str, manifest: str | None = None) -> Package:
    if manifest is None:
        found = []
        for name in src.names():
            if "manifest" not in name.lower():
                continue
            doc = _load_json(src.read(name), name)
            if isinstance(doc, dict) and doc.get("file_type") == MANIFEST:
                found.append((name, doc))
        if not found:
            raise OcfError(f"{label}: no OCF manifest (a JSON file with file_type {MANIFEST}) found")
        if len(found) > 1:
            raise OcfError(f"{label}: several OCF manifests ({', '.join(n for n, _ in found)}); give one of them")
        manifest, doc = found[0]
    else:
        doc = _load_json(src.read(manifest), manifest)
    version = validate.version_folder(doc.get("ocf_version"))
    problem = validate.file_error(doc, MANIFEST, version)
    pkg = Package(label, doc.get("ocf_version"), version, issuer=doc.get("issuer") or {}, as_of=doc.get("as_of"))
    if problem:
        pkg.warnings.append(f"{manifest}: {problem} (the manifest is read anyway; its items are checked one by one)")
    for key, file_type in FILE_LISTS.items():
        for entry in doc.get(key) or ():
            rel = entry.get("filepath", "") if isinstance(entry, dict) else ""
            name = src.resolve(manifest, rel)
            try:
                raw = src.read(name)
            except (KeyError, FileNotFoundError):
                raise OcfError(f"{manifest}: {key} lists {rel!r}, which is not in the package") from None
            md5 = entry.get("md5")
            if md5 and hashlib.md5(raw).hexdigest() != md5.lower():
                pkg.warnings.append(f"{name}: md5 {hashlib.md5(raw).hexdigest()} does not match the manifest's {md5} "
                                    f"(read anyway)")
            sub = _load_json(raw, name)
            if not isinstance(sub, dict) or sub.get("file_type") != file_type:
                got = sub.get("file_type") if isinstance(sub, dict) else None
                raise OcfError(f"{name}: file_type {got!r}, but the manifest lists it under {key} ({file_type})")
            _add_file(pkg, sub, name, version)
    return pkg


def _add_file(pkg: Package, doc: Any, name: str, version: str | None) -> None:
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise OcfError(f"{name}: not an OCF file (an object with file_type and items)")
    for i, data in enumerate(doc["items"]):
        item = Item(data if isinstance(data, dict) else {}, name, i)
        problem = _item_problem(data, version)
        if problem:
            pkg.refused.append(f"{name}: item {item.id} ({item.type or 'no object_type'}): {problem}")
            continue
        _file_item(pkg, item)


def _item_problem(data: Any, version: str | None) -> str | None:
    """The schema's complaint, or None. A lone file (no manifest) is accepted by either schema set."""
    if version is not None:
        return validate.item_error(data, version)
    first = validate.item_error(data, validate.MAIN)
    if first is None or validate.item_error(data, validate.V1_2_0) is None:
        return None
    return first


def _file_item(pkg: Package, item: Item) -> None:
    t = item.type
    if t == "STAKEHOLDER":
        pkg.stakeholders[item.id] = item
    elif t == "STOCK_CLASS":
        pkg.stock_classes[item.id] = item
    elif t == "STOCK_PLAN":
        pkg.stock_plans[item.id] = item
    elif t == "VALUATION":
        pkg.valuations.append(item)
    elif t == "FINANCING":
        pkg.financings.append(item)
    elif t.startswith(("TX_", "CE_")):
        pkg.transactions.append(item)
    else:
        pkg.other.append(item)
