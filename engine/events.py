"""The capital-events ledger of §4: one frozen class per event kind, and the parser.

Rows arrive as mappings keyed by :data:`EVENT_COLUMNS` (the add-in converts the
Excel ``events`` table to these). Share counts and considerations are
aggregates, never per share. Every parse error names the table, the row, the
column and the value.
"""
from __future__ import annotations

import re
from operator import attrgetter
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Callable, ClassVar, Mapping, Sequence, Union

from . import errors
from .numbers import exact, share_count

EVENT_KINDS = (
    "SPLIT", "COMBINATION", "STOCK_DIVIDEND", "RIGHTS_DIVIDEND", "ISSUE", "OPTIONS", "CONVERTIBLE",
    "AMEND", "EXPIRE", "TREASURY", "MERGER", "EXERCISE", "OTHER",
)
EVENT_COLUMNS = (
    "date", "event", "shares", "ratio", "consideration", "additional_consideration",
    "outstanding", "category", "ref", "price", "note",
)
COLUMN_LABELS = {
    "date": "Date", "event": "Event", "shares": "Shares", "ratio": "Ratio", "consideration": "Consideration",
    "additional_consideration": "Additional Consideration", "outstanding": "Outstanding",
    "category": "Category", "ref": "Ref", "price": "Price", "note": "Note",
}
CATEGORIES = ("", "MANAGEMENT", "SERIES_D", "EXCLUDED")

# Same-day events apply in the order of their rows (a stable sort by date: the rows are the
# user's record of what happened first, the holder's EXERCISE included; events given through the
# API keep their list order). Only a MERGER keeps a fixed place: it closes the day, so that all of
# the day's Common Stock events are the predecessor's.

_RATIO = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*-?\s*(?:for|:|/)\s*-?\s*(\d+(?:\.\d+)?)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Base:
    date: date
    row: int | None
    note: str
    outstanding: Fraction | None  # stated Common outstanding immediately before the event


@dataclass(frozen=True, slots=True)
class Resize(_Base):
    """SPLIT or COMBINATION, N new shares for every M old (§4(b))."""
    new: Fraction
    old: Fraction

    @property
    def kind(self) -> str:
        return "SPLIT" if self.new > self.old else "COMBINATION"


@dataclass(frozen=True, slots=True)
class StockDividend(_Base):
    """STOCK_DIVIDEND of ``shares`` Common, or RIGHTS_DIVIDEND deemed one of the rights' maximum (§4(c)).

    A RIGHTS_DIVIDEND's ``ref`` names the rights: an ISSUE with that Ref is their exercise, an
    EXPIRE their lapse.
    """
    shares: Fraction
    rights: bool = False
    ref: str = ""

    @property
    def kind(self) -> str:
        return "RIGHTS_DIVIDEND" if self.rights else "STOCK_DIVIDEND"


@dataclass(frozen=True, slots=True)
class Issue(_Base):
    """ISSUE of ``shares`` Common for an aggregate ``consideration`` (§4(d), §4(f)(i))."""
    kind: ClassVar[str] = "ISSUE"
    shares: Fraction
    consideration: Fraction
    category: str
    ref: str  # when it names an earlier grant: the exercise or conversion of it (§4(e)(i))


@dataclass(frozen=True, slots=True)
class Grant(_Base):
    """OPTIONS or CONVERTIBLE: deemed issue of ``shares`` (the maximum) (§4(e), §4(f)(ii))."""
    convertible: bool
    ref: str
    shares: Fraction
    consideration: Fraction
    additional: Fraction
    category: str

    @property
    def kind(self) -> str:
        return "CONVERTIBLE" if self.convertible else "OPTIONS"


@dataclass(frozen=True, slots=True)
class Amend(_Base):
    """AMEND of grant ``ref``: new maximum shares and/or considerations (§4(e)(ii)); blank keeps the old."""
    kind: ClassVar[str] = "AMEND"
    ref: str
    shares: Fraction | None
    consideration: Fraction | None
    additional: Fraction | None


@dataclass(frozen=True, slots=True)
class Expire(_Base):
    """EXPIRE of grant ``ref`` unexercised."""
    kind: ClassVar[str] = "EXPIRE"
    ref: str


@dataclass(frozen=True, slots=True)
class Treasury(_Base):
    """TREASURY: ``shares`` come to be held by the Company and leave the outstanding count (§4(g)(i))."""
    kind: ClassVar[str] = "TREASURY"
    shares: Fraction


