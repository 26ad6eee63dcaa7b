"""``warrants new``: a starter workbook a finance user fills in, with the catalog formulas already in place.

Written with XlsxWriter like workbooks/build.py: every catalog call is a
dynamic-array formula (no implicit-intersection "@" in Excel 365), input cells
are shaded and formatted, and lists of allowed values are data validations. A
call whose result has a fixed shape is written over that shape, so a program
that keeps the formula but drops Excel's dynamic-array mark (openpyxl saves
so) still shows the whole result; Excel re-spills it either way.

Sheets: ``Warrant`` (the terms block, As Of and the key answers), ``Events``
(the capital events table), ``Exercise`` (an exercise and the §5 market
quote), ``Tests`` (only when a performance condition is chosen), ``How to use``
and ``xlwings.conf``. Named ranges: Terms, AsOf, Events, Exercise, Market (and
Tests, Facts with a performance condition).
"""
from __future__ import annotations

import re
from datetime import date, datetime, time
from fractions import Fraction
from pathlib import Path

from engine.events import CATEGORIES, EVENT_KINDS
from engine.settlement import METHODS, VENUES
from engine.terms import ANTI_DILUTION_METHODS, COMPARATORS, D1_TESTS, PRE_ISSUE_GRANTS, ROUNDING_MODES, \
    SHARE_ADJUSTMENTS, d1_terms

from addin.excel.convert import ADJUST_REQUIRED, EVENTS_COLUMNS, EXERCISE_LABELS, EXERCISE_REQUIRED, FACTS_LABELS, \
    MARKET_LABELS, TERMS_LABELS
from addin.excel.functions import DEFAULTS_HEADER
from addin.excel.functions import EXERCISE_LABELS as EXERCISE_RESULT_LABELS

PRESETS = ("D-1",)
EVENT_ROWS = 200          # blank rows inside the Events range, ready to type into
YES_NO = ["Yes", "No"]

# What each terms label means, shown beside it (docs/catalog.md has the full text).
TERMS_NOTES = {
    "Preset": "D-1: terms left out take Performance Warrant D-1's figures (warrants new --preset D-1 writes them "
              "all in); blank = none (your own terms).",
    "Warrant": "The warrant's number or name, e.g. W-7.",
    "Instrument": "The document's title, printed on the certificate and purchase form.",
    "Holder": "The registered holder.",
    "Issuer": "The company that issued the warrant.",
    "Issuer Address": "Where the purchase form goes; Alt+Enter between lines.",
    "Issue Date": "The Original Issue Date: events after it adjust the price.",
    "Warrant Shares": "Shares purchasable at issue.",
    "Exercise Price": "Per share, at issue.",
    "Par Value": "Per share; informational.",
    "Exercise Start": "First day the warrant may be exercised.",
    "Exercise End": "Last day (until the Exercise End Time).",
    "Exercise End Time": "Blank = 17:00.",
    "Time Zone": "IANA name; blank = America/New_York.",
    "Test Date": "Date the performance tests are measured.",
    "Requires Performance Default": "Yes: exercisable only after a performance test is failed.",
    "Valuation Event Cutoff": "A realized valuation event on or before it bars exercise.",
    "Anti-Dilution": "How a cheaper issue moves the price.",
    "Share Adjustment": "KEEP_AGGREGATE: shares rise as the price falls; blank = NONE.",
    "Pre-Issue Grants": "Shares later issued on options granted on or before the Issue Date: COUNTED as issued "
                        "then (D-1's text, the default) or EXCLUDED (a warrant whose text shelters them).",
    "Minimum Adjustment": "Changes smaller than this fraction carry forward; blank = 0.",
    "Management Cap": "Fraction of fully diluted shares management grants may use without adjustment; blank = none.",
    "Series D Cutoff": "Series D issues on or before it are excluded; blank = none.",
    "Price Floor": "The price never goes below it; blank = none.",
    "Price Increment": "Round the price to this step, e.g. 0.0001; blank = exact.",
    "Price Rounding": "How to round to the Price Increment; blank = ROUND_HALF_UP.",
    "Common Outstanding": "Common shares outstanding at the Issue Date (weighted average needs it).",
    "Fully Diluted": "Fully diluted shares at the Issue Date.",
    "Delivery Days": "Days to deliver certificates after exercise.",
    "Holding Months": "Months surrendered shares must have been held.",
    "Security": "Blank = Common Stock.",
}
TERMS_CHOICES = {
    "Preset": list(PRESETS),
    "Anti-Dilution": list(ANTI_DILUTION_METHODS),
    "Share Adjustment": list(SHARE_ADJUSTMENTS),
    "Pre-Issue Grants": list(PRE_ISSUE_GRANTS),
    "Price Rounding": list(ROUNDING_MODES),
    "Requires Performance Default": YES_NO,
}
EXERCISE_CHOICES = {"Method": list(METHODS), "Shares": None}
EVENT_WIDTHS = {"Date": 12, "Event": 18, "Shares": 14, "Ratio": 10, "Consideration": 15,
                "Additional Consideration": 15, "Outstanding": 14, "Category": 13, "Ref": 10, "Price": 12,
                "Note": 50}

