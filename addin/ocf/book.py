"""The workbook ``warrants import-ocf`` writes: the starter's layout (addin/documents/starter.py), filled in.

The starter writes every sheet and catalog formula (dynamic arrays); through its ``extend`` hook
this module types the terms OCF gives into the Warrant sheet, the rows into the Events sheet
(plus a Confirm column), and adds an "OCF notes" sheet (each object not mapped, and why) and,
with ``--all-warrants``, a Register sheet and one sheet per other warrant.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Mapping, Sequence

from ..excel.convert import EVENTS_COLUMNS, TERMS_LABELS, norm
from .mapping import Mapped, Row
from .reader import OcfError

NOTES_SHEET = "OCF notes"
REGISTER_SHEET = "Register"
CONFIRM = "Confirm"
FIRST_TERM_ROW = 2        # the starter's terms block: header on row 2, labels from row 3 (0-based row 2)


def parse_settings(pairs: Sequence[str]) -> dict[str, object]:
    """``--set LABEL=VALUE`` -> {official label: cell value}; an unknown label or a bad value is refused."""
    labels = {norm(label): label for label in TERMS_LABELS}
    out: dict[str, object] = {}
    for pair in pairs:
        label, sep, text = pair.partition("=")
        if not sep:
            raise OcfError(f"--set {pair!r}: write LABEL=VALUE, e.g. --set Anti-Dilution=FULL_RATCHET")
        official = labels.get(norm(label))
        if official is None:
            raise OcfError(f"--set {pair!r}: {label.strip()!r} is not a terms label; known: {', '.join(TERMS_LABELS)}")
        out[official] = _typed(official, text.strip(), pair)
    return out


def _typed(label: str, text: str, pair: str) -> object:
    kind = TERMS_LABELS[label][1]
    if not text:
        return None
    if kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise OcfError(f"--set {pair!r}: {label} must be a date written YYYY-MM-DD") from None
    if kind == "number":
        try:
            return Fraction(Decimal(text.rstrip("%"))) / (100 if text.endswith("%") else 1)
        except (InvalidOperation, ValueError):
            raise OcfError(f"--set {pair!r}: {label} must be a number") from None
    return text


def cell_value(v: object) -> object:
    """A value as the starter writes cells: dates as datetimes, exact decimals as numbers, else text.

    A number a double cannot hold exactly (more than 15 significant digits, or a fraction such as 1000/3)
    is written as its exact text (decimal, or n/d), which the add-in reads exactly; nothing is rounded on
    the way into the book.
    """
    if isinstance(v, Fraction):
        if v.denominator == 1:
            return int(v)
        f = float(v)
        if Fraction(Decimal(repr(f))) == v:
            return f
        return _decimal_text(v)
    if isinstance(v, date) and not isinstance(v, datetime):
        return datetime(v.year, v.month, v.day)
    return v


def _decimal_text(v: Fraction) -> str:
    d = v.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:      # e.g. a preferred's shares after a 3-for-1 split: the add-in reads "n/d" text exactly
        return f"{v.numerator}/{v.denominator}"
    return format(Decimal(v.numerator) / Decimal(v.denominator), "f")


def _write(ws, r: int, c: int, v: object, f: Mapping, kind: str = "input") -> None:
    v = cell_value(v)
    if v is None or v == "":
        ws.write_blank(r, c, None, f[kind])
    elif isinstance(v, datetime):
        ws.write_datetime(r, c, v, f["input_date"])
    elif isinstance(v, (int, float)):
        ws.write_number(r, c, v, f["input_number"] if kind == "input" else f[kind])
    else:
        ws.write_string(r, c, str(v), f["input_wrap"] if "\n" in str(v) else f[kind])


def write_book(path: Path | str, mapped: Mapped, settings: Mapping[str, object], *, as_of: date | None,
               source: str, others: Sequence[Mapped] = ()) -> Path:
    """Write the imported workbook at ``path`` (the starter's layout, filled in)."""
    from ..documents import starter

    terms = {**mapped.terms, **{k: v for k, v in settings.items() if v is not None}}

    def extend(wb, f, names):
        _fill_terms(wb.get_worksheet_by_name("Warrant"), f, terms, mapped, as_of, names)
        names["Events"] = _fill_events(wb.get_worksheet_by_name("Events"), f, mapped.rows, "Events", 0, 0,
                                       starter.EVENT_ROWS)
        names["OCFIds"] = _notes_sheet(wb, f, source, [mapped, *others])
        if others:
            _register(wb, f, [mapped, *others], settings, terms)

    return starter.new_workbook(path, extend=extend)


def _fill_terms(ws, f, terms: Mapping, mapped: Mapped, as_of: date | None, names: dict) -> None:
    for i, label in enumerate(TERMS_LABELS):
        if label in terms:
            kind = {"date": "input_date", "number": "input_number"}.get(TERMS_LABELS[label][1], "input")
            _write(ws, FIRST_TERM_ROW + i, 1, terms[label], f, kind)
            if isinstance(terms[label], str) and "\n" in terms[label]:
                ws.set_row(FIRST_TERM_ROW + i, 15 * (terms[label].count("\n") + 1))
            if label in COUNT_NOTES and label in mapped.terms and label not in settings_given(terms, mapped):
                ws.write(FIRST_TERM_ROW + i, 2, COUNT_NOTES[label], f["note"])
        elif label in mapped.required:
            ws.write(FIRST_TERM_ROW + i, 2, f"Required: not in OCF ({_why(label)}); type it, or import with "
                                            f"--set \"{label}=...\"", f["note"])
    if as_of is not None:
        m = re.match(r"Warrant!\$B\$(\d+)$", names["AsOf"])
        ws.write_datetime(int(m.group(1)) - 1, 1, datetime(as_of.year, as_of.month, as_of.day), f["input_date"])


COUNT_NOTES = {
    "Common Outstanding": "From OCF: Common live at the end of the Issue Date (that day's rows are not Additional "
                          "Shares; docs/ocf.md, \"Counts\").",
    "Fully Diluted": "From OCF: Common, every live grant's maximum, preferred as converted and this warrant, at the "
                     "end of the Issue Date; no unissued pool (docs/ocf.md).",
}


def settings_given(terms: Mapping, mapped: Mapped) -> set[str]:
    """Labels whose value is not OCF's (a --set changed it)."""
    return {k for k, v in terms.items() if mapped.terms.get(k) != v}


def _why(label: str) -> str:
    return {"Anti-Dilution": "OCF says anti-dilution is calculated outside of OCF",
            "Warrant Shares": "the warrant's quantity is not a fixed maximum",
            "Exercise Price": "the warrant has no fixed exercise price"}.get(label, "OCF has no field for it")


def _fill_events(ws, f, rows: Sequence[Row], sheet: str, top: int, left: int, blank_rows: int,
                 write_header: bool = False) -> str:
    """Write the rows (and a Confirm column) at (top, left); returns the range the Events name covers."""
    headers = list(EVENTS_COLUMNS)
    if write_header:
        ws.write_row(top, left, headers, f["header"])
    c = left + len(headers)
    ws.write(top, c, CONFIRM, f["header"])
    ws.set_column(c, c, 60, f["input"])
    col = {h: left + i for i, h in enumerate(headers)}
    for i, r in enumerate(rows, start=top + 1):
        values = {"Date": r.date, "Event": r.event, "Shares": r.shares, "Ratio": r.ratio,
                  "Consideration": r.consideration, "Additional Consideration": r.additional,
                  "Category": r.category, "Ref": r.ref, "Price": r.price, "Note": r.note}
        for h, v in values.items():
            _write(ws, i, col[h], v, f)
        _write(ws, i, c, r.confirm, f)
    last = top + max(len(rows), blank_rows)
    return f"'{sheet}'!${_col(left)}${top + 1}:${_col(c)}${last + 1}"


def _col(c: int) -> str:
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def ocf_ids(m: Mapped) -> dict[str, str]:
    """What ``warrants export-ocf`` needs to write the warrant's exercise back (kept in the book, name OCFIds)."""
    w = m.warrant
    trigger = next((t.get("trigger_id") for t in w.get("exercise_triggers") or ()
                    if str(t.get("type", "")).startswith("ELECTIVE")), None) or \
        next((t.get("trigger_id") for t in w.get("exercise_triggers") or ()), "")
    return {"OCF security_id": w.get("security_id", ""), "OCF custom_id": w.get("custom_id", ""),
            "OCF stakeholder_id": w.get("stakeholder_id", ""), "OCF stock_class_id": m.common_class,
            "OCF trigger_id": trigger, "OCF currency": (w.get("exercise_price") or w.get("purchase_price") or {}).get(
                "currency", "USD"), "OCF version": m.ocf_version or "", "OCF expiration": w.get("warrant_expiration_date", "")}


def _notes_sheet(wb, f, source: str, mapped: Sequence[Mapped]) -> str:
    """The OCF notes sheet; returns the range of the OCF ids block (for the OCFIds name)."""
    ws = wb.add_worksheet(NOTES_SHEET)
    for c, w in enumerate([20, 44, 30, 26, 110]):
        ws.set_column(c, c, w)
    ws.write(0, 0, f"Imported from Open Cap Table Format: {source}", f["title"])
    first = mapped[0]
    ids = ocf_ids(first)
    for i, (k, v) in enumerate(ids.items(), start=2):
        ws.write_string(i, 0, k)
        ws.write_string(i, 1, str(v))
    block = f"'{NOTES_SHEET}'!$A$3:$B${2 + len(ids)}"
    r = 3 + len(ids)
    lines = [f"Warrant {first.terms.get('Warrant')}: every other security's history is on the Events sheet; each "
             f"row's Note names its OCF object. Rows with a Confirm reason are candidates: the answers refuse until "
             f"you check each one and type OK at the start of its Confirm cell (or change the row and clear it)."]
    lines += [f"Warning: {w}" for w in dict.fromkeys(w for m in mapped for w in m.warnings)]
    for line in lines:
        ws.write(r, 0, line)
        r += 1
    r += 1
    ws.write_row(r, 0, ["Date", "OCF object", "Id", "File", "Why it is not an Events row"], f["header"])
    for n in first.notes:
        r += 1
        ws.write_row(r, 0, [n.date, n.object_type, n.id, n.file, n.reason])
    return block


def _register(wb, f, mapped: Sequence[Mapped], settings: Mapping[str, object], main_terms: Mapping) -> None:
    """A Register sheet: one row per warrant, each answered over its own Events (every other security's history).

    The catalog's WARRANT_REGISTER shares one ledger among its rows, which would make each warrant an
    OPTIONS row of its own ledger; so each other warrant gets a sheet with its terms and Events, and
    the Register row calls WARRANT_PRICE and WARRANT_SHARES on those ranges.
    """
    reg = wb.add_worksheet(REGISTER_SHEET)
    head = ["Warrant", "Holder", "Issue Date", "Warrant Shares", "Exercise Price", "Per Share Exercise Price",
            "Warrant Shares Now", "Sheet"]
    for c, w in enumerate([14, 34, 12, 16, 16, 22, 20, 24]):
        reg.set_column(c, c, w)
    reg.write(0, 0, "Every warrant of the company, each over every other security's history (As Of: the Warrant "
                    "sheet's)", f["title"])
    reg.write_row(1, 0, head, f["header"])
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for i, m in enumerate(mapped, start=2):
        if i == 2:
            terms_ref, events_ref, sheet = "Terms", "Events", "Warrant"
        else:
            sheet = _sheet_name(wb, str(m.terms.get("Warrant")))
            terms_ref, events_ref = _warrant_sheet(wb, f, sheet, m, settings)
        t = {**m.terms, **{k: v for k, v in settings.items() if v is not None}}
        reg.write(i, 0, str(t.get("Warrant", "")))
        reg.write(i, 1, str(t.get("Holder", "")))
        if t.get("Issue Date"):
            reg.write_datetime(i, 2, cell_value(t["Issue Date"]), date_fmt)
        for c, label in ((3, "Warrant Shares"), (4, "Exercise Price")):
            v = cell_value(t.get(label))
            if v is not None:
                reg.write(i, c, v)
        reg.write_dynamic_array_formula(i, 5, i, 5, f"=WARRANT_PRICE({terms_ref},{events_ref},AsOf)", f["price"])
        reg.write_dynamic_array_formula(i, 6, i, 6, f"=WARRANT_SHARES({terms_ref},{events_ref},AsOf)", f["shares"])
        reg.write(i, 7, sheet)


def _sheet_name(wb, warrant: str) -> str:
    base = re.sub(r"[\[\]:*?/\\']", "_", f"OCF {warrant}")[:31]
    name, k = base, 2
    taken = {ws.get_name().lower() for ws in wb.worksheets()}
    while name.lower() in taken:
        name, k = f"{base[:28]} {k}", k + 1
    return name


def _warrant_sheet(wb, f, sheet: str, m: Mapped, settings: Mapping[str, object]) -> tuple[str, str]:
    """Another warrant's terms block (A:B) and Events table (D on) on a sheet of its own."""
    ws = wb.add_worksheet(sheet)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 30)
    terms = {**m.terms, **{k: v for k, v in settings.items() if v is not None}}
    ws.write_row(0, 0, ["Term", "Value"], f["header"])
    for i, label in enumerate(TERMS_LABELS, start=1):
        ws.write(i, 0, label)
        if label in terms:
            kind = {"date": "input_date", "number": "input_number"}.get(TERMS_LABELS[label][1], "input")
            _write(ws, i, 1, terms[label], f, kind)
        else:
            ws.write_blank(i, 1, None, f["input"])
    terms_ref = f"'{sheet}'!$A$2:$B${1 + len(TERMS_LABELS)}"
    for c, h in enumerate(EVENTS_COLUMNS, start=3):
        ws.set_column(c, c, 14 if h != "Note" else 50)
    events_ref = _fill_events(ws, f, m.rows, sheet, 0, 3, max(len(m.rows), 20), write_header=True)
    return terms_ref, events_ref
