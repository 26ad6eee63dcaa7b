"""``warrants export-ocf``: a book's exercise back to Open Cap Table Format.

OCF records exercises natively — the ``TX_WARRANT_EXERCISE``, the ``TX_STOCK_ISSUANCE`` of the shares
delivered and, for the rest (§1(c)(ii): "a new Warrant ... for the number of shares ... remaining"),
a new ``TX_WARRANT_ISSUANCE`` — but has no object for a warrant's adjusted price or share count. Those
go to a sidecar JSON keyed by the OCF ids (``warrant-adjustments.json``), with the adjustment trail,
each row naming the OCF object its event came from. Every item written is validated against the
schema of its ``object_type`` for the package's OCF version before anything is written.
"""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import engine
from engine import Position, adjust, settle

from ..excel import convert as cv
from . import validate
from .reader import OcfError

TRANSACTIONS = "Transactions.exercise.ocf.json"
SIDECAR = "warrant-adjustments.json"
PLACES = 10                     # OCF Numeric: at most 10 decimals


def numeric(x: Fraction) -> str:
    """An exact number as an OCF Numeric: rounded half up (away from zero) to 10 decimals where it has
    more (the exact value goes into the item's comments), no exponent, no trailing zeros."""
    scaled = abs(x) * 10 ** PLACES
    whole = int(scaled + Fraction(1, 2))              # half up, on the exact value
    text = format(Decimal(whole).scaleb(-PLACES), "f")
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return ("-" if x < 0 and whole else "") + text


def exact_text(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def _money(x: Fraction, currency: str) -> dict:
    return {"amount": numeric(x), "currency": currency}


def export_book(book: Path | str, out_dir: Path | str) -> list[Path]:
    """Read the book's Terms, Events, Exercise (and Market), settle the exercise, write the OCF files."""
    from ..recalc.bookio import load_book
    from ..documents.macros import OpenpyxlBook

    book, out_dir = Path(book), Path(out_dir)
    wb = load_book(book)
    adapter = OpenpyxlBook(wb)
    ids = _ids(adapter, book)
    try:
        terms = cv.parse_terms(adapter.read_name("Terms"), date1904=adapter.date1904, required=cv.EXERCISE_REQUIRED)
        events_grid = adapter.read_name("Events") or []
        events = cv.parse_events(events_grid, date1904=adapter.date1904)
        exercise = adapter.read_name("Exercise")
        if exercise is None:
            raise OcfError(f"{book}: no Exercise range (named Exercise) to export")
        request = cv.parse_exercise(exercise, date1904=adapter.date1904)
        market_grid = adapter.read_name("Market")
        market = cv.parse_market(market_grid, date1904=adapter.date1904) if market_grid else None
        adjusted = adjust(terms, events, request.exercise_date)
        s = settle(terms, Position(adjusted.price, adjusted.shares, adjusted.security), request, market)
    except ValueError as exc:          # engine.WarrantError: a bad cell, named
        raise OcfError(f"{book}: {' '.join(str(exc).split())}") from None
    items = exercise_items(ids, terms, adjusted.price, request.exercise_date, s)
    version = validate.version_folder(ids.get("OCF version") or None)
    problems = [f"{TRANSACTIONS}: item {it['id']} ({it['object_type']}): {p}"
                for it in items if (p := validate.item_error(it, version))]
    if problems:                       # our own output: a failure here is a bug, reported, never written
        raise OcfError("\n".join(problems))
    sidecar = _sidecar(ids, terms, adjusted, request.exercise_date, s, items, events_grid)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / TRANSACTIONS, out_dir / SIDECAR]
    for p in paths:
        if p.exists():
            raise OcfError(f"{p}: exists; refusing to overwrite it (choose another folder)")
    paths[0].write_text(json.dumps({"file_type": "OCF_TRANSACTIONS_FILE", "items": items}, indent=2) + "\n",
                        encoding="utf-8")
    paths[1].write_text(json.dumps(sidecar, indent=2) + "\n", encoding="utf-8")
    return paths


def _ids(adapter, book: Path) -> dict[str, str]:
    grid = adapter.read_name("OCFIds")
    if grid is None:
        raise OcfError(f"{book}: no OCF ids (the OCFIds range import-ocf writes on the OCF notes sheet): "
                       f"import the warrant with warrants import-ocf first")
    ids = {str(r[0]).strip(): ("" if r[1] is None else str(r[1]).strip()) for r in grid if r and r[0]}
    for key in ("OCF security_id", "OCF stakeholder_id", "OCF stock_class_id", "OCF trigger_id"):
        if not ids.get(key):
            raise OcfError(f"{book}: OCF notes: {key} (blank) is required to write the exercise back")
    return ids