@dataclass(frozen=True, slots=True)
class Merger(_Base):
    """MERGER: N successor units for every M Common shares, plus ``cash`` per Common share (§4(b))."""
    kind: ClassVar[str] = "MERGER"
    new: Fraction
    old: Fraction
    successor: str
    cash: Fraction | None


@dataclass(frozen=True, slots=True)
class Exercise(_Base):
    """EXERCISE of ``shares`` Warrant Shares by the holder (§1(c)): later dates see the remainder."""
    kind: ClassVar[str] = "EXERCISE"
    shares: Fraction


@dataclass(frozen=True, slots=True)
class Other(_Base):
    """OTHER: the Board's equitable adjustment to ``price`` (§4(g)(ii)); the Note gives the reason."""
    kind: ClassVar[str] = "OTHER"
    price: Fraction


Event = Union[Resize, StockDividend, Issue, Grant, Amend, Expire, Treasury, Merger, Exercise, Other]

# The step that applies each kind of event: the one dispatch of the §4 drivers (the reference fold,
# engine.ledger; the trail, engine.trail; the register's compiler, engine.register). Each driver
# gives a table {step name: its function} to :func:`dispatch`.
STEPS = {Resize: "resize", StockDividend: "dividend", Issue: "issue", Grant: "grant", Amend: "recompute",
         Expire: "recompute", Treasury: "treasury", Merger: "merger", Exercise: "exercise", Other: "other"}


def dispatch(e: Event, steps: Mapping[str, Callable]) -> Callable:
    """The driver's function in ``steps`` for ``e``'s kind; an object of no event kind is refused."""
    name = STEPS.get(type(e))
    if name is None:
        raise errors.unsupported(e)
    return steps[name]


_DATE = attrgetter("date")


def sort_events(events: Sequence[Event]) -> tuple[Event, ...]:
    """Ledger order: a stable sort by date (same-day events keep their order), a MERGER last on its day."""
    ordered = sorted(events, key=_DATE)
    if any(type(e) is Merger for e in ordered):
        ordered.sort(key=lambda e: (e.date, type(e) is Merger))
    return tuple(ordered)


def parse_ratio(text: object, *, table: str = "Events", row: int | None = None) -> tuple[Fraction, Fraction]:
    """``"N-for-M"`` (also ``"N:M"``, ``"N for M"``) -> (N, M), both positive."""
    match = _RATIO.match(text) if isinstance(text, str) else None
    if not match:
        raise errors.ratio_not_written(text, table, row)
    new, old = Fraction(match.group(1)), Fraction(match.group(2))
    if new <= 0 or old <= 0:
        raise errors.ratio_not_positive(text, table, row)
    return new, old


def parse_events(rows: Sequence[Mapping[str, object]], *, table: str = "Events", first_row: int = 2) -> tuple[Event, ...]:
    """Rows of the events table -> typed events, in ledger order.

    Row ``i`` of ``rows`` is reported as row ``first_row + i`` (the header is row 1)
    unless the mapping carries its own ``"row"``.
    """
    events = [_parse_row(r, r.get("row", first_row + i), table) for i, r in enumerate(rows)]
    return sort_events(events)


