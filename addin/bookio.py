"""Load and write workbooks safely: one-line errors for bad files, atomic writes.

Bad files raise :class:`BookError` (one line, names the file): not a workbook,
a corrupt zip, a password-protected file (an encrypted workbook is an OLE
compound file, not a zip), a legacy ``.xls``, a missing named range. openpyxl
parses the XML with ``defusedxml`` when it is installed (a declared dependency).
"""
from __future__ import annotations

import os
import tempfile
import warnings
import zipfile
from pathlib import Path

__all__ = ["BookError", "load_book", "require_names", "save_atomic", "named_range"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class BookError(Exception):
    """A workbook that cannot be used; the message is one line for the user."""


def _sniff(path: Path) -> None:
    if not path.exists():
        raise BookError(f"{path}: no such file")
    if path.is_dir():
        raise BookError(f"{path}: is a directory, not a workbook")
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise BookError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if head == _OLE_MAGIC:
        raise BookError(f"{path}: password-protected (encrypted) or legacy .xls workbook; "
                        "save it unprotected as .xlsx/.xlsm")
    if not head.startswith(b"PK"):
        raise BookError(f"{path}: not an Excel workbook (.xlsx/.xlsm)")
    if not zipfile.is_zipfile(path):
        raise BookError(f"{path}: corrupt workbook (damaged zip archive)")


def load_book(path, *, data_only: bool = False):
    """Open a workbook with openpyxl (formulas kept), or raise BookError with one line."""
    import openpyxl  # noqa: PLC0415

    path = Path(path)
    _sniff(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # openpyxl warns about extensions it drops
            wb = openpyxl.load_workbook(path, data_only=data_only, keep_vba=path.suffix.lower() == ".xlsm")
    except zipfile.BadZipFile:
        raise BookError(f"{path}: corrupt workbook (damaged zip archive)") from None
    except KeyError as exc:
        raise BookError(f"{path}: not an Excel workbook (missing part {exc})") from None
    except Exception as exc:  # openpyxl raises many kinds for broken parts
        text = " ".join(str(exc).split())[:160]
        raise BookError(f"{path}: cannot read workbook ({type(exc).__name__}: {text})") from None
    for name, target in _defined_names(wb):
        if "#REF!" in target.upper():
            raise BookError(f"{path}: named range {name} refers to a deleted range ({target})")
    return wb


def _defined_names(wb):
    dn = wb.defined_names
    items = dn.items() if hasattr(dn, "items") else ((d.name, d) for d in dn.definedName)
    for name, d in items:
        yield name, d.attr_text or ""


def named_range(wb, name: str):
    """The (sheet, bounds) of a workbook-level defined name, or None."""
    for n, target in _defined_names(wb):
        if n.upper() == name.upper():
            return target
    return None


def require_names(wb, names, path) -> None:
    missing = [n for n in names if named_range(wb, n) is None]
    if missing:
        raise BookError(f"{path}: missing named range{'s' if len(missing) > 1 else ''} {', '.join(missing)}")


def save_atomic(wb, out) -> Path:
    """Save to a temporary file beside ``out`` and move it into place (os.replace)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return out
