"""What a holder receives: the §4(i) certificate and the Exhibit A purchase form as documents.

A :class:`Document` is a list of blocks (title, paragraph, label | value |
detail fields, a table, a signature block). :mod:`addin.documents.macros` builds one
from the engine's answers; this module writes it two ways with the same text
and formats:

* :func:`write_pdf`: a print-ready PDF (ReportLab, BSD licence), US Letter
  portrait, every paragraph and cell wrapped to the page width;
* :func:`sheet_layout`: the cells, number formats, column widths, wrapping,
  merges and print area a macro writes on a new sheet (one page wide).

Numbers become text here only (a person's way of writing them): prices to six
decimals, or to the warrant's Price Increment, with the exact value beside;
shares with thousands separators; dates as "February 7, 2005" and moments as
"February 7, 2005, 5:00 p.m. New York time". Display rounding never feeds back
into a figure: the exact value is printed beside every rounded one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from engine.numbers import to_decimal

PRICE_PLACES = 6   # a rounded price shows six decimals unless the terms name a Price Increment
SHARE_PLACES = 6

# --------------------------------------------------------------------------- numbers and dates as text


def _decimal(value: Fraction | int | Decimal, places: int) -> Decimal:
    """``value`` to ``places`` decimals, ROUND_HALF_UP (display only: the exact value is printed beside)."""
    return to_decimal(Fraction(value), Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _terminating_places(value: Fraction) -> int | None:
    """Decimal places that write ``value`` exactly (at most 15), else None."""
    for places in range(16):
        if (value * 10**places).denominator == 1:
            return places
    return None


def increment_places(increment: Fraction | None) -> int:
    """Decimals a price is shown to: those of the Price Increment (e.g. 0.0001 -> 4), else six."""
    if increment is None:
        return PRICE_PLACES
    places = _terminating_places(Fraction(increment))
    return PRICE_PLACES if places is None else max(places, 2)


def exact(value: Fraction | int | Decimal, money: bool = False) -> str:
    """The exact value: "$0.0075", "161,290", "215,053 1/3", "$255/286"."""
    sign = "-" if value < 0 else ""
    cur = "$" if money else ""
    if isinstance(value, Decimal):
        return f"{sign}{cur}{abs(value):,f}"
    v = abs(Fraction(value))
    places = _terminating_places(v)
    if places is not None:
        return f"{sign}{cur}{_decimal(v, places):,f}"
    if money:
        return f"{sign}{cur}{v.numerator:,}/{v.denominator:,}"
    whole = v.numerator // v.denominator
    rest = v - whole
    return f"{sign}{whole:,} {rest.numerator}/{rest.denominator}" if whole else f"{sign}{rest.numerator}/{rest.denominator}"


def price_text(value: Fraction | int, increment: Fraction | None = None) -> str:
    """A per-share price as shown: "$0.891608" (six decimals, or the Price Increment's)."""
    places = increment_places(increment)
    return ("-" if value < 0 else "") + f"${_decimal(abs(Fraction(value)), places):,f}"


def price_format(increment: Fraction | None = None) -> str:
    """The Excel number format that shows a price as :func:`price_text` does."""
    return "$#,##0." + "0" * increment_places(increment)


def shares_text(value: Fraction | int) -> str:
    """A share count: "1,100,000", "49,596.595", or "215,053.333333" (six decimals) when it does not
    terminate sooner (the exact value goes beside)."""
    v = Fraction(value)
    places = _terminating_places(abs(v))
    places = SHARE_PLACES if places is None else min(places, SHARE_PLACES)
    return ("-" if v < 0 else "") + f"{_decimal(abs(v), places):,f}"


def shares_format(value: Fraction | int) -> str:
    """The Excel number format showing a share count as :func:`shares_text` does."""
    return "#,##0" if Fraction(value).denominator == 1 else "#,##0." + "#" * SHARE_PLACES


def is_shown_exactly(value: Fraction | int | Decimal, places: int) -> bool:
    """True when ``places`` decimals write ``value`` exactly (no "exact:" note needed beside it)."""
    return (Fraction(value) * 10**places).denominator == 1


def money_text(value: Fraction | int | Decimal) -> str:
    """Cash: "$1,612.90" (the engine has already rounded cash to the cent where the contract says)."""
    v = Fraction(value)
    places = _terminating_places(v)
    if places is not None and places <= 2:
        return ("-" if v < 0 else "") + f"${_decimal(abs(v), 2):,f}"
    return exact(value, money=True)


MONEY_FORMAT = "$#,##0.00"


def date_text(value: date | None) -> str:
    """ "February 7, 2005"."""
    if value is None:
        return ""
    return f"{value:%B} {value.day}, {value.year}"


def zone_words(zone: str) -> str:
    """ "America/New_York" -> "New York time"; "UTC" -> "UTC"."""
    if zone.upper() in ("UTC", "ETC/UTC", "GMT"):
        return zone.upper()
    return zone.rsplit("/", 1)[-1].replace("_", " ") + " time"


def time_text(value: time) -> str:
    """ "5:00 p.m.", "12:00 noon", "12:00 midnight", "9:30 a.m."."""
    if value.hour == 12 and value.minute == 0:
        return "12:00 noon"
    if value.hour == 0 and value.minute == 0:
        return "12:00 midnight"
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'a.m.' if value.hour < 12 else 'p.m.'}"