HOW_TO = [
    ("How to use this workbook", "title"),
    ("1. On the Warrant sheet, type the warrant's terms in the shaded Value cells. The four marked "
     "Required (Warrant Shares, Exercise Price, Issue Date, Anti-Dilution) are needed for any price; Exercise "
     "Start and Exercise End are needed to judge exercisability. Every other blank term means a plain warrant "
     "has no such term (or, with Preset D-1, takes Performance Warrant D-1's figure).", None),
    ("2. Type the date you want the answers for in As Of.", None),
    ("3. On the Events sheet, one row per capital event (split, stock dividend, issue, options, ...), oldest "
     "first; same-day events apply in the order of their rows. The Event cell offers the kinds; docs/catalog.md "
     "says which columns each kind needs (e.g. a STOCK_DIVIDEND's Shares is a number of shares, not a rate).", None),
    ("4. The answers recalculate: Per Share Exercise Price, Warrant Shares and the Adjustments table (the "
     "clause and a sentence for each event), and WARRANT_TERMS lists every term used and where it came from.", None),
    ("5. To exercise, fill the Exercise sheet (and Market for the cash paid for a fractional share).", None),
    ("Windows with the xlwings add-in: install it once (pip install warrants; xlwings addin install), open this "
     "workbook: the xlwings.conf sheet names the module (addin.excel.xl) that provides the WARRANT_ functions. The "
     "certificate and purchase form buttons run the macros make_adjustment_certificate and make_purchase_form.", None),
    ("Mac or Excel on the web (xlwings Lite, Microsoft 365): on a computer with this project installed, run "
     "warrants lite lite-bundle once; in Excel add the xlwings Lite add-in (Home > Add-ins), paste "
     "lite-bundle/main.py into its main.py tab and add the lines of lite-bundle/requirements.txt to its "
     "requirements.txt tab. The same formulas then calculate. Keep the workbook on the 1900 date system "
     "(Excel's default). The README's \"Mac and Excel on the web\" section has the details and limits.", None),
    ("Filling this book from a program: a program that re-saves it without Excel's dynamic-array marks (openpyxl "
     "does) cuts every table (Adjustments, WARRANT_TERMS, the settlement) to its first cell; warrants check then "
     "fails and names the cells. warrants repair THIS.xlsx -o REPAIRED.xlsx puts the tables back as dynamic "
     "arrays (this file is never modified). Better, fill a new book from data without any script: warrants new "
     "OUT.xlsx --terms terms.csv --events events.csv (terms.csv: Label,Value rows with this sheet's labels and As Of; "
     "events.csv: a header of the Events columns, Date,Event,Shares,..., then one row per event; dates as "
     "YYYY-MM-DD).", None),
    ("Without Excel: warrants recalc THIS.xlsx prints the answers; warrants certificate THIS.xlsx --pdf "
     "certificate.pdf writes the officer's certificate; warrants check THIS.xlsx runs any Check columns you add.",
     None),
    ("Answers are exact: a price is computed as a fraction and shown rounded only by the cell's format. A cell "
     "that cannot be answered shows #WARRANT: and the reason, naming the field and row.", None),
]


