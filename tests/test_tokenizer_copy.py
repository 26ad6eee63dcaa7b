"""The recalculation's copies of openpyxl's code (addin/recalc/tokenizer.py: the formula tokenizer
and the shared-formula translator; addin/recalc/xlutils.py: cell addresses and date serials) give
what openpyxl's own give: the same tokens (value, type, subtype) or the same error, on every
formula and shared formula of the fixture books and the sample workbooks, and on generated ones.
(Why the copies: tests/test_cli_startup.py, `recalc --json` loads no part of openpyxl.)"""
from __future__ import annotations

import datetime as dt
import functools
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl.formula.tokenizer as theirs_tok
import openpyxl.formula.translate as theirs_tr
import openpyxl.utils.cell as theirs_cell
import openpyxl.utils.datetime as theirs_dt
from hypothesis import given, strategies as st

from addin.recalc import tokenizer as ours_tok, xlutils as ours

ROOT = Path(__file__).resolve().parents[1]
BOOKS = sorted((ROOT / "workbooks").glob("*.xls[xm]")) + sorted((ROOT / "tests" / "fixtures").rglob("*.xls[xm]"))
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _outcome(fn, *args):
    """What ``fn(*args)`` gives: ("ok", result), or ("error", the exception's class name and text)."""
    try:
        return ("ok", fn(*args))
    except Exception as exc:  # noqa: BLE001 - the copy must fail where openpyxl fails, the same way
        return ("error", type(exc).__name__, str(exc))


def _tokens(module, formula: str):
    return _outcome(lambda f: [(t.value, t.type, t.subtype) for t in module.Tokenizer(f).items], formula)


def _translated(module, formula: str, origin: str, dest: str):
    return _outcome(lambda: module.Translator(formula, origin).translate_formula(dest))


@functools.lru_cache(maxsize=1)
def _book_formulas() -> tuple[list[str], list[tuple[str, str, str]]]:
    """Every distinct formula text (cells and defined names) of the books, read from the XML
    itself (no reader of ours), and every shared formula as (text, its cell, its ref)."""
    formulas: set[str] = set()
    shared: set[tuple[str, str, str]] = set()
    for path in BOOKS:
        with zipfile.ZipFile(path) as zf:
            for part in zf.namelist():
                if not (part.startswith("xl/worksheets/") or part == "xl/workbook.xml") or not part.endswith(".xml"):
                    continue
                root = ElementTree.fromstring(zf.read(part))
                for name in root.iter(f"{_MAIN}definedName"):
                    formulas.add("=" + (name.text or ""))
                for c in root.iter(f"{_MAIN}c"):
                    f = c.find(f"{_MAIN}f")
                    if f is None or not f.text:
                        continue
                    formulas.add("=" + f.text)
                    if f.get("t") == "shared" and f.get("ref"):
                        shared.add(("=" + f.text, c.get("r"), f.get("ref")))
    return sorted(formulas), sorted(shared)


def test_the_books_hold_many_formulas():
    formulas, shared = _book_formulas()
    assert len(formulas) > 5_000 and len(shared) > 200     # the comparisons below cover real books


def test_every_formula_of_the_books_tokenizes_as_in_openpyxl():
    formulas, _ = _book_formulas()
    differ = [f for f in formulas if _tokens(ours_tok, f) != _tokens(theirs_tok, f)]
    assert differ == []


def test_every_shared_formula_of_the_books_translates_as_in_openpyxl():
    """Each shared formula moved to the corners of its range and one cell outside it."""
    _, shared = _book_formulas()
    differ = []
    for formula, origin, ref in shared:
        c1, r1, c2, r2 = theirs_cell.range_boundaries(ref)
        for r, c in ((r1, c1), (r2, c2), (r1, c2), (r2 + 3, c1 + 2)):
            dest = f"{theirs_cell.get_column_letter(c)}{r}"
            if _translated(ours_tok, formula, origin, dest) != _translated(theirs_tr, formula, origin, dest):
                differ.append((formula, origin, dest))
    assert differ == []


# generated formulas: the characters and pieces formulas are made of, in any order
_PIECES = st.sampled_from(["A1", "$B$2", "C3:D4", "Sheet1!A1", "'My Sheet'!$A1:B$9", "A:A", "3:5", "XFD1048576",
                           "SUM(", "IF(", "_xlfn.XLOOKUP(", "Table1[Col]", "[1]Sheet!A1", "Table1[[#This Row],[A]]",
                           "(", ")", "{", "}", ",", ";", " ", "\n", "+", "-", "*", "/", "^", "&", "=", "<>", ">=",
                           "<=", "<", ">", "%", ":", "!", "#", '"text"', '"a""b"', '"', "'", "1", "1.5", "1E+3",
                           "2.5e-7", "TRUE", "FALSE", "#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!",
                           "#NULL!", "#GETTING_DATA", "#SPILL!", "name", "x.y", "@", "A1#", "[", "]", "e"])