def moment_text(value: datetime | None, zone: str = "") -> str:
    """ "February 7, 2005, 5:00 p.m. New York time" (``zone`` an IANA name, or the datetime's own)."""
    if value is None:
        return ""
    zone = zone or (getattr(value.tzinfo, "key", "") if value.tzinfo else "")
    return f"{date_text(value)}, {time_text(value.time())}" + (f" {zone_words(zone)}" if zone else "")


def value_text(value: Any) -> str:
    """Any term's value as text for the terms table."""
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, Fraction, Decimal)):
        return exact(value)
    if isinstance(value, datetime) and value.time() != time():
        return moment_text(value)
    if isinstance(value, date):
        return date_text(value)
    if isinstance(value, time):
        return time_text(value)
    if isinstance(value, (tuple, list)):
        names = [getattr(v, "name", str(v)) for v in value]
        return "; ".join(names) if names else "none"
    return " ".join(str(value).split())


# --------------------------------------------------------------------------- the document model

@dataclass(frozen=True)
class Field:
    """One "label | value | detail" line. ``value``/``number_format`` is what the sheet cell holds."""

    label: str
    text: str
    detail: str = ""
    value: Any = None
    number_format: str | None = None


@dataclass(frozen=True)
class Block:
    kind: str                       # title | subtitle | heading | para | small | fields | table | signature | space
    text: str = ""
    fields: tuple[Field, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()   # table: header first
    lines: tuple[str, ...] = ()              # subtitle / signature lines


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, kind: str, text: str = "", **kw: Any) -> "Document":
        self.blocks.append(Block(kind, text, **kw))
        return self

    def text(self) -> str:
        """Every word of the document in reading order (tests and the sheet read the same)."""
        out: list[str] = [self.title]
        for b in self.blocks:
            out += [b.text] if b.text else []
            out += list(b.lines)
            out += [" ".join(x for x in (f.label, f.text, f.detail) if x) for f in b.fields]
            out += [" | ".join(r) for r in b.rows]
        return "\n".join(out)


# --------------------------------------------------------------------------- the sheet version

SHEET_WIDTHS = {1: 34, 2: 24, 3: 38}   # characters; about 96 in all, one portrait page at 100%
_SHEET_CHARS = sum(SHEET_WIDTHS.values())


@dataclass(frozen=True)
class SheetCell:
    row: int
    col: int
    value: Any
    number_format: str | None = None
    bold: bool = False
    wrap: bool = False
    size: int | None = None
    merge_to: int | None = None     # last column of a merge across the row
    height: float | None = None     # row height in points (wrapped merged text never auto-fits)


MAX_ROW_HEIGHT = 409.0   # points: Excel's largest row height (a taller row is refused when the book opens)


def _row_height(lines: int) -> float:
    """15 points a line, at most Excel's 409 (a longer text scrolls inside its cell; the PDF prints it all)."""
    return min(15.0 * lines, MAX_ROW_HEIGHT)