def _formats(wb):
    base = {"valign": "top"}
    spec = {
        "title": {"bold": True, "font_size": 14},
        "header": {"bold": True, "bg_color": "#DDEBF7", "bottom": 1, "text_wrap": True},
        "label": {},
        "required": {"bold": True},
        "note": {"italic": True, "font_color": "#595959"},      # one line each: rows keep their height
        "input": {"bg_color": "#FFF2CC"},
        "input_date": {"bg_color": "#FFF2CC", "num_format": "yyyy-mm-dd"},
        "input_number": {"bg_color": "#FFF2CC", "num_format": "#,##0.######"},
        "input_int": {"bg_color": "#FFF2CC", "num_format": "#,##0"},
        "input_time": {"bg_color": "#FFF2CC", "num_format": "h:mm AM/PM"},
        "price": {"num_format": "$#,##0.000000"},
        "shares": {"num_format": "#,##0.######"},
        "wrap": {"text_wrap": True},
        "input_wrap": {"bg_color": "#FFF2CC", "text_wrap": True},
    }
    return {k: wb.add_format({**base, **v}) for k, v in spec.items()}


_KIND_FORMAT = {"date": "input_date", "number": "input_number", "int": "input_int", "time": "input_time",
                "shares": "input_number"}


def _list(ws, r: int, c: int, choices: list[str], r2: int | None = None) -> None:
    ws.data_validation(r, c, r if r2 is None else r2, c, {
        "validate": "list", "source": choices, "ignore_blank": True,
        "error_type": "stop", "error_message": "Choose from the list: " + ", ".join(choices)})


def _preset_values(preset: str | None) -> dict[str, object]:
    """The preset's terms as cells, written into the block so the user sees (and may change) each one.

    Written out rather than left blank: a blank "none"-able term (a date, a count, a cap) means the
    warrant has no such term even with a preset (docs/catalog.md)."""
    if preset is None:
        return {}
    terms = d1_terms()
    out: dict[str, object] = {}
    for label, (name, _kind) in TERMS_LABELS.items():
        v = getattr(terms, name)
        if isinstance(v, bool):
            v = "Yes" if v else "No"
        elif isinstance(v, Fraction):
            v = int(v) if v.denominator == 1 else float(v)   # a cell holds a double: 0.01, 0.1 read back exact
        elif isinstance(v, date):
            v = datetime(v.year, v.month, v.day)
        elif isinstance(v, time):
            v = v.strftime("%H:%M")
        out[label] = v
    return out


# --------------------------------------------------------------------------- filling from CSV files

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


AS_OF_LABEL = "As Of"     # also accepted in terms.csv: the date the answers are for


class CsvError(ValueError):
    """A CSV file that cannot fill the starter: the message names the file, the row and the value."""


def csv_value(text: str) -> object:
    """A CSV field as the cell a person would type: ISO date -> date, number -> number, else text.

    A number is written as Excel holds it (a double: 0.004 reads back as exactly 0.004, as typed);
    a whole number beyond 2^53, which a double cannot hold, stays text (the engine reads text exactly)."""
    text = text.strip()
    if text == "":
        return None
    if _ISO_DATE.match(text):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return text
    if _NUMBER.match(text.replace(",", "")):
        plain = text.replace(",", "")
        if re.fullmatch(r"[+-]?\d+", plain):
            n = int(plain)
            return n if abs(n) < 2**53 else text
        return float(plain)
    return text