FORMULAS = st.one_of(
    st.lists(_PIECES, max_size=25).map(lambda ps: "=" + "".join(ps)),
    st.text(alphabet="=AZaz019$:!'\"#(){},;+-*/^&<>% \n[]@.E_", max_size=40),
    st.text(max_size=20),
)


@given(FORMULAS)
def test_generated_formulas_tokenize_as_in_openpyxl(formula):
    assert _tokens(ours_tok, formula) == _tokens(theirs_tok, formula)


@given(FORMULAS, st.integers(1, 40), st.integers(1, 40), st.integers(1, 40), st.integers(1, 40))
def test_generated_formulas_translate_as_in_openpyxl(formula, r0, c0, r1, c1):
    origin = f"{theirs_cell.get_column_letter(c0)}{r0}"
    dest = f"{theirs_cell.get_column_letter(c1)}{r1}"
    assert _translated(ours_tok, formula, origin, dest) == _translated(theirs_tr, formula, origin, dest)


def test_the_render_of_tokens_is_openpyxl_s():
    formulas, _ = _book_formulas()
    for f in formulas[:2000]:
        if _tokens(theirs_tok, f)[0] == "ok":
            assert ours_tok.Tokenizer(f).render() == theirs_tok.Tokenizer(f).render()


# ----------------------------------------------------------------------------- xlutils

@given(st.integers(-5, 20_000))
def test_column_letters_as_in_openpyxl(n):
    assert _outcome(ours.get_column_letter, n) == _outcome(theirs_cell.get_column_letter, n)


@given(st.one_of(st.text(alphabet="AZazmM$1 ", max_size=5), st.text(max_size=4)))
def test_column_indexes_as_in_openpyxl(text):
    assert _outcome(ours.column_index_from_string, text) == _outcome(theirs_cell.column_index_from_string, text)


_AREA_TEXT = st.one_of(
    st.text(alphabet="ABXYZabz$:0123456789", max_size=14),
    st.builds(lambda a, b, c, d, colon: f"{a}{b}{':' if colon else ''}{c}{d}",
              st.sampled_from(["", "A", "$A", "XFD", "ZZZ", "AAAA", "b"]), st.sampled_from(["", "1", "$9", "0", "1048577"]),
              st.sampled_from(["", "C", "$IV"]), st.sampled_from(["", "5", "$70"]), st.booleans()),
)


@given(_AREA_TEXT)
def test_range_boundaries_and_coordinates_as_in_openpyxl(text):
    assert _outcome(ours.range_boundaries, text) == _outcome(theirs_cell.range_boundaries, text)
    assert _outcome(ours.coordinate_to_tuple, text) == _outcome(theirs_cell.coordinate_to_tuple, text)


_MOMENTS = st.one_of(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9999, 12, 31)),
                     st.dates(min_value=dt.date(1900, 1, 1)), st.times(),
                     st.timedeltas(min_value=dt.timedelta(days=-1000), max_value=dt.timedelta(days=100_000)))


@given(_MOMENTS, st.booleans())
def test_to_excel_as_in_openpyxl(moment, mac):
    epoch, their_epoch = (ours.CALENDAR_MAC_1904, theirs_dt.CALENDAR_MAC_1904) if mac else \
        (ours.CALENDAR_WINDOWS_1900, theirs_dt.CALENDAR_WINDOWS_1900)
    assert epoch == their_epoch
    assert _outcome(ours.to_excel, moment, epoch) == _outcome(theirs_dt.to_excel, moment, their_epoch)


@given(st.one_of(st.floats(-1e7, 3e6, allow_nan=False), st.integers(-10, 3_000_000),
                 st.sampled_from([0, 0.5, 59, 60, 60.5, 61, 1e-9, 0.99999999])), st.booleans(), st.booleans())
def test_from_excel_as_in_openpyxl(serial, mac, duration):
    epoch = ours.CALENDAR_MAC_1904 if mac else ours.CALENDAR_WINDOWS_1900
    assert _outcome(ours.from_excel, serial, epoch, duration) == _outcome(theirs_dt.from_excel, serial, epoch, duration)


@given(st.one_of(st.text(alphabet="0123456789-:TZ.PHMS", max_size=24),
                 st.datetimes().map(lambda d: d.isoformat(timespec="milliseconds")),
                 st.sampled_from(["2024-02-29", "12:30", "2024-01-01T00:00:00Z", "PT3H4M5.5S", "", "x"])))
def test_iso_dates_as_in_openpyxl(text):
    assert _outcome(ours.from_ISO8601, text) == _outcome(theirs_dt.from_ISO8601, text)