def _lines_needed(text: str, chars: int) -> int:
    n = 0
    for para in str(text).split("\n"):
        n += max(1, -(-len(para) // max(chars, 1)))
    return n


def sheet_layout(doc: Document) -> tuple[list[SheetCell], dict[int, float], int]:
    """Cells, column widths and the last row of ``doc`` on a sheet three columns wide."""
    cells: list[SheetCell] = []
    r = 1
    wide = max(SHEET_WIDTHS)
    cells.append(SheetCell(r, 1, doc.title, bold=True, size=14, merge_to=wide))
    r += 1
    for b in doc.blocks:
        if b.kind == "space":
            r += 1
        elif b.kind in ("para", "small", "heading", "title"):
            h = _row_height(_lines_needed(b.text, int(_SHEET_CHARS * 1.1)))
            cells.append(SheetCell(r, 1, b.text, bold=b.kind in ("heading", "title"), wrap=True, merge_to=wide,
                                   height=h, size=9 if b.kind == "small" else None))
            r += 1
        elif b.kind in ("subtitle", "signature"):
            for line in b.lines:
                cells.append(SheetCell(r, 1, line, bold=b.kind == "subtitle" and line == b.lines[0]))
                r += 1
        elif b.kind == "fields":
            for f in b.fields:
                value = f.value if f.value is not None else f.text
                span = not f.detail and f.value is None      # text with nothing beside it uses both columns
                room = SHEET_WIDTHS[2] + (SHEET_WIDTHS[3] if span else 0)
                lines = max(_lines_needed(f.label, SHEET_WIDTHS[1]), _lines_needed(str(value), room),
                            _lines_needed(f.detail, SHEET_WIDTHS[3]))
                cells.append(SheetCell(r, 1, f.label, wrap=True, height=_row_height(lines) if lines > 1 else None))
                cells.append(SheetCell(r, 2, value, number_format=f.number_format, wrap=f.value is None,
                                       merge_to=3 if span else None))
                if f.detail:
                    cells.append(SheetCell(r, 3, f.detail, wrap=True))
                r += 1
        elif b.kind == "table":
            for i, row in enumerate(b.rows):
                lines = max(_lines_needed(v, SHEET_WIDTHS.get(j + 1, 20)) for j, v in enumerate(row))
                for j, v in enumerate(row, start=1):
                    cells.append(SheetCell(r, j, v, bold=i == 0, wrap=True,
                                           height=_row_height(lines) if (lines > 1 and j == 1) else None))
                r += 1
        else:  # pragma: no cover - a new block kind must be laid out here
            raise AssertionError(b.kind)
    return cells, dict(SHEET_WIDTHS), r - 1


# --------------------------------------------------------------------------- the PDF version

# DejaVu Sans (Debian/Ubuntu fonts-dejavu-core; Fedora dejavu-sans-fonts; free licence, embeddable):
# Latin, Greek, Cyrillic, Armenian, Georgian, symbols. Where it is not installed, Bitstream Vera,
# shipped inside ReportLab (the same design, fewer characters). Either is embedded in the PDF.
DEJAVU_FOLDERS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu-sans-fonts",
                  "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF", "/usr/local/share/fonts",
                  "/Library/Fonts", str(Path.home() / "Library" / "Fonts"), "C:/Windows/Fonts")


def font_files() -> tuple[str, Path, Path]:
    """(name, regular, bold) of the font the PDFs embed: DejaVu Sans where installed, else Vera."""
    for folder in map(Path, DEJAVU_FOLDERS):
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return "DejaVuSans", regular, bold
    import reportlab  # noqa: PLC0415
    folder = Path(reportlab.__file__).parent / "fonts"
    return "Vera", folder / "Vera.ttf", folder / "VeraBd.ttf"


def _fonts() -> tuple[str, str]:
    """The registered (regular, bold) font names: an embedded Unicode font (:func:`font_files`); it has
    §, ≈, ≤, ≥ and … that Helvetica lacks."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name, regular, bold = font_files()
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(regular)))
        pdfmetrics.registerFont(TTFont(name + "-Bold", str(bold)))
    return name, name + "-Bold"


class UnprintableText(ValueError):
    """A character the PDF cannot print as written: the message names it and where it is."""


def check_printable(doc: "Document", footer: str = "") -> None:
    """Refuse (:class:`UnprintableText`) a document holding a character the embedded font has no
    glyph for (an emoji, a script the font lacks) or right-to-left text (Hebrew, Arabic: ReportLab
    would print its letters in the wrong order, Arabic unjoined), naming the character and the text
    it is in: nothing vanishes silently and nothing prints reversed. The sheet copy shows them."""
    import unicodedata  # noqa: PLC0415

    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415
    regular, bold = _fonts()
    glyphs = [pdfmetrics.getFont(f).face.charToGlyph for f in (regular, bold)]
    name = font_files()[0]
    for where, text in _texts(doc, footer):
        for ch in dict.fromkeys(_plain_text(text)):
            if ch in "\n\t":
                continue
            code = f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"
            snippet = " ".join(text.split())
            snippet = snippet if len(snippet) <= 60 else snippet[:57] + "..."
            if unicodedata.bidirectional(ch) in ("R", "AL", "AN"):
                raise UnprintableText(f"{where} {snippet!r}: {code} is right-to-left text, which the PDF cannot "
                                      f"print in its right order; write it in Latin letters for the PDF (the sheet "
                                      f"copy keeps it as typed)")
            # beyond U+FFFF (emoji and the like) ReportLab's font subsetting prints another character
            # (U+1F600 came out as U+1F60): refused whatever the font's table says
            if ord(ch) > 0xFFFF or not all(ord(ch) in g for g in glyphs):
                raise UnprintableText(f"{where} {snippet!r}: {code} has no glyph in the embedded font ({name}), "
                                      f"so the PDF cannot print it; remove or replace it (the sheet copy keeps it "
                                      f"as typed)")


def _texts(doc: "Document", footer: str):
    yield "Title", doc.title
    for b in doc.blocks:
        if b.text:
            yield b.kind.capitalize(), b.text
        for line in b.lines:
            yield "Line", line
        for f in b.fields:
            for text in (f.label, f.text, f.detail):
                if text:
                    yield f"Field {f.label!r}:", text
        for row in b.rows:
            for text in row:
                if text:
                    yield f"Table row {row[0]!r}:", text
    if footer:
        yield "Footer", footer


def _plain_text(text: str) -> str:
    for a, b in _REPLACE.items():
        text = text.replace(a, b)
    return text


_REPLACE = {"→": "->", "\u2009": " ", "\u00a0": " ", "\t": " "}


def _markup(text: str) -> str:
    from xml.sax.saxutils import escape

    for a, b in _REPLACE.items():
        text = text.replace(a, b)
    return escape(text).replace("\n", "<br/>")


def write_pdf(doc: Document, path: Path | str, *, footer: str = "") -> None:
    """Write ``doc`` as a PDF: US Letter portrait, 0.75 in margins, wrapped text, page numbers."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    check_printable(doc, footer)     # before the first byte: a refusal leaves no file
    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5, spaceAfter=5)
    cell = ParagraphStyle("cell", parent=body, spaceAfter=0)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#404040"))
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=15, leading=19, spaceAfter=4)
    heading = ParagraphStyle("heading", parent=body, fontName=bold, fontSize=10.5, leading=14, spaceBefore=6)
    label = ParagraphStyle("label", parent=cell, fontName=bold)
    line = ParagraphStyle("line", parent=cell, leading=13)
    width = LETTER[0] - 1.5 * inch

    def p(text: str, style=body) -> Paragraph:
        return Paragraph(_markup(text), style)

    grid_style = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 4), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)])
    story: list[Any] = [p(doc.title, title)]
    pending_heading: list[Any] = []
    for b in doc.blocks:
        if b.kind == "space":
            story.append(Spacer(1, 6))
        elif b.kind in ("heading", "title"):
            pending_heading = [p(b.text, heading)]     # kept with what follows it
            continue
        elif b.kind == "para":
            story.append(KeepTogether(pending_heading + [p(b.text)]) if pending_heading else p(b.text))
        elif b.kind == "small":
            story.append(KeepTogether(pending_heading + [p(b.text, small)]) if pending_heading else p(b.text, small))
        elif b.kind in ("subtitle", "signature"):
            if b.kind == "subtitle":
                flow = [p(text, label if i == 0 else line) for i, text in enumerate(b.lines)] + [Spacer(1, 6)]
            else:   # room to sign on each line
                flow = [Spacer(1, 10)] + [x for text in b.lines for x in (p(text, line), Spacer(1, 9))]
            story.append(KeepTogether(pending_heading + flow))
        elif b.kind == "fields":
            data = [[p(f.label, label), p(f.text, cell), p(f.detail, small)] for f in b.fields]
            t = Table(data, colWidths=[width * 0.34, width * 0.28, width * 0.38], hAlign="LEFT", splitInRow=1)
            t.setStyle(TableStyle(list(grid_style.getCommands()) + [   # a value with no detail may use both
                ("SPAN", (1, i), (2, i)) for i, f in enumerate(b.fields) if not f.detail]))
            story.append(KeepTogether(pending_heading + [t]) if pending_heading else t)
        elif b.kind == "table":
            n = len(b.rows[0])
            data = [[p(v, label if i == 0 else cell) for v in row] for i, row in enumerate(b.rows)]
            shares = {2: [0.4, 0.6], 3: [0.30, 0.38, 0.32]}.get(n, [1 / n] * n)
            t = Table(data, colWidths=[width * s for s in shares], repeatRows=1, hAlign="LEFT", splitInRow=1)
            t.setStyle(TableStyle(list(grid_style.getCommands()) + [
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F2F2F2")])]))
            story.extend(pending_heading + [t])
        else:  # pragma: no cover
            raise AssertionError(b.kind)
        pending_heading = []

    def page(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.drawString(0.75 * inch, 0.5 * inch, _markup_plain(footer))
        canvas.drawRightString(LETTER[0] - 0.75 * inch, 0.5 * inch, f"Page {document.page}")
        canvas.restoreState()

    out = SimpleDocTemplate(str(path), pagesize=LETTER, leftMargin=0.75 * inch, rightMargin=0.75 * inch,
                            topMargin=0.75 * inch, bottomMargin=0.75 * inch, title=doc.title,
                            author="warrants", subject=footer, creator="warrants (ReportLab)",
                            invariant=1)
    out.build(story, onFirstPage=page, onLaterPages=page)


def _markup_plain(text: str) -> str:
    for a, b in _REPLACE.items():
        text = text.replace(a, b)
    return text