def _rows(path: Path | str) -> list[list[str]]:
    import csv  # noqa: PLC0415
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            return [row for row in csv.reader(fh)]
    except UnicodeDecodeError as exc:
        raise CsvError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise CsvError(f"{path}: not a CSV file ({exc})") from None


def read_terms_csv(path: Path | str) -> dict[str, object]:
    """``Label,Value`` rows (a first row ``Label,Value`` or ``Term,Value`` is a header) -> {label: cell}."""
    known = {k.casefold(): k for k in (*TERMS_LABELS, AS_OF_LABEL)}
    out: dict[str, object] = {}
    for i, row in enumerate(_rows(path), start=1):
        cells = [c for c in row]
        if not any(c.strip() for c in cells):
            continue
        label = cells[0].strip()
        if i == 1 and label.casefold() in ("label", "term") and len(cells) > 1 \
                and cells[1].strip().casefold() == "value":
            continue
        if label.casefold() not in known:
            raise CsvError(f"{path} row {i}: unknown terms label {label!r}; known labels: "
                           f"{', '.join(TERMS_LABELS)}, and {AS_OF_LABEL}")
        if any(c.strip() for c in cells[2:]):
            raise CsvError(f"{path} row {i}: expected two columns, Label,Value; found {len(cells)}")
        official = known[label.casefold()]
        if official in out:
            raise CsvError(f"{path} row {i}: label {official!r} appears twice")
        out[official] = csv_value(cells[1] if len(cells) > 1 else "")
    return out


def read_events_csv(path: Path | str) -> list[list[object]]:
    """A header row of Events columns (any order, any subset with Date and Event) and one row per
    event -> rows of cells in the Events sheet's column order."""
    rows = _rows(path)
    if not rows:
        raise CsvError(f"{path}: empty; expected a header row (Date,Event,...) and one row per event")
    columns = list(EVENTS_COLUMNS)
    known = {c.casefold(): c for c in columns}
    header = [h.strip() for h in rows[0]]
    for h in header:
        if h and h.casefold() not in known:
            raise CsvError(f"{path} row 1: unknown column {h!r}; the Events columns are {', '.join(columns)}")
    for need in ("Date", "Event"):
        if need.casefold() not in {h.casefold() for h in header}:
            raise CsvError(f"{path} row 1: the header needs a {need} column")
    where = {i: columns.index(known[h.casefold()]) for i, h in enumerate(header) if h}
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
            raise CsvError(f"{path} row {n}: more values than the header has columns")
        cells: list[object] = [None] * len(columns)
        for i, text in enumerate(row):
            if i in where:
                value = csv_value(text)
                # Ratio ("2-for-1"), Event, Category, Ref and Note stay text as typed
                if columns[where[i]] in ("Ratio", "Event", "Category", "Ref", "Note") and value is not None:
                    value = text.strip()
                cells[where[i]] = value
        out.append(cells)
    return out