def _parse_row(raw: Mapping[str, object], row: int, table: str) -> Event:
    unknown = [k for k in raw if k not in EVENT_COLUMNS and k != "row"]
    if unknown:
        raise errors.unknown_column(unknown[0], list(COLUMN_LABELS.values()), table, row)
    r = _Row(raw, row, table)
    day = r.date("date")
    kind = r.text("event").upper().replace(" ", "_").replace("-", "_")
    if kind not in EVENT_KINDS:
        raise errors.unknown_event_kind(r.raw("event"), EVENT_KINDS, table, row)
    base = dict(date=day, row=row, note=r.text("note"), outstanding=r.count("outstanding", whole=True))
    if kind in ("SPLIT", "COMBINATION"):
        new, old = parse_ratio(r.raw("ratio"), table=table, row=row)
        if kind == "SPLIT" and not new > old:
            raise errors.split_not_more(r.raw("ratio"), table, row)
        if kind == "COMBINATION" and not new < old:
            raise errors.combination_not_fewer(r.raw("ratio"), table, row)
        return Resize(**base, new=new, old=old)
    if kind in ("STOCK_DIVIDEND", "RIGHTS_DIVIDEND"):
        return StockDividend(**base, shares=r.count("shares", required=True, positive=True, whole=True, kind=kind),
                             rights=kind == "RIGHTS_DIVIDEND", ref=r.text("ref") if kind == "RIGHTS_DIVIDEND" else "")
    if kind == "ISSUE":
        return Issue(**base, shares=r.count("shares", required=True, positive=True, whole=True, kind=kind),
                     consideration=r.money("consideration", required=True),
                     category=r.category(), ref=r.text("ref"))
    if kind in ("OPTIONS", "CONVERTIBLE"):
        ref = r.text("ref")
        if not ref:
            raise errors.grant_ref_required(r.raw("ref"), kind, table, row)
        return Grant(**base, convertible=kind == "CONVERTIBLE", ref=ref,
                     shares=r.count("shares", required=True, positive=True),
                     consideration=r.money("consideration", required=True),
                     additional=r.money("additional_consideration") or Fraction(0), category=r.category())
    if kind == "AMEND":
        shares = r.count("shares", positive=True)
        consideration = r.money("consideration")
        additional = r.money("additional_consideration")
        if shares is None and consideration is None and additional is None:
            raise errors.amend_without_terms(r.raw("shares"), table, row)
        return Amend(**base, ref=r.ref(kind), shares=shares, consideration=consideration, additional=additional)
    if kind == "EXPIRE":
        return Expire(**base, ref=r.ref(kind))
    if kind == "TREASURY":
        return Treasury(**base, shares=r.count("shares", required=True, positive=True, whole=True, kind=kind))
    if kind == "MERGER":
        new, old = parse_ratio(r.raw("ratio"), table=table, row=row)
        successor = r.text("note")
        if not successor:
            raise errors.merger_without_successor(r.raw("note"), table, row)
        return Merger(**base, new=new, old=old, successor=successor, cash=r.money("price"))
    if kind == "EXERCISE":
        return Exercise(**base, shares=r.count("shares", required=True, positive=True))
    # OTHER
    price = r.money("price", required=True)
    if not base["note"]:
        raise errors.other_without_reason(r.raw("note"), table, row)
    return Other(**base, price=price)


class _Row:
    """Typed access to one raw row, with messages that name the row and column."""

    def __init__(self, raw: Mapping[str, object], row: int, table: str) -> None:
        self._raw, self.row, self.table = raw, row, table

    def raw(self, key: str) -> object:
        return self._raw.get(key)

    def text(self, key: str) -> str:
        v = self._raw.get(key)
        if v is None:
            return ""
        if not isinstance(v, str):
            raise errors.not_text(COLUMN_LABELS[key], v, self.table, self.row)
        return v.strip()

    def date(self, key: str) -> date:
        v = self._raw.get(key)
        if isinstance(v, datetime):
            return v.date()
        if isinstance(v, date):
            return v
        if isinstance(v, str) and v.strip():
            try:
                return date.fromisoformat(v.strip()[:10])
            except ValueError:
                pass
        raise errors.not_a_date(COLUMN_LABELS[key], v, self.table, self.row)

    def _number(self, key: str, required: bool) -> Fraction | None:
        v = self._raw.get(key)
        if v is None or (isinstance(v, str) and not v.strip()):
            if required:
                raise errors.required_for_event(COLUMN_LABELS[key], v, self.table, self.row)
            return None
        return exact(v, COLUMN_LABELS[key], table=self.table, row=self.row)

    def count(self, key: str, *, required: bool = False, positive: bool = False, whole: bool = False,
              kind: str = "") -> int | Fraction | None:
        """A share count; ``whole``: a whole number of shares, not negative (§2 of issue 8)."""
        raw = self._raw.get(key)
        label = COLUMN_LABELS[key]
        if isinstance(raw, str) and raw.strip().endswith("%"):
            if whole:
                raise errors.not_whole_shares(label, raw, kind, raw.strip(), self.table, self.row)
            raise errors.percentage_for_shares(label, raw, self.table, self.row)
        value = self._number(key, required)
        if value is not None:
            if whole and (value.denominator != 1 or value < 0):
                raise errors.not_whole_shares(label, raw, kind, value, self.table, self.row)
            if value < 0:
                raise errors.negative(label, raw, self.table, self.row)
            if positive and value == 0:
                raise errors.not_positive(label, raw, self.table, self.row)
            value = share_count(value)          # an int when whole (engine.numbers.share_count)
        return value

    def money(self, key: str, *, required: bool = False) -> Fraction | None:
        value = self._number(key, required)
        if value is not None and value < 0:
            raise errors.negative(COLUMN_LABELS[key], self._raw.get(key), self.table, self.row)
        return value

    def category(self) -> str:
        cat = self.text("category").upper().replace(" ", "_").replace("-", "_")
        if cat not in CATEGORIES:
            raise errors.unknown_category(self._raw.get("category"), [c for c in CATEGORIES if c], self.table, self.row)
        return cat

    def ref(self, kind: str) -> str:
        ref = self.text("ref")
        if not ref:
            raise errors.ref_names_no_grant(self._raw.get("ref"), kind, self.table, self.row)
        return ref


