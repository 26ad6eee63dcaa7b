"""Clauses named in the warrant's own terms (issue 18): D-1's section numbers only for D-1.

The engine cites Performance Warrant No. D-1's sections on every trail row and in its
sentences (``§4(b)``, ``(§4(d))``): D-1 is the contract whose rules it implements. A document
or a trail for another warrant names each clause by what it does instead ("split", "issue
below the price: broad-based weighted average"), or by the warrant's own section where the
workbook supplies one in a range named ``Clauses`` (two columns: what the clause does, as
named here | the warrant's own reference, e.g. ``split | Section 5(a)``).

One place maps D-1's clauses to plain words; the certificate, the purchase form and
``WARRANT_ADJUSTMENTS`` all ask :class:`ClauseNames`.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

# What each of D-1's clauses does, in words that fit any warrant.
PLAIN = {
    "§1(a)": "exercise period", "§1(b)": "time of exercise", "§1(c)": "exercise and delivery",
    "§1(c)(i)": "full shares", "§1(c)(ii)": "new warrant for the rest",
    "§2": "performance tests", "§2(e)": "other warrants and valuation events", "§2(f)": "force majeure",
    "§3": "payment", "§3(a)": "payment by surrender", "§3(b)": "payment in cash and shares",
    "§4": "adjustments", "§4(a)": "additional shares", "§4(a)(i)": "additional shares",
    "§4(a)(i)(A)": "management securities", "§4(a)(i)(B)": "Series D securities",
    "§4(a)(iii)": "excluded securities", "§4(a)(iv)": "excluded securities",
    "§4(b)": "split, combination or merger", "§4(c)": "stock dividend", "§4(d)": "issue below the price",
    "§4(e)": "options and convertible securities", "§4(e)(i)": "options and convertible securities",
    "§4(e)(ii)": "change or expiry of options", "§4(f)": "consideration", "§4(f)(ii)": "consideration for options",
    "§4(g)": "adjustment rules", "§4(g)(i)": "treasury shares", "§4(g)(ii)": "equitable adjustment",
    "§4(g)(iii)": "minimum adjustment", "§4(g)(iv)": "no upward adjustment", "§4(h)": "lowest price",
    "§4(i)": "certificate of adjustment", "§5": "fractional shares",
}
# A trail row's clause, by its event's kind (a split and a merger share D-1's §4(b)).
EVENT_WORDS = {
    "SPLIT": "split", "COMBINATION": "combination", "MERGER": "merger", "STOCK_DIVIDEND": "stock dividend",
    "RIGHTS_DIVIDEND": "rights dividend", "ISSUE": "issue below the price", "OPTIONS": "options",
    "CONVERTIBLE": "convertible securities", "AMEND": "change of options", "EXPIRE": "expiry of options or rights",
    "TREASURY": "treasury shares", "EXERCISE": "exercise", "OTHER": "equitable adjustment",
}
PRICED_KINDS = frozenset({"ISSUE", "OPTIONS", "CONVERTIBLE", "AMEND", "EXPIRE"})
METHOD_WORDS = {
    "BROAD_WEIGHTED_AVERAGE": "broad-based weighted average", "NARROW_WEIGHTED_AVERAGE": "narrow-based weighted average",
    "FULL_RATCHET": "full ratchet",
}
D1_ONLY_TERMS = ("Series D Cutoff", "Valuation Event Cutoff", "Management Cap")

_TOKEN = re.compile(r"§+\s?\d+(?:\([0-9A-Za-z]+\))*(?:\s?/\s?\([0-9A-Za-z]+\)(?:\([0-9A-Za-z]+\))*)*")
_PAREN = re.compile(r" ?\((?:[^()]|\([^()]*\))*?§(?:[^()]|\([^()]*\))*\)")
_LEADING = re.compile(r"(^|[.;:!?]\s+)" + _TOKEN.pattern + r"[:,]?\s+(\w?)")


def is_d1(terms: object) -> bool:
    """Section numbers and D-1's own wording are printed only for D-1 itself (its preset)."""
    return getattr(terms, "preset", None) == "D-1"


class ClauseNames:
    """How one warrant's documents name clauses: D-1's sections for D-1, else plain words or the
    warrant's own references (``own``: {plain words: reference}, from the ``Clauses`` range)."""

    def __init__(self, terms: object, own: Mapping[str, str] | None = None) -> None:
        self.d1 = is_d1(terms)
        self.method = METHOD_WORDS.get(str(getattr(terms, "anti_dilution", "") or ""), "")
        self.own = {k.strip().casefold(): str(v).strip() for k, v in (own or {}).items() if str(v).strip()}

    def _named(self, words: str) -> str:
        return self.own.get(words.casefold(), words)

    def row_clause(self, kind: str, clause: str) -> str:
        """A trail row's clause: D-1's for D-1; else what its event does (or the warrant's reference)."""
        if self.d1:
            return clause
        words = EVENT_WORDS.get(kind.upper(), "") or _plain(clause) or "adjustment"
        if kind.upper() in PRICED_KINDS and self.method and words.casefold() not in self.own:
            return f"{words}: {self.method}"
        return self._named(words)

    def ref(self, clause: str) -> str:
        """A label's reference, e.g. ``" (§5)"``: D-1's for D-1, the warrant's own where supplied, else none."""
        if self.d1:
            return f" ({clause})"
        own = self.own.get(_plain(clause).casefold()) if _plain(clause) else None
        return f" ({own})" if own else ""

    def text(self, text: str) -> str:
        """An engine sentence for this warrant: D-1's section references dropped or named in words."""
        if self.d1 or "§" not in text:
            return text
        out = _PAREN.sub(lambda m: self._paren(m.group(0)), text)
        out = _LEADING.sub(_sentence_start, out)
        return _TOKEN.sub(lambda m: self._token(m.group(0)), out)

    def _paren(self, paren: str) -> str:
        refs = [self.own.get(_plain(t).casefold()) for t in _TOKEN.findall(paren) if _plain(t)]
        refs = [r for r in refs if r]
        return f" ({', '.join(dict.fromkeys(refs))})" if refs else ""

    def _token(self, token: str) -> str:
        words = _plain(token)
        if not words:
            return "the warrant's terms"
        own = self.own.get(words.casefold())
        return own if own else f"the {words} provision"


def _sentence_start(m: re.Match) -> str:
    """A leading "§4(b) subdivision ..." loses its section; a new sentence keeps its capital."""
    lead, first = m.group(1), m.group(2)
    starts = lead == "" or lead.rstrip()[-1:] in ".!?"
    return lead + (first.upper() if starts else first)


def _plain(clause: str) -> str:
    """D-1's clause in words; the longest listed prefix (``§4(e)(i)(B)`` -> ``§4(e)(i)``)."""
    key = re.sub(r"\s", "", clause.split("/")[0])
    while key:
        if key in PLAIN:
            return PLAIN[key]
        cut = key.rfind("(")
        if cut <= 0:
            break
        key = key[:cut]
    return ""