def _write_cell(ws, r: int, c: int, value: object, fmt) -> None:
    if value is None:
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, datetime):
        ws.write_datetime(r, c, value, fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, c, value, fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


def _terms_sheet(wb, f, preset: str | None, names: dict[str, str], performance: bool,
                 given: dict[str, object] | None = None) -> None:
    ws = wb.add_worksheet("Warrant")
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 34)
    ws.set_column(2, 2, 100)
    ws.write(0, 0, "Warrant terms and answers", f["title"])
    ws.write_row(1, 0, ["Term", "Value", "Meaning"], f["header"])
    required = set(ADJUST_REQUIRED) | set(EXERCISE_REQUIRED)
    preset_values = {**_preset_values(preset), **(given or {})}
    first = 2
    for i, (label, (_field, kind)) in enumerate(TERMS_LABELS.items()):
        r = first + i
        ws.write(r, 0, label, f["required"] if label in required else f["label"])
        fmt = f[_KIND_FORMAT.get(kind, "input")]
        value = preset_values.get(label)
        if value is None:
            ws.write_blank(r, 1, None, fmt)
        elif isinstance(value, datetime):
            ws.write_datetime(r, 1, value, fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(r, 1, value, fmt)
        else:
            ws.write_string(r, 1, value, f["input_wrap"] if "\n" in value else fmt)
            if "\n" in value:       # every line of an address visible (wrapped rows do not grow by themselves)
                ws.set_row(r, 15 * (value.count("\n") + 1))
        note = TERMS_NOTES.get(label, "")
        if label in ADJUST_REQUIRED:
            note = "Required. " + note
        elif label in EXERCISE_REQUIRED:
            note = "Required to judge exercisability. " + note
        ws.write(r, 2, note, f["note"])
        if label in TERMS_CHOICES:
            _list(ws, r, 1, TERMS_CHOICES[label])
    last = first + len(TERMS_LABELS) - 1
    names["Terms"] = f"Warrant!$A${first + 1}:$B${last + 1}"

    r = last + 2
    ws.write(r, 0, "As Of", f["required"])
    _write_cell(ws, r, 1, (given or {}).get(AS_OF_LABEL), f["input_date"])
    ws.write(r, 2, "The date the answers are for: every event on or before it counts.", f["note"])
    names["AsOf"] = f"Warrant!$B${r + 1}"

    tests = "Tests" if performance else '""'
    facts = "Facts" if performance else '""'
    r += 2
    ws.write_row(r, 0, ["Answer", "Value", "Formula"], f["header"])
    answers = [
        ("Per Share Exercise Price", "=WARRANT_PRICE(Terms,Events,AsOf)", f["price"]),
        ("Warrant Shares", "=WARRANT_SHARES(Terms,Events,AsOf)", f["shares"]),
        ("Exercisable", f"=WARRANT_EXERCISABLE(Terms,{tests},AsOf,{facts})", None),
        ("Status", f"=WARRANT_STATUS(Terms,{tests},AsOf,{facts})", f["wrap"]),
    ]
    for i, (label, formula, fmt) in enumerate(answers, start=r + 1):
        ws.write(i, 0, label)
        ws.write_dynamic_array_formula(i, 1, i, 1, formula, fmt)
        ws.write_string(i, 2, formula[1:], f["note"])
    names["KeyResults"] = f"Warrant!$A${r + 2}:$B${r + 1 + len(answers)}"   # what `warrants recalc` prints
    r += len(answers) + 2
    ws.write(r, 0, "Terms used (WARRANT_TERMS: label, value, source)", f["required"])
    rows = 1 + len(TERMS_LABELS) + (1 if preset else 0)   # header, every label (and the preset's tests)
    ws.write_dynamic_array_formula(r + 1, 0, r + rows, 2, "=WARRANT_TERMS(Terms)")
    ws.freeze_panes(2, 0)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)       # printed one page wide