# --------------------------------------------------------------------------- §4(e)(ii) recomputation

def amended_terms(grant: Grant, amend: Amend) -> Grant:
    """The grant with an AMEND's new terms; a blank field keeps the old term."""
    return _regranted(grant, amend.shares if amend.shares is not None else grant.shares,
                      amend.consideration if amend.consideration is not None else grant.consideration,
                      amend.additional if amend.additional is not None else grant.additional)


def expired_terms(grant: Grant, issued: Fraction) -> Grant | None:
    """An expired grant counts only for the shares actually issued under it, at its per-share consideration."""
    if not issued:
        return None
    scale = issued / grant.shares
    return _regranted(grant, issued, grant.consideration * scale, grant.additional * scale)


def _regranted(g: Grant, shares: Fraction, consideration: Fraction, additional: Fraction) -> Grant:
    """``g`` with new shares and considerations (a constructor call: a §4(e)(ii) recomputation makes many)."""
    return Grant(g.date, g.row, g.note, g.outstanding, g.convertible, g.ref, shares, consideration, additional, g.category)


def alternative_history(prefix: Sequence[Event], ref: str, replacement: Grant | None) -> tuple[Event, ...]:
    """The ledger ``prefix`` as if every grant's current terms had applied from its grant (§4(e)(ii)).

    Each OPTIONS/CONVERTIBLE row is replaced by its terms as amended (or as expired) so far, the
    grant ``ref`` by ``replacement`` (``None`` drops it), and the AMEND/EXPIRE rows disappear, so
    the history folds in one pass (docs/interpretations.md, "Recomputation").
    """
    return AlternativeHistories(prefix).of(len(prefix), ref, replacement)


class AlternativeHistories:
    """:func:`alternative_history` of the growing prefixes of one ledger, as a fold reaches them.

    A fold asks for the history before each AMEND or EXPIRE in ledger order; the grants' terms so
    far are kept from one question to the next, so the ledger is read once, not once per question.
    """

    __slots__ = ("ledger", "done", "out", "at", "issued")

    def __init__(self, ledger: Sequence[Event]) -> None:
        self.ledger, self.done = ledger, 0
        self.out: list[Event | None] = []        # the history so far; None: a grant expired unexercised
        self.at: dict[str, int] = {}             # Ref -> the place of its (latest) grant in ``out``
        self.issued: dict[str, Fraction] = {}    # Ref -> shares issued under its grant so far

    def of(self, i: int, ref: str, replacement: Grant | None) -> tuple[Event, ...]:
        """``alternative_history(ledger[:i], ref, replacement)``."""
        if i < self.done:
            return AlternativeHistories(self.ledger).of(i, ref, replacement)
        out, at, issued = self.out, self.at, self.issued
        for e in self.ledger[self.done:i]:
            t = type(e)
            if t is Grant:
                at[e.ref] = len(out)
                issued.pop(e.ref, None)
                out.append(e)
            elif t is Amend or t is Expire:
                k = at.get(e.ref)
                if k is not None and out[k] is not None:
                    out[k] = amended_terms(out[k], e) if t is Amend else expired_terms(out[k], issued.get(e.ref, Fraction(0)))
            else:
                if t is Issue and e.ref in at and out[at[e.ref]] is not None:
                    issued[e.ref] = issued.get(e.ref, Fraction(0)) + e.shares
                out.append(e)
        self.done = i
        k = at.get(ref)
        if k is not None:
            out = out[:k] + [replacement] + out[k + 1:]     # the grant ``ref`` replaced in this history only
        return tuple(filter(None, out))          # None: a grant expired unexercised