def exercise_items(ids: dict[str, str], terms, price: Fraction, day: date, s) -> list[dict]:
    """The exercise, its stock issuance and the remainder's new warrant, as OCF transactions."""
    w, cur = ids["OCF security_id"], ids.get("OCF currency") or "USD"
    stamp = day.isoformat()
    stock_sid, new_sid = f"{w}.exercise-{stamp}.stock", f"{w}.exercise-{stamp}.remainder"
    cash = f"Cash Due {s.cash_due} {cur}" + (f"; fraction paid in cash {s.fraction_cash} {cur}" if s.fraction_cash else "")
    if s.shares_to_surrender:       # which certificates are surrendered OCF cannot be told here: text only
        cash += f"; {s.shares_to_surrender} shares of Common surrendered in payment"
    if s.shares_withheld:
        cash += f"; {exact_text(s.shares_withheld)} Warrant Shares withheld in payment (net exercise)"
    items: list[dict] = [{
        "object_type": "TX_WARRANT_EXERCISE", "id": f"{w}.exercise-{stamp}", "date": stamp, "security_id": w,
        "trigger_id": ids["OCF trigger_id"], "resulting_security_ids": [stock_sid],
        "consideration_text": f"{s.method}: {cash}",
        "comments": [f"Shares exercised {exact_text(s.shares_exercised)} at the adjusted Per Share Exercise Price "
                     f"{exact_text(price)} (engine {engine.__version__}; the adjustment trail is in {SIDECAR})"],
    }, {
        "object_type": "TX_STOCK_ISSUANCE", "id": f"{stock_sid}.issuance", "date": stamp, "security_id": stock_sid,
        "custom_id": f"{ids.get('OCF custom_id') or w}-EX-{stamp}", "stakeholder_id": ids["OCF stakeholder_id"],
        "stock_class_id": ids["OCF stock_class_id"], "share_price": _money(price, cur), "quantity": str(s.full_shares),
        "security_law_exemptions": [], "stock_legend_ids": [],
        "comments": [f"Issued on the exercise of warrant {w}; exact Per Share Exercise Price {exact_text(price)}"],
    }]
    if s.remaining_shares > 0:
        end = terms.exercise_end.isoformat() if terms.exercise_end else None
        trigger = {"trigger_id": f"{new_sid}.trigger", "type": "ELECTIVE_IN_RANGE", "start_date": stamp,
                   "end_date": end or stamp, "conversion_right": {
                       "type": "WARRANT_CONVERSION_RIGHT", "converts_to_stock_class_id": ids["OCF stock_class_id"],
                       "conversion_mechanism": {"type": "FIXED_AMOUNT_CONVERSION",
                                                "converts_to_quantity": numeric(s.remaining_shares)}}}
        new = {"object_type": "TX_WARRANT_ISSUANCE", "id": f"{new_sid}.issuance", "date": stamp,
               "security_id": new_sid, "custom_id": f"{ids.get('OCF custom_id') or w}-R-{stamp}",
               "stakeholder_id": ids["OCF stakeholder_id"], "security_law_exemptions": [],
               "quantity": numeric(s.remaining_shares), "quantity_source": "INSTRUMENT_FIXED",
               "exercise_price": _money(price, cur), "purchase_price": _money(Fraction(0), cur),
               "exercise_triggers": [trigger],
               "comments": [f"Remaining Warrant Shares of {w} after its exercise on {stamp} (§1(c)(ii)): exactly "
                            f"{exact_text(s.remaining_shares)} at {exact_text(price)}"]}
        if ids.get("OCF expiration"):
            new["warrant_expiration_date"] = ids["OCF expiration"]
        items.append(new)
    return items


def _sidecar(ids, terms, adjusted, day: date, s, items: list[dict], events_grid) -> dict[str, Any]:
    notes = _notes_by_row(events_grid)
    w = ids["OCF security_id"]
    trail = [{"date": r.date.isoformat(), "event": r.event, "clause": r.clause, "status": r.status,
              "price_before": exact_text(r.price_before), "price_after": exact_text(r.price_after),
              "shares_before": exact_text(r.shares_before), "shares_after": exact_text(r.shares_after),
              "explanation": r.explanation, "ocf": notes.get(r.row, "")} for r in adjusted.trail]
    return {
        "about": "Warrant adjustments computed by the warrants engine from the OCF history (OCF has no object for "
                 "a warrant adjustment); keyed by the warrant's OCF security_id. Numbers are exact: n or n/d.",
        "engine": engine.__version__, "ocf_version": ids.get("OCF version", ""),
        "warrants": {w: {
            "custom_id": ids.get("OCF custom_id", ""), "as_of": day.isoformat(),
            "anti_dilution": terms.anti_dilution,
            "per_share_exercise_price": exact_text(adjusted.price), "per_share_exercise_price_ocf": numeric(adjusted.price),
            "warrant_shares": exact_text(adjusted.shares), "security": adjusted.security,
            "exercise": {"transactions": [it["id"] for it in items], "shares_exercised": exact_text(s.shares_exercised),
                         "full_shares_issued": s.full_shares, "cash_due": str(s.cash_due),
                         "fraction_cash": str(s.fraction_cash), "remaining_warrant_shares": exact_text(s.remaining_shares),
                         "method": s.method},
            "trail": trail}},
    }


def _notes_by_row(grid) -> dict[int, str]:
    """Events row number (the header is row 1) -> the OCF object its Note names."""
    if not grid:
        return {}
    head = [cv.norm(h) for h in grid[0]]
    if "note" not in head:
        return {}
    k = head.index("note")
    return {i: str(r[k]) for i, r in enumerate(grid[1:], start=2) if k < len(r) and r[k]}
