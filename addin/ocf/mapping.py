"""OCF history -> one warrant's terms and Events rows (docs/ocf.md: the mapping as built).

The work is traversal, not copying fields: OCF re-issues a security on every transfer, partial
cancellation, reissuance (a split's) and consolidation, so most ``TX_STOCK_ISSUANCE`` objects are
not new shares. Each security id is first classified (original / continuation / result of an
exercise or conversion / retracted), its *root* (the original grant) named; only then does an
object become a row. Every row's Note names its OCF object (``OCF TX_STOCK_ISSUANCE tx-15``);
every object that becomes no row is listed with the reason (the "OCF notes" sheet). What OCF
cannot decide is never guessed silently: such rows carry a Confirm reason, and the answers refuse
until the user confirms (types OK) or changes the row.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Mapping

from .reader import Item, OcfError, Package

# Relationships that suggest a management grant (only when the terms have a Management Cap).
MANAGEMENT_RELATIONSHIPS = frozenset({"EMPLOYEE", "NON_US_EMPLOYEE", "EXECUTIVE", "OFFICER", "BOARD_MEMBER",
                                      "CONSULTANT", "ADVISOR"})
EQUITY_COMP = ("TX_EQUITY_COMPENSATION_", "TX_PLAN_SECURITY_")
CONTINUING = {"TX_STOCK_TRANSFER", "TX_WARRANT_TRANSFER", "TX_CONVERTIBLE_TRANSFER", "TX_EQUITY_COMPENSATION_TRANSFER",
              "TX_PLAN_SECURITY_TRANSFER", "TX_STOCK_REISSUANCE"}
RESULTING = {"TX_EQUITY_COMPENSATION_EXERCISE", "TX_PLAN_SECURITY_EXERCISE", "TX_WARRANT_EXERCISE",
             "TX_CONVERTIBLE_CONVERSION", "TX_STOCK_CONVERSION", "TX_EQUITY_COMPENSATION_RELEASE",
             "TX_PLAN_SECURITY_RELEASE"}
NO_EFFECT = {
    "TX_STOCK_ACCEPTANCE": "an acceptance changes no count",
    "TX_WARRANT_ACCEPTANCE": "an acceptance changes no count",
    "TX_CONVERTIBLE_ACCEPTANCE": "an acceptance changes no count",
    "TX_EQUITY_COMPENSATION_ACCEPTANCE": "an acceptance changes no count",
    "TX_PLAN_SECURITY_ACCEPTANCE": "an acceptance changes no count",
    "TX_VESTING_START": "vesting: the maximum issuable counts, not what has vested (§4(e))",
    "TX_VESTING_EVENT": "vesting: the maximum issuable counts, not what has vested (§4(e))",
    "TX_VESTING_ACCELERATION": "vesting: the maximum issuable counts, not what has vested (§4(e))",
    "TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT": "authorising shares issues none",
    "TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT": "authorising shares issues none",
    "TX_STOCK_PLAN_POOL_ADJUSTMENT": "the unissued pool is not in the fully diluted count (docs/ocf.md)",
    "TX_STOCK_PLAN_RETURN_TO_POOL": "the unissued pool is not in the fully diluted count (docs/ocf.md)",
    "CE_STAKEHOLDER_RELATIONSHIP": "a stakeholder change event; exercise windows after termination are not modelled",
    "CE_STAKEHOLDER_STATUS": "a stakeholder change event; exercise windows after termination are not modelled",
}


def num(text: object, what: str, item: Item) -> Fraction:
    """An OCF Numeric (a decimal string) exactly; never a float."""
    try:
        return Fraction(Decimal(str(text)))
    except (InvalidOperation, ValueError):
        raise OcfError(f"{item.file}: item {item.id} ({item.type}): {what} {text!r} is not a number") from None


def ratio_value(r: object, what: str, item: Item) -> Fraction:
    """An OCF Ratio ``{numerator, denominator}`` as numerator/denominator, both positive, else refused."""
    if not isinstance(r, Mapping):
        raise OcfError(f"{item.file}: item {item.id} ({item.type}): {what} is missing")
    n, d = num(r.get("numerator"), what + ".numerator", item), num(r.get("denominator"), what + ".denominator", item)
    if n <= 0 or d <= 0:
        raise OcfError(f"{item.file}: item {item.id} ({item.type}): {what} {r.get('numerator')}/{r.get('denominator')} "
                       f"must have a positive numerator and denominator")
    return n / d


def ratio_text(r: Mapping) -> str:
    """``{"numerator": "2", "denominator": "1"}`` -> ``"2-for-1"`` from the Numeric strings (never ``3/2-for-1``)."""
    def clean(s: object) -> str:
        s = str(s).lstrip("+")
        return s.rstrip("0").rstrip(".") if "." in s else s
    return f"{clean(r['numerator'])}-for-{clean(r['denominator'])}"


@dataclass
class Row:
    """One Events row (aggregate amounts, as the engine wants them)."""
    date: date
    event: str
    note: str
    shares: Fraction | None = None
    ratio: str | None = None
    consideration: Fraction | None = None
    additional: Fraction | None = None
    category: str = ""
    ref: str = ""
    price: Fraction | None = None
    confirm: str = ""
    ocf_id: str = ""

    def cells(self) -> dict:
        """The row keyed by engine.EVENT_COLUMNS (blank columns left out)."""
        d = {"date": self.date, "event": self.event, "shares": self.shares, "ratio": self.ratio,
             "consideration": self.consideration, "additional_consideration": self.additional,
             "category": self.category or None, "ref": self.ref or None, "price": self.price, "note": self.note}
        return {k: v for k, v in d.items() if v is not None}


@dataclass
class Note:
    """An OCF object that became no row, and why."""
    object_type: str
    id: str
    date: str
    reason: str
    file: str = ""


@dataclass
class Grant:
    """A grant the Events carry (OPTIONS/CONVERTIBLE) under its root security id."""
    ref: str
    kind: str                    # OPTIONS / CONVERTIBLE
    date: date
    shares: Fraction | None      # maximum, grant-date units
    consideration: Fraction
    additional: Fraction
    issued: Fraction = Fraction(0)
    stock_class: str = ""        # preferred class (CONVERTIBLE from a stock issuance)
    held: Fraction = Fraction(0)  # preferred shares held (for ratio changes and repurchases)
    expiry: date | None = None
    ended: bool = False
    unit: Fraction = Fraction(1)  # shares of the warrant's class per OCF unit of the grant
    source: Item | None = None    # the issuance object (its lapse's Note names it)


@dataclass
class Mapped:
    warrant: Item
    common_class: str
    terms: dict                  # terms label -> value (str, date, Fraction, int)
    rows: list[Row]
    notes: list[Note]
    warnings: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)   # labels OCF cannot give and the user must
    ocf_version: str | None = None


def warrants(pkg: Package) -> list[Item]:
    """Every original warrant issuance of the package (continuations and retracted ones left out)."""
    t = _Traversal(pkg)
    found: dict[str, Item] = {}
    for it in pkg.transactions:
        sid = it.get("security_id")
        if it.type == "TX_WARRANT_ISSUANCE" and sid not in t.parent and sid not in t.retracted:
            found.setdefault(sid, it)
    return list(found.values())


def find_warrant(pkg: Package, key: str) -> Item:
    found = [it for it in pkg.transactions if it.type == "TX_WARRANT_ISSUANCE"
             and key in (it.get("security_id"), it.get("custom_id"), it.id)]
    if not found:
        known = ", ".join(f"{w.get('security_id')} ({w.get('custom_id')})" for w in warrants(pkg)) or "none"
        raise OcfError(f"--warrant {key!r}: no TX_WARRANT_ISSUANCE has that security_id, custom_id or id; "
                       f"the package's warrants: {known}")
    return found[0]


class _Traversal:
    """Continuations, results and retractions of every security id (docs/ocf.md, "Traversal")."""

    def __init__(self, pkg: Package) -> None:
        self.issuance: dict[str, Item] = {}
        self.parent: dict[str, tuple[str, str]] = {}      # sid -> (parent sid, why)
        self.result_of: dict[str, tuple[str, Item]] = {}  # sid -> (source sid, the exercise/conversion)
        self.retracted: dict[str, Item] = {}
        self.terminal: dict[str, list[Item]] = {}         # sid -> transactions that act on it
        for it in pkg.transactions:
            sid = it.get("security_id")
            if it.type.endswith("_ISSUANCE") and sid:
                self.issuance.setdefault(sid, it)
            if it.type.endswith("_RETRACTION") and sid:
                self.retracted[sid] = it
            if sid:
                self.terminal.setdefault(sid, []).append(it)
            bal = it.get("balance_security_id")
            if bal and bal != sid:
                self.parent[bal] = (sid, f"balance of {it.type} {it.id}")
            if it.type in CONTINUING:
                for r in it.get("resulting_security_ids") or ():
                    if r != sid:
                        self.parent[r] = (sid, f"{'split reissuance' if it.get('split_transaction_id') else 'resulting security'} of {it.type} {it.id}")
            if it.type == "TX_STOCK_CONSOLIDATION":
                ids = it.get("security_ids") or []
                if ids and it.get("resulting_security_id") not in ids:
                    self.parent[it.get("resulting_security_id")] = (ids[0], f"consolidation {it.id} of {', '.join(ids)}")
            if it.type in RESULTING:
                for r in it.get("resulting_security_ids") or ():
                    self.result_of[r] = (sid, it)
        # §4.4 of the mapping spec: an exercise has no balance id, so a remainder re-issued on the
        # exercise date is linked by rule. An option's remainder must match exactly (same holder, same
        # exercise price, the quantity left); a warrant's only by holder and date (platforms, and our
        # own export, re-issue it at the adjusted price and count), and it is reported as a warning.
        self.loose: dict[str, str] = {}
        for it in pkg.transactions:
            if it.type not in ("TX_WARRANT_EXERCISE", "TX_EQUITY_COMPENSATION_EXERCISE", "TX_PLAN_SECURITY_EXERCISE"):
                continue
            exercised = self.issuance.get(it.get("security_id"))
            src = self.issuance.get(self.root(it.get("security_id")))
            if src is None or exercised is None:
                continue
            for other in pkg.transactions:
                osid = other.get("security_id")
                if not (other.type == src.type and other.get("date") == it.get("date") and osid != src.get("security_id")
                        and other.get("stakeholder_id") == src.get("stakeholder_id") and osid not in self.parent
                        and osid not in self.result_of):
                    continue
                if it.type == "TX_WARRANT_EXERCISE":
                    self.loose[osid] = it.id
                elif not _same_remainder(exercised, it, other):
                    continue
                self.parent[osid] = (it.get("security_id"), f"remainder after {it.type} {it.id} (same holder, same date)")

    def root(self, sid: str | None) -> str | None:
        seen = set()
        while sid in self.parent and sid not in seen:
            seen.add(sid)
            sid = self.parent[sid][0]
        return sid


def map_warrant(pkg: Package, key: str, settings: Mapping[str, object] | None = None) -> Mapped:
    """The terms and Events of warrant ``key`` (security_id, custom_id or transaction id)."""
    return _Mapper(pkg, find_warrant(pkg, key), settings or {}).run()


class _Mapper:
    def __init__(self, pkg: Package, w: Item, settings: Mapping[str, object]) -> None:
        self.pkg, self.w, self.settings = pkg, w, settings
        self.t = _Traversal(pkg)
        self.W = w.get("security_id")
        self.currency = (w.get("exercise_price") or w.get("purchase_price") or {}).get("currency", "USD")
        self.C = self._common_class()
        self.rows: list[Row] = []
        self.notes: list[Note] = []
        self.warnings: list[str] = []
        self.grants: dict[str, Grant] = {}
        self.splits: list[tuple[date, Fraction]] = []
        self.ratios: dict[str, Fraction] = {}   # preferred class -> shares of C per share, today
        for cid, sc in pkg.stock_classes.items():
            r = self._class_ratio(sc)
            if r is not None:
                self.ratios[cid] = r
        self.management = settings.get("Management Cap") not in (None, "")

    # ------------------------------------------------------------------ helpers
    def _common_class(self) -> str:
        for trig in self.w.get("exercise_triggers") or ():
            cid = (trig.get("conversion_right") or {}).get("converts_to_stock_class_id")
            if cid:
                return cid
        commons = [cid for cid, sc in self.pkg.stock_classes.items() if sc.get("class_type") == "COMMON"]
        if len(commons) == 1:
            return commons[0]
        raise OcfError(f"{self.w.file}: item {self.w.id} (TX_WARRANT_ISSUANCE): exercise_triggers name no "
                       f"converts_to_stock_class_id and the package has {len(commons)} COMMON classes: "
                       f"cannot tell which class the warrant buys")

    def _class_ratio(self, sc: Item) -> Fraction | None:
        for right in sc.get("conversion_rights") or ():
            mech = right.get("conversion_mechanism") or {}
            if mech.get("type") == "RATIO_CONVERSION" and right.get("converts_to_stock_class_id") == self.C:
                return ratio_value(mech.get("ratio"), "conversion_rights.ratio", sc)
        return None

    def tag(self, it: Item) -> str:
        return f"OCF {it.type} {it.id}"

    def note(self, it: Item, reason: str) -> None:
        self.notes.append(Note(it.type, it.id, str(it.get("date", "")), reason, it.file))

    def row(self, it: Item, event: str, extra: str = "", **kw) -> Row:
        r = Row(date.fromisoformat(it.get("date")), event, self.tag(it) + (f": {extra}" if extra else ""),
                ocf_id=it.id, **kw)
        self.rows.append(r)
        return r

    def money(self, m: Mapping | None, what: str, it: Item) -> tuple[Fraction, str]:
        """(amount, a Confirm reason when its currency is not the warrant's)."""
        if not m:
            return Fraction(0), ""
        amount = num(m.get("amount"), what + ".amount", it)
        cur = m.get("currency")
        return amount, (f"{what} is in {cur}, the warrant in {self.currency}: OCF has no exchange rate; "
                        f"enter the amount in {self.currency}" if cur != self.currency else "")

    def splits_between(self, start: date, end: date) -> Fraction:
        """Product of the Common splits/combinations after ``start`` up to and including ``end``."""
        f = Fraction(1)
        for d, r in self.splits:
            if start < d <= end:
                f *= r
        return f

    def holder(self, sid_item: Item) -> str:
        sh = self.pkg.stakeholders.get(sid_item.get("stakeholder_id"))
        return ((sh.get("name") or {}).get("legal_name", "") if sh else "") or str(sid_item.get("stakeholder_id", ""))

    def management_reason(self, it: Item) -> str:
        if not self.management:
            return ""
        sh = self.pkg.stakeholders.get(it.get("stakeholder_id"))
        rels = set()
        if sh is not None:
            rels |= set(sh.get("current_relationships") or ())
            if sh.get("current_relationship"):
                rels.add(sh.get("current_relationship"))
        why = sorted(rels & MANAGEMENT_RELATIONSHIPS)
        if it.get("stock_plan_id"):
            why.append("granted under a stock plan")
        if it.get("issuance_type") == "RSA":
            why.append("a restricted stock award")
        if not why:
            return ""
        return (f"Category MANAGEMENT suggested ({', '.join(why)}; OCF records no category): keep it if this is a "
                f"management grant under the warrant's §4(a)(i)(A), else clear the Category")

    # ------------------------------------------------------------------ the pass
    def run(self) -> Mapped:
        order = sorted(range(len(self.pkg.transactions)), key=lambda i: self.pkg.transactions[i].get("date", ""))
        for i in order:                       # a stable sort: same-date objects keep their file order
            it = self.pkg.transactions[i]
            handler = getattr(self, "_" + it.type.lower(), None)
            if handler is None:
                handler = self._by_family(it.type)
            handler(it)
        self._lapses()
        terms, required = self._terms()
        return Mapped(self.w, self.C, terms, self.rows, self.notes, self.warnings + self.pkg.warnings, required,
                      self.pkg.ocf_version)

    def _by_family(self, t: str):
        if t.endswith("_RETRACTION"):
            return lambda it: self.note(it, "retracted: the issuance it voids is dropped from the Events")
        if t in CONTINUING or t == "TX_STOCK_CONSOLIDATION":
            return lambda it: self.note(it, "a transfer, reissuance or consolidation: the same shares continue under "
                                            "new security ids (never a new issuance)")
        if t in NO_EFFECT:
            return lambda it: self.note(it, NO_EFFECT[t])
        if t.startswith(EQUITY_COMP):
            suffix = t.split("_")[-1]
            return getattr(self, "_equity_" + suffix.lower(), lambda it: self.note(it, "not mapped"))
        return lambda it: self.note(it, f"{t} is not mapped to an event")

    def _skip_issuance(self, it: Item) -> bool:
        sid = it.get("security_id")
        first = self.t.issuance.get(sid)
        if first is not None and first is not it:
            self.note(it, f"security_id {sid} was already issued by {first.type} {first.id}: a security id names one "
                          f"security, so this duplicate is left out (check the export)")
            return True
        if sid == self.W:
            self.note(it, "the warrant itself: its terms are on the Warrant sheet")
            return True
        if sid in self.t.retracted:
            self.note(it, f"retracted by {self.t.retracted[sid].type} {self.t.retracted[sid].id}: dropped")
            return True
        if self.t.root(sid) in self.t.retracted:
            self.note(it, "continues a retracted issuance: dropped")
            return True
        if sid in self.t.parent:
            parent, why = self.t.parent[sid]
            if sid in self.t.loose:
                self.warnings.append(f"{it.file}: {it.id}: a warrant issued to the holder on the day of its exercise "
                                     f"{self.t.loose[sid]} is read as the remainder of {self.t.root(sid)} (OCF has no "
                                     f"balance id on an exercise); if it is a new warrant, add it to the Events")
            if self.t.root(sid) == self.W:
                self.note(it, f"continues the warrant itself ({why}): not an event")
            else:
                self.note(it, f"continuation of {self.t.root(sid)} ({why}): the same shares, not a new issuance")
            return True
        return False

    # stock
    def _tx_stock_issuance(self, it: Item) -> None:
        if self._skip_issuance(it):
            return
        sid, cls = it.get("security_id"), it.get("stock_class_id")
        qty = num(it.get("quantity"), "quantity", it)
        price, cur = self.money(it.get("share_price"), "share_price", it)
        if sid in self.t.result_of:
            src, how = self.t.result_of[sid]
            root = self.t.root(src)
            if root == self.W:
                self.note(it, f"shares issued on the warrant's own exercise ({how.type} {how.id}): the EXERCISE row counts them")
                return
            if cls == self.C:
                g = self.grants.get(root)
                if g is not None and not g.ended:
                    g.issued += qty
                    self.row(it, "ISSUE", f"issued on {how.type} {how.id} of {root}", shares=qty,
                             consideration=qty * price, ref=root, confirm=cur)
                else:
                    self.row(it, "ISSUE", f"issued on {how.type} {how.id} of {root}", shares=qty,
                             consideration=qty * price,
                             confirm=cur or f"issued on {how.type} {how.id} of {root}, which is not an OPTIONS or "
                                            f"CONVERTIBLE row here: counted as a new issue at its share price")
                return
        if cls == self.C:
            confirm = cur
            if price == 0:
                confirm = confirm or ("issued for no consideration: if this is a stock dividend (OCF has no object for "
                                      "one), change the Event to STOCK_DIVIDEND; otherwise it is an issue at $0 (a "
                                      "full ratchet goes to 0)")
            mgmt = self.management_reason(it)
            self.row(it, "ISSUE", shares=qty, consideration=qty * price, category="MANAGEMENT" if mgmt else "",
                     confirm=confirm or mgmt)
            return
        ratio = self.ratios.get(cls)
        if ratio is None:
            name = self.pkg.stock_classes.get(cls)
            self.note(it, f"stock class {name.get('name') if name else cls} does not convert into the warrant's class")
            return
        extra = f"{qty} shares of {self._class_name(cls)} × {ratio} (conversion ratio)"
        confirm = cur or (f"result of {self.t.result_of[sid][1].type} {self.t.result_of[sid][1].id}: a new "
                          f"CONVERTIBLE grant (check it does not repeat the converted security's row)"
                          if sid in self.t.result_of else "")
        self.grants[sid] = Grant(sid, "CONVERTIBLE", date.fromisoformat(it.get("date")), qty * ratio, qty * price,
                                 Fraction(0), stock_class=cls, held=qty)
        self.row(it, "CONVERTIBLE", extra, shares=qty * ratio, consideration=qty * price, additional=Fraction(0),
                 ref=sid, confirm=confirm)

    def _class_name(self, cls: str) -> str:
        sc = self.pkg.stock_classes.get(cls)
        return sc.get("name") if sc else cls

    def _tx_stock_class_split(self, it: Item) -> None:
        r = it.get("split_ratio") or {}
        ratio = ratio_value(r, "split_ratio", it)
        if it.get("stock_class_id") != self.C:
            self.note(it, f"a split of {self._class_name(it.get('stock_class_id'))}, not of the warrant's class "
                          f"(its conversion ratio changes carry any effect)")
            return
        if ratio == 1:
            self.note(it, "split ratio is not a change: ignored")
            return
        self.splits.append((date.fromisoformat(it.get("date")), ratio))
        self.row(it, "SPLIT" if ratio > 1 else "COMBINATION", ratio=ratio_text(r))

    def _tx_stock_class_conversion_ratio_adjustment(self, it: Item) -> None:
        cls = it.get("stock_class_id")
        mech = it.get("new_ratio_conversion_mechanism") or {}
        new = ratio_value(mech.get("ratio"), "new_ratio_conversion_mechanism.ratio", it)
        if cls not in self.ratios:
            self.note(it, f"{self._class_name(cls)} does not convert into the warrant's class")
            return
        self.ratios[cls] = new
        day = date.fromisoformat(it.get("date"))
        changed = False
        for g in self.grants.values():
            if g.stock_class != cls or g.ended:
                continue
            # AMEND in grant-date units: today's ratio undone by the Common splits since the grant; the
            # shares already issued on conversion stay in the maximum (§4(e)(ii) never goes below them).
            shares = g.issued + g.held * new / self.splits_between(g.date, day)
            if shares == g.shares:
                continue
            changed = True
            self.row(it, "AMEND", f"{g.held} shares of {self._class_name(cls)} × new ratio {new} in grant-date "
                                  f"units", shares=shares, ref=g.ref)
            g.shares = shares
        if not changed:
            self.note(it, "no held shares of the class change (the new ratio only mirrors a split of the warrant's class, "
                          "or none are held)")

    def _stock_out(self, it: Item, verb: str) -> None:
        sid = it.get("security_id")
        root = self.t.root(sid)
        src = self.t.issuance.get(sid) or self.t.issuance.get(root)
        qty = num(it.get("quantity"), "quantity", it)
        cls = src.get("stock_class_id") if src else None
        if cls == self.C:
            ok = qty.denominator == 1
            self.row(it, "TREASURY", f"{verb} of {qty} shares of {sid}", shares=qty,
                     confirm="" if ok else f"quantity {qty} is not whole: enter the whole shares that left the count")
            return
        g = self.grants.get(root)
        if g is None or g.ended or not g.held:
            self.note(it, f"{verb} of {sid}: not a security of the Events")
            return
        self._reduce(it, g, qty / g.held, f"{verb} of {qty} of {g.held} preferred shares held")
        g.held -= qty

    def _tx_stock_repurchase(self, it: Item) -> None:
        self._stock_out(it, "repurchase")

    def _tx_stock_cancellation(self, it: Item) -> None:
        self._stock_out(it, "cancellation")

    def _reduce(self, it: Item, g: Grant, fraction: Fraction, why: str) -> None:
        """A grant partly (AMEND to the rest) or wholly (EXPIRE) cancelled."""
        if g.shares is None:
            self.note(it, f"{why}: the grant {g.ref} has no maximum share count here")
            return
        keep = 1 - fraction
        left = g.shares * keep
        if left <= g.issued:
            g.ended = True
            self.row(it, "EXPIRE", why, ref=g.ref)
            return
        g.shares, g.consideration, g.additional = left, g.consideration * keep, g.additional * keep
        self.row(it, "AMEND", f"{why}: the remaining shares, considerations in proportion", shares=left,
                 consideration=g.consideration, additional=g.additional, ref=g.ref)

    def _tx_stock_conversion(self, it: Item) -> None:
        g = self.grants.get(self.t.root(it.get("security_id")))
        if g is not None and g.stock_class and it.get("quantity_converted") is not None:
            g.held -= num(it.get("quantity_converted"), "quantity_converted", it)   # later ratio changes see the rest
        self.note(it, "a conversion: its resulting issuances are the ISSUE rows")

    # warrants
    def _tx_warrant_issuance(self, it: Item) -> None:
        if self._skip_issuance(it):
            return
        sid = it.get("security_id")
        shares, why = self._warrant_quantity(it)
        price = (it.get("exercise_price") or {})
        cls = self._warrant_class(it)
        if cls not in (self.C, None) and cls not in self.ratios:
            self.note(it, f"a warrant for {self._class_name(cls)}, which does not convert into the warrant's class")
            return
        per = self.ratios.get(cls, Fraction(1)) if cls != self.C else Fraction(1)
        paid, cur = self.money(it.get("purchase_price"), "purchase_price", it)
        confirm = why or cur or self._rights_dividend(it)
        if not price:
            confirm = confirm or "no exercise_price in OCF (a valuation- or price-per-share-based warrant): enter the " \
                                 "Additional Consideration"
        ex = num(price["amount"], "exercise_price.amount", it) if price else None
        add = ex * shares if (ex is not None and shares is not None) else None
        g = Grant(sid, "OPTIONS", date.fromisoformat(it.get("date")), None if shares is None else shares * per, paid,
                  add or Fraction(0), expiry=_day(it.get("warrant_expiration_date")), unit=per, source=it)
        self.grants[sid] = g
        extra = f"warrant {it.get('custom_id', '')} of {self.holder(it)}" + (f", {shares} × ratio {per}" if per != 1 else "")
        self.row(it, "OPTIONS", extra, shares=g.shares, consideration=paid, additional=add, ref=sid, confirm=confirm)

    def _rights_dividend(self, it: Item) -> str:
        """Warrants given for nothing to several holders on one date may be a rights dividend (§4(c))."""
        same = {x.get("stakeholder_id") for x in self.pkg.transactions
                if x.type == "TX_WARRANT_ISSUANCE" and x.get("date") == it.get("date") and x.get("security_id") != self.W
                and x.get("security_id") not in self.t.parent
                and not num((x.get("purchase_price") or {}).get("amount", "0"), "purchase_price.amount", x)}
        paid = num((it.get("purchase_price") or {}).get("amount", "0"), "purchase_price.amount", it)
        if paid or len(same) < 2:
            return ""
        return (f"one of the warrants issued for no consideration to {len(same)} holders on {it.get('date')}: if they "
                f"are rights given to the Common holders (OCF has no rights dividend), replace them with one "
                f"RIGHTS_DIVIDEND row (§4(c)); otherwise each is a grant of OPTIONS")

    def _warrant_class(self, it: Item) -> str | None:
        for trig in it.get("exercise_triggers") or ():
            cid = (trig.get("conversion_right") or {}).get("converts_to_stock_class_id")
            if cid:
                return cid
        return None

    def _warrant_quantity(self, it: Item) -> tuple[Fraction | None, str]:
        """(maximum shares, a Confirm reason when OCF's count is not a fixed maximum)."""
        source = it.get("quantity_source") or "UNSPECIFIED"
        if it.get("quantity") is not None:
            q = num(it.get("quantity"), "quantity", it)
            if source in ("INSTRUMENT_FIXED", "UNSPECIFIED", "INSTRUMENT_MAX"):
                return q, ""
            return q, f"quantity_source {source}: the share count is not the instrument's fixed maximum"
        for trig in it.get("exercise_triggers") or ():
            mech = (trig.get("conversion_right") or {}).get("conversion_mechanism") or {}
            if mech.get("type") == "FIXED_AMOUNT_CONVERSION" and mech.get("converts_to_quantity"):
                return num(mech["converts_to_quantity"], "converts_to_quantity", it), ""
        return None, "no maximum share count in OCF: enter the maximum Shares (the answers refuse until then)"

    def _tx_warrant_exercise(self, it: Item) -> None:
        root = self.t.root(it.get("security_id"))
        if root != self.W:
            self.note(it, "an exercise of another warrant: its resulting stock issuance is the ISSUE row")
            return
        total, missing = Fraction(0), []
        for r in it.get("resulting_security_ids") or ():
            res = self.t.issuance.get(r)
            if res is None or res.type != "TX_STOCK_ISSUANCE":
                missing.append(r)
            else:
                total += num(res.get("quantity"), "quantity", res)
        if missing or not total:
            self.row(it, "EXERCISE", confirm=f"resulting security {', '.join(missing) or '(none)'} is not a stock "
                                             f"issuance of the package: enter the Shares exercised")
            return
        self.row(it, "EXERCISE", "the holder's exercise (Warrant Shares in today's units)", shares=total)

    def _tx_warrant_cancellation(self, it: Item) -> None:
        root = self.t.root(it.get("security_id"))
        if root == self.W:
            self._own_cancellation(it)
            return
        self._grant_cancellation(it, root)

    def _own_cancellation(self, it: Item) -> None:
        same_day = [x for x in self.pkg.transactions if x.type == "TX_WARRANT_ISSUANCE" and x.get("date") == it.get("date")
                    and x.get("stakeholder_id") == self.w.get("stakeholder_id") and x.get("security_id") != self.W]
        if it.get("balance_security_id"):
            self.note(it, "the warrant itself partly cancelled: its balance continues (no §4 event)")
            self.warnings.append(f"{it.file}: {it.id}: the warrant itself was partly cancelled on {it.get('date')}: "
                                 f"reduce Warrant Shares by hand (OCF has no warrant amendment)")
            return
        if same_day:
            new = same_day[0]
            self.t.parent[new.get("security_id")] = (self.W, f"cancel-and-reissue {it.id}")
            p_new = (new.get("exercise_price") or {}).get("amount")
            p_old = (self.w.get("exercise_price") or {}).get("amount")
            if p_new is not None and p_old is not None and num(p_new, "exercise_price", new) != num(p_old, "exercise_price", self.w):
                self.row(it, "OTHER", f"cancelled and reissued as {new.get('security_id')} at {p_new}",
                         price=num(p_new, "exercise_price", new),
                         confirm="a cancel-and-reissue with a new exercise price: a Board equitable adjustment "
                                 "(§4(g)(ii))? OCF cannot tell it from a negotiated amendment")
            else:
                self.note(it, f"the warrant cancelled and reissued as {new.get('security_id')} on the same terms")
            return
        self.note(it, "the warrant itself cancelled: no event (answers after this date are moot)")
        self.warnings.append(f"{it.file}: {it.id}: the warrant itself was cancelled on {it.get('date')}")

    def _grant_cancellation(self, it: Item, root: str | None) -> None:
        g = self.grants.get(root)
        if g is None or g.ended:
            self.note(it, f"cancels {it.get('security_id')}, which is not a grant of the Events")
            return
        if not g.shares:
            self.note(it, f"cancels {g.ref}, whose maximum share count OCF does not give")
            return
        if it.get("quantity") is not None:
            q = num(it.get("quantity"), "quantity", it)
            fraction = q * g.unit / g.shares           # OCF cancels in the security's own units
        else:   # a convertible's cancellation gives an amount
            amount, _ = self.money(it.get("amount"), "amount", it)
            fraction = amount / g.consideration if g.consideration else Fraction(1)
        self._reduce(it, g, min(fraction, Fraction(1)), f"cancellation ({it.get('reason_text', '')})".replace(" ()", ""))

    def _tx_convertible_issuance(self, it: Item) -> None:
        if self._skip_issuance(it):
            return
        sid = it.get("security_id")
        paid, cur = self.money(it.get("investment_amount"), "investment_amount", it)
        shares = None
        for trig in it.get("conversion_triggers") or ():
            mech = (trig.get("conversion_right") or {}).get("conversion_mechanism") or {}
            if mech.get("type") == "FIXED_AMOUNT_CONVERSION" and mech.get("converts_to_quantity"):
                shares = num(mech["converts_to_quantity"], "converts_to_quantity", it)
                break
        confirm = cur or ("" if shares is not None else
                          f"a {it.get('convertible_type')} without a maximum share count in OCF: enter the maximum "
                          f"Shares it may convert into (the answers refuse until then)")
        self.grants[sid] = Grant(sid, "CONVERTIBLE", date.fromisoformat(it.get("date")), shares, paid, Fraction(0))
        self.row(it, "CONVERTIBLE", f"{it.get('convertible_type')} of {self.holder(it)}", shares=shares,
                 consideration=paid, additional=Fraction(0), ref=sid, confirm=confirm)

    def _tx_convertible_cancellation(self, it: Item) -> None:
        self._grant_cancellation(it, self.t.root(it.get("security_id")))

    def _tx_convertible_conversion(self, it: Item) -> None:
        self.note(it, "a conversion: its resulting issuances are the ISSUE rows")

    # equity compensation (and the PLAN_SECURITY aliases)
    def _equity_issuance(self, it: Item) -> None:
        if self._skip_issuance(it):
            return
        sid, ctype = it.get("security_id"), it.get("compensation_type")
        if ctype == "CSAR":
            self.note(it, "a cash-settled SAR: no shares are issuable")
            return
        cls = it.get("stock_class_id")
        plan = self.pkg.stock_plans.get(it.get("stock_plan_id"))
        plan_classes = set((plan.get("stock_class_ids") or []) + ([plan.get("stock_class_id")] if plan and plan.get("stock_class_id") else [])) if plan else set()
        if (cls and cls != self.C) or (not cls and plan_classes and self.C not in plan_classes):
            self.note(it, "equity compensation in another class than the warrant's")
            return
        qty = num(it.get("quantity"), "quantity", it)
        price_m = it.get("exercise_price") or it.get("base_price")
        price, cur = self.money(price_m, "exercise_price", it)
        confirm = cur
        shares: Fraction | None = qty
        if ctype == "SSAR":
            shares, confirm = None, confirm or ("a stock-settled SAR: the shares it delivers depend on the spread; enter "
                                                "the maximum Shares (the answers refuse until then)")
        mgmt = self.management_reason(it)
        g = Grant(sid, "OPTIONS", date.fromisoformat(it.get("date")), shares, Fraction(0), qty * price,
                  expiry=_day(it.get("expiration_date")), source=it)
        self.grants[sid] = g
        self.row(it, "OPTIONS", f"{ctype} of {self.holder(it)} at {_plain(price)} per share", shares=shares,
                 consideration=Fraction(0), additional=qty * price, ref=sid, category="MANAGEMENT" if mgmt else "",
                 confirm=confirm or mgmt)

    def _equity_exercise(self, it: Item) -> None:
        self.note(it, f"an exercise of {self.t.root(it.get('security_id'))}: its resulting stock issuance is the ISSUE row")

    def _equity_release(self, it: Item) -> None:
        self.note(it, "a release: its resulting stock issuance is the ISSUE row")

    def _equity_cancellation(self, it: Item) -> None:
        self._grant_cancellation(it, self.t.root(it.get("security_id")))

    def _equity_repricing(self, it: Item) -> None:
        root = self.t.root(it.get("security_id"))
        g = self.grants.get(root)
        if g is None or g.ended or g.shares is None:
            self.note(it, f"reprices {it.get('security_id')}, which is not a grant of the Events")
            return
        p, cur = self.money(it.get("new_exercise_price"), "new_exercise_price", it)
        day = date.fromisoformat(it.get("date"))
        s = self.splits_between(g.date, day)
        add = g.shares * p
        confirm = cur
        if s != 1:
            confirm = confirm or (f"a split (× {s}) lies between the grant ({g.date}) and this repricing: Additional "
                                  f"Consideration {_plain(add)} reads the new price per grant-date share (OCF keeps "
                                  f"the grant's share count); if the platform's price is per post-split share, enter "
                                  f"{_plain(add * s)} instead")
        g.additional = add
        self.row(it, "AMEND", f"repriced to {_plain(p)} per share: Additional Consideration {_plain(g.shares)} × {_plain(p)} (grant-date units)",
                 additional=add, ref=g.ref, confirm=confirm)

    _tx_equity_compensation_repricing = _equity_repricing

    # ------------------------------------------------------------------ lapses
    def _lapses(self) -> None:
        """An option or warrant that lapses unexercised: EXPIRE the day after its expiration date."""
        for g in self.grants.values():
            if g.ended or g.expiry is None or g.shares is None or g.issued >= g.shares:
                continue
            day = g.expiry + timedelta(days=1)
            src = g.source
            tag = f"OCF {src.type} {src.id}" if src is not None else f"OCF {g.ref}"
            self.rows.append(Row(day, "EXPIRE", f"{tag}: lapsed unexercised at its expiration date {g.expiry}, "
                                                f"EXPIRE the day after", ref=g.ref, ocf_id=src.id if src else g.ref))
        self.rows.sort(key=lambda r: r.date)   # stable: the file's same-day order kept

    # ------------------------------------------------------------------ terms
    def _terms(self) -> tuple[dict, list[str]]:
        w, pkg = self.w, self.pkg
        t: dict[str, object] = {}
        t["Warrant"] = w.get("custom_id") or self.W
        t["Holder"] = self.holder(w)
        t["Issuer"] = pkg.issuer.get("legal_name", "")
        addr = pkg.issuer.get("address") or {}
        lines = [addr.get("street_suite", ""),
                 " ".join(x for x in (addr.get("city", ""), addr.get("country_subdivision", ""), addr.get("postal_code", "")) if x),
                 addr.get("country", "")]
        t["Issuer Address"] = "\n".join(x for x in lines if x)
        issue = date.fromisoformat(w.get("date"))
        t["Issue Date"] = issue
        shares, why = self._warrant_quantity(w)
        if shares is not None:
            t["Warrant Shares"] = shares
        if why:
            self.warnings.append(f"Warrant Shares: {why}")
        if w.get("exercise_price"):
            price, cur = self.money(w.get("exercise_price"), "exercise_price", w)
            t["Exercise Price"] = price
        start, end, how = self._window(issue)
        if start:
            t["Exercise Start"] = start
        if end:
            t["Exercise End"] = end
        if how:
            self.warnings.append(how)
        sc = pkg.stock_classes.get(self.C)
        if sc is not None:
            t["Security"] = sc.get("name")
            if sc.get("par_value"):
                t["Par Value"] = num(sc.get("par_value")["amount"], "par_value.amount", sc)
        common, diluted, caveats = self._counts(issue)
        if common is not None:
            t["Common Outstanding"] = common
        if diluted is not None:
            t["Fully Diluted"] = diluted
        self.warnings.extend(caveats)
        required = [label for label in ("Warrant Shares", "Exercise Price", "Anti-Dilution") if label not in t]
        return t, required

    def _window(self, issue: date) -> tuple[date | None, date | None, str]:
        trig = [x for x in self.w.get("exercise_triggers") or () if x.get("type", "").startswith("ELECTIVE")
                or x.get("type") == "AUTOMATIC_ON_DATE"]
        expiry = _day(self.w.get("warrant_expiration_date"))
        if not trig:
            return None, expiry, ("Exercise Start: the warrant's triggers are conditions OCF gives only as text; "
                                  "enter Exercise Start (and End) from the warrant")
        first = trig[0]
        more = f" ({len(trig)} triggers; the first, {first.get('trigger_id')}, is used)" if len(trig) > 1 else ""
        kind = first.get("type")
        if kind == "ELECTIVE_IN_RANGE":
            return _day(first.get("start_date")), _day(first.get("end_date")) or expiry, more
        if kind == "AUTOMATIC_ON_DATE":
            d = _day(first.get("trigger_date"))
            return d, d, more
        if kind == "ELECTIVE_AT_WILL":
            return issue, expiry, more
        return None, expiry, (f"Exercise Start: trigger {first.get('trigger_id')} is {kind} (a condition in words): "
                              f"enter Exercise Start from the warrant{more}")

    def _counts(self, issue: date) -> tuple[int | None, int | None, list[str]]:
        """Common live and fully diluted at the end of the Issue Date (docs/ocf.md, "Counts").

        Rows dated on the Issue Date are not Additional Shares and do not move the ledger's counts
        (§4(a)(i): "after the first date of issuance"; docs/interpretations.md), so the terms hold the
        counts with that day's transactions in them. The warrant's own issuance is added below.
        """
        before = [it for it in self.pkg.transactions if it.get("date", "") <= issue.isoformat()
                  and it.get("id") != self.w.get("id")]
        ended: set[str] = set()
        exercised: dict[str, Fraction] = {}
        for it in before:
            sid = it.get("security_id")
            if it.type.endswith(("_CANCELLATION", "_REPURCHASE", "_TRANSFER", "_REISSUANCE", "_RETRACTION",
                                 "_CONVERSION", "_RELEASE")) or it.type == "TX_WARRANT_EXERCISE":
                ended.add(sid)
            if it.type == "TX_STOCK_CONSOLIDATION":
                ended.update(it.get("security_ids") or ())
            if it.type in ("TX_EQUITY_COMPENSATION_EXERCISE", "TX_PLAN_SECURITY_EXERCISE"):
                exercised[sid] = exercised.get(sid, Fraction(0)) + num(it.get("quantity"), "quantity", it)
        common = diluted = Fraction(0)
        caveats = []
        ratios = {cid: r for cid, r in self._ratios_at(issue).items()}
        for it in before:
            sid = it.get("security_id")
            if not it.type.endswith("_ISSUANCE") or sid in ended or self.t.root(sid) in self.t.retracted:
                continue
            d = date.fromisoformat(it.get("date"))
            if it.type == "TX_STOCK_ISSUANCE":
                q = num(it.get("quantity"), "quantity", it)
                if it.get("stock_class_id") == self.C:
                    common += q
                    diluted += q
                elif it.get("stock_class_id") in ratios:
                    diluted += q * ratios[it.get("stock_class_id")]
            elif it.type == "TX_WARRANT_ISSUANCE" or it.type.startswith(EQUITY_COMP):
                if it.get("compensation_type") == "CSAR":
                    continue
                q, _why = self._warrant_quantity(it) if it.type == "TX_WARRANT_ISSUANCE" else (num(it.get("quantity"), "quantity", it), "")
                if q is None:
                    caveats.append(f"Fully Diluted leaves out {it.type} {it.id}: no maximum share count in OCF")
                    continue
                q -= exercised.get(sid, Fraction(0))
                cls = self._warrant_class(it) if it.type == "TX_WARRANT_ISSUANCE" else None
                per = ratios.get(cls, Fraction(1)) if cls not in (None, self.C) else Fraction(1)
                diluted += q * per * self.splits_between(d, issue)
            elif it.type == "TX_CONVERTIBLE_ISSUANCE":
                g = self.grants.get(sid)
                if g is None or g.shares is None:
                    caveats.append(f"Fully Diluted leaves out {it.type} {it.id}: no maximum share count in OCF")
                else:
                    diluted += g.shares
        # The warrant itself, issued that day, is in its own fully diluted count (an exercise adds
        # its shares to the outstanding count only, engine.capital.exercised_by_holder).
        own, _ = self._warrant_quantity(self.w)
        diluted += own or 0
        def whole(x: Fraction, label: str) -> int | None:
            if x.denominator != 1:
                caveats.append(f"{label} {x} is not whole: left blank, enter it")
                return None
            return int(x)
        return whole(common, "Common Outstanding"), whole(diluted, "Fully Diluted"), caveats

    def _ratios_at(self, day: date) -> dict[str, Fraction]:
        ratios = {cid: r for cid, sc in self.pkg.stock_classes.items() if (r := self._class_ratio(sc)) is not None}
        for it in self.pkg.transactions:
            if it.type == "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT" and it.get("date", "") <= day.isoformat():
                if it.get("stock_class_id") in ratios:
                    ratios[it.get("stock_class_id")] = ratio_value(
                        (it.get("new_ratio_conversion_mechanism") or {}).get("ratio"), "new_ratio_conversion_mechanism.ratio", it)
        return ratios


def _same_remainder(exercised: Item, exercise: Item, other: Item) -> bool:
    """An option re-issued for exactly what its exercise left, at the same exercise price."""
    try:
        left = Fraction(Decimal(str(exercised.get("quantity")))) - Fraction(Decimal(str(exercise.get("quantity"))))
        return (Fraction(Decimal(str(other.get("quantity")))) == left
                and (other.get("exercise_price") or {}) == (exercised.get("exercise_price") or {}))
    except (InvalidOperation, ValueError):
        return False


def _day(text: object) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def _plain(x: Fraction) -> str:
    """A Fraction as a plain decimal when it terminates, else n/d."""
    d = x.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        return f"{x.numerator}/{x.denominator}"
    s = format(Decimal(x.numerator) / Decimal(x.denominator), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s