def _events_sheet(wb, f, names: dict[str, str], events: list[list[object]] | None = None) -> None:
    ws = wb.add_worksheet("Events")
    headers = list(EVENTS_COLUMNS)
    for c, h in enumerate(headers):
        ws.set_column(c, c, EVENT_WIDTHS.get(h, 14))
    ws.write_row(0, 0, headers, f["header"])
    events = events or []
    last = max(EVENT_ROWS, len(events) + EVENT_ROWS // 4)   # room to type more below the CSV's rows
    kinds = {"Date": "input_date", "Shares": "input_number", "Consideration": "input_number",
             "Additional Consideration": "input_number", "Outstanding": "input_int", "Price": "input_number"}
    for c, h in enumerate(headers):
        fmt = f[kinds.get(h, "input")]
        ws.set_column(c, c, EVENT_WIDTHS.get(h, 14), fmt)
        for r in range(1, last + 1):    # the cells themselves carry the format too (not only the column)
            _write_cell(ws, r, c, events[r - 1][c] if r <= len(events) else None, fmt)
    _list(ws, 1, headers.index("Event"), list(EVENT_KINDS), last)
    _list(ws, 1, headers.index("Category"), [c for c in CATEGORIES if c], last)
    ws.freeze_panes(1, 0)
    names["Events"] = f"Events!$A$1:${chr(64 + len(headers))}${last + 1}"
    ws.write(0, len(headers) + 1, "One row per event, oldest first (docs/catalog.md: columns per event kind). "
                                  "Columns to the right with a blank header are yours.", f["note"])
    ws.set_column(len(headers) + 1, len(headers) + 1, 60)

    adj = wb.add_worksheet("Adjustments")
    adj.write(0, 0, "Every event's adjustment with its clause (WARRANT_ADJUSTMENTS spills below)", f["title"])
    widths = [12, 18, 12, 16, 14, 14, 16, 16, 90]
    for c, w in enumerate(widths):
        adj.set_column(c, c, w)
    adj.set_column(4, 5, 14, f["price"])
    adj.set_column(6, 7, 16, f["shares"])
    adj.set_column(0, 0, 12, wb.add_format({"num_format": "yyyy-mm-dd"}))
    adj.write_dynamic_array_formula(2, 0, 2, 0, "=WARRANT_ADJUSTMENTS(Terms,Events,AsOf)")


def _exercise_sheet(wb, f, names: dict[str, str], performance: bool) -> None:
    ws = wb.add_worksheet("Exercise")
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 2, 60)
    ws.write(0, 0, "Exercise", f["title"])
    kinds = {"Exercise Date": "input_date", "Payment Date": "input_date", "Surrendered Shares Acquired": "input_date",
             "Shares": "input_number", "Cash Paid": "input_number", "Fair Value": "input_number",
             "Surrender Lot Shares": "input_int"}
    notes = {"Exercise Date": "Required.", "Shares": "A number, or ALL (blank = all that remain).",
             "Method": "CASH, SURRENDER, MIXED or NET."}
    for i, label in enumerate(EXERCISE_LABELS, start=1):
        ws.write(i, 0, label, f["required"] if label == "Exercise Date" else f["label"])
        ws.write_blank(i, 1, None, f[kinds.get(label, "input")])
        ws.write(i, 2, notes.get(label, ""), f["note"])
    _list(ws, 1 + list(EXERCISE_LABELS).index("Method"), 1, list(METHODS))
    names["Exercise"] = f"Exercise!$A$2:$B${1 + len(EXERCISE_LABELS)}"

    r = len(EXERCISE_LABELS) + 2
    ws.write(r, 0, "Market (§5: cash for a fractional share)", f["required"])
    kinds = {"Quote Date": "input_date"}
    for i, label in enumerate(MARKET_LABELS, start=r + 1):
        ws.write(i, 0, label)
        ws.write_blank(i, 1, None, f[kinds.get(label, "input_number" if label != "Venue" else "input")])
    _list(ws, r + 1 + list(MARKET_LABELS).index("Venue"), 1, list(VENUES))
    names["Market"] = f"Exercise!$A${r + 2}:$B${r + 1 + len(MARKET_LABELS)}"

    r = r + len(MARKET_LABELS) + 2
    tests = "Tests" if performance else '""'
    facts = "Facts" if performance else '""'
    ws.write(r, 0, "Settlement (WARRANT_EXERCISE spills below)", f["required"])
    rows = len(EXERCISE_RESULT_LABELS)   # the settlement rows (no Detail)
    ws.write_dynamic_array_formula(r + 1, 0, r + rows, 1,
                                   f"=WARRANT_EXERCISE(Terms,Events,Exercise,Market,{tests},{facts})")


