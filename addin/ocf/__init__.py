"""Open Cap Table Format: read a company's equity history into a warrant workbook, write exercises back.

``import_ocf`` reads a package (folder, zip or lone transactions file), validates every item
against the official schema of its ``object_type``, maps one warrant's terms and every other
security's history onto our terms and Events (``mapping``), and writes the starter's workbook
filled in (``book``). ``export_ocf`` (``writer``) writes a settled exercise as OCF transactions
plus a sidecar JSON of the adjusted price, shares and trail. docs/ocf.md is the mapping as built.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Sequence

from .mapping import Mapped, map_warrant, warrants
from .reader import OcfError, Package, read_package

__all__ = ["OcfError", "Package", "Mapped", "read_package", "map_warrant", "warrants", "import_ocf", "Imported"]


@dataclass
class Imported:
    path: Path
    mapped: Mapped
    others: list[Mapped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)   # malformed items left out (--skip-invalid)


def import_ocf(source: Path | str, output: Path | str, *, warrant: str | None = None, settings: Sequence[str] = (),
               all_warrants: bool = False, as_of: date | None = None, skip_invalid: bool = False) -> Imported:
    """Read ``source`` and write the workbook ``output``; raises :class:`OcfError` (one line per problem)."""
    from .book import parse_settings, write_book

    pkg = read_package(source)
    if pkg.refused and not skip_invalid:
        raise OcfError("\n".join(pkg.refused))
    typed = parse_settings(settings)
    found = warrants(pkg)
    if warrant is None:
        if not all_warrants:
            raise OcfError("--warrant SECURITY_ID is required (or --all-warrants)")
        if not found:
            raise OcfError(f"{source}: the package has no warrant (TX_WARRANT_ISSUANCE)")
        warrant = found[0].get("security_id")
    main = map_warrant(pkg, warrant, typed)
    main.required = [label for label in main.required if typed.get(label) is None]
    others = [map_warrant(pkg, w.get("security_id"), typed) for w in found
              if all_warrants and w.get("security_id") != main.warrant.get("security_id")]
    if as_of is None and pkg.as_of:
        try:
            as_of = date.fromisoformat(str(pkg.as_of)[:10])
        except ValueError:
            as_of = None
    main.warnings.extend(f"skipped malformed item: {line}" for line in pkg.refused)
    path = write_book(output, main, typed, as_of=as_of, source=str(source), others=others)
    return Imported(Path(path), main, others, list(dict.fromkeys(main.warnings)), list(pkg.refused))