def _tests_sheet(wb, f, names: dict[str, str]) -> None:
    ws = wb.add_worksheet("Tests")
    for c, w in enumerate([26, 14, 16, 16, 14, 10]):
        ws.set_column(c, c, w)
    ws.write_row(0, 0, ["Test", "Comparator", "Threshold", "Actual", "Force Majeure", "Clause"], f["header"])
    for i, t in enumerate(D1_TESTS, start=1):
        ws.write(i, 0, t.name)
        ws.write_blank(i, 1, None, f["input"])     # blank: the terms' comparator and threshold
        ws.write_blank(i, 2, None, f["input_number"])
        ws.write_blank(i, 3, None, f["input_number"])
        ws.write_blank(i, 4, None, f["input"])
    _list(ws, 1, 1, list(COMPARATORS), len(D1_TESTS))
    _list(ws, 1, 4, YES_NO, len(D1_TESTS))
    names["Tests"] = f"Tests!$A$1:$E${1 + len(D1_TESTS)}"
    ws.write(len(D1_TESTS) + 2, 0, "Type each test's Actual as of the Test Date; Comparator and Threshold blank "
                                    "= the terms' own.", f["note"])
    r = len(D1_TESTS) + 4
    ws.write(r, 0, "Facts (§2(e); §2(f) Force Majeure periods: To blank = in progress)", f["required"])
    for i, label in enumerate(FACTS_LABELS, start=r + 1):
        ws.write(i, 0, label)
        ws.write_blank(i, 1, None, f["input_date"])
    ws.set_column(0, 0, 36)
    names["Facts"] = f"Tests!$A${r + 2}:$B${r + 1 + len(FACTS_LABELS)}"
    ws.write(r + len(FACTS_LABELS) + 2, 0, "Performance defaults (WARRANT_DEFAULTS spills below)", f["required"])
    top = r + len(FACTS_LABELS) + 3
    ws.write_dynamic_array_formula(top, 0, top + len(D1_TESTS), len(DEFAULTS_HEADER) - 1,
                                   "=WARRANT_DEFAULTS(Terms,Tests)")


def _how_to_sheet(wb, f) -> None:
    ws = wb.add_worksheet("How to use")
    ws.set_column(0, 0, 110, f["wrap"])
    for i, (text, style) in enumerate(HOW_TO):
        ws.write(i * 2, 0, text, f[style] if style else f["wrap"])


def new_workbook(path: Path | str, *, preset: str | None = None, terms: dict[str, object] | None = None,
                 events: list[list[object]] | None = None, extend=None) -> Path:
    """Write a starter workbook at ``path``; ``preset`` "D-1" fills the Preset term and adds Tests and Facts.

    ``terms`` ({label: cell}, e.g. from :func:`read_terms_csv`) and ``events`` (rows in the Events
    columns' order, from :func:`read_events_csv`) fill the book as it is written: the catalog
    formulas stay dynamic arrays (no program re-saves the book). ``extend(wb, formats, names)``,
    when given, fills in or adds sheets before the names are defined (``warrants import-ocf``
    writes the terms, events and its notes this way, addin/ocf/book.py).
    """
    import xlsxwriter

    if preset is not None and preset not in PRESETS:
        raise ValueError(f"--preset {preset!r}: known presets are {', '.join(PRESETS)}")
    path = Path(path)
    performance = preset == "D-1"       # D-1's exercisability turns on a Performance Default (§1(a))
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"title": "Warrant workbook", "author": "warrants new"})
    f = _formats(wb)
    names: dict[str, str] = {}
    _terms_sheet(wb, f, preset, names, performance, terms)
    _events_sheet(wb, f, names, events)
    _exercise_sheet(wb, f, names, performance)
    if performance:
        _tests_sheet(wb, f, names)
    _how_to_sheet(wb, f)
    if extend is not None:
        extend(wb, f, names)
    conf = wb.add_worksheet("xlwings.conf")
    conf.set_column(0, 0, 22)
    conf.set_column(1, 1, 30)
    conf.write(0, 0, "UDF Modules")
    conf.write(0, 1, "addin.excel.xl")
    for name, target in names.items():
        wb.define_name(name, "=" + target)
    wb.close()
    return path
