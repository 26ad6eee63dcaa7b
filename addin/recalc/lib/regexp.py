"""Excel's regular-expression functions: REGEXTEST, REGEXEXTRACT, REGEXREPLACE, and the pattern
reading XLOOKUP/XMATCH's match_mode 3 shares (Microsoft, "REGEXTEST function", "REGEXEXTRACT
function", "REGEXREPLACE function": "All of these functions use the PCRE2 'flavor' of regex").

Excel runs PCRE2; this module reads a pattern token by token as PCRE2 reads it, writes it out
in the syntax Python's ``re`` and the ``regex`` package (version 0) share, and runs it with
``regex``, whose matching is time-capped (Python's ``re`` can backtrack without end: a cell
holding ``(a|aa)+$`` would stop the recalculation) and resists much catastrophic backtracking
outright. Only constructs PCRE2 and this reading take alike are accepted (literals, ``.``,
``^``, ``$``, classes of literals and ranges, groups, named groups, lookarounds, atomic groups,
greedy / lazy / possessive quantifiers, ``\\d \\w \\s \\b``, ``\\A \\z \\Z``, ``\\Q...\\E``,
back references ``\\1``-``\\9``, ``(?i)`` at the very start); any other construct (``\\p{..}``,
``\\h``, ``\\v``, ``\\R``, ``\\K``, recursion, conditionals, inline flags inside the pattern,
POSIX classes, a ``{`` that is not a quantifier, a quantifier on an assertion) is refused with
its reason, never read another way. No engine removes the refusals below, which come from what
Excel's build of PCRE2 leaves undocumented. PCRE2 itself checks the reading: a property test
(tests/test_recalc_regex.py) runs every pattern this module accepts through the ``pcre2``
binding (a test dependency) and requires the same first match, groups and whole-text match.
The refusals:

* whether Excel compiles with Unicode classes (PCRE2_UCP): ``\\d``, ``\\w``, ``\\s``, ``\\b``
  are read as ASCII classes here (the ASCII flag, PCRE2's default) and refused over a text with
  characters beyond ASCII; case-insensitive matching likewise;
* its newline convention: a text holding a carriage return or a Unicode line separator is
  refused;
* how an empty match advances a global search (engines differ after an empty match):
  all-matches extraction and replacement refuse a pattern that matched empty text;
* the replacement's syntax beyond ``$n``, ``${n}`` and ``$$`` (PCRE2's extended substitution
  may or may not be on), a reference to a group that took no part in the match, the error value
  of a text without any match (REGEXEXTRACT), and a return_mode or case_sensitivity outside
  0-2 / 0-1: all refused;
* a match still backtracking after the time cap (Excel's PCRE2 stops at its own match limit).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..values import VALUE, XLError, is_grid, to_number, to_text
from .common import declare
from .elementwise import broadcast_all


class Refused(Exception):
    """A pattern, text or replacement whose meaning in Excel's PCRE2 cannot be matched here."""


# a match that backtracks longer than this is refused (PCRE2 has match limits of its own; the
# ``regex`` engine's timeout keeps one cell from holding up the recalculation)
_TIMEOUT = 0.5


@dataclass(frozen=True)
class Pattern:
    """A PCRE2 pattern read into the ``regex`` engine's syntax; its matching is time-capped."""

    compiled: object          # a regex.Pattern
    groups: int
    ascii_only: bool          # uses \\d \\w \\s \\b (their reading differs beyond ASCII under PCRE2_UCP)
    caseless: bool

    def search(self, text: str):
        return _capped(self.compiled.search, text)

    def fullmatch(self, text: str):
        return _capped(self.compiled.fullmatch, text)

    def finditer(self, text: str) -> list:
        return _capped(lambda t, timeout: list(self.compiled.finditer(t, timeout=timeout)), text)


def _capped(method, text: str):
    try:
        return method(text, timeout=_TIMEOUT)
    except TimeoutError:
        raise Refused(f"a match still backtracking after {_TIMEOUT} s (PCRE2's match limit decides in Excel)") from None


_META_OUTSIDE = set("\\^$.[|()?*+{")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "e": "\x1b", "a": "\x07"}
_CLASS_ESCAPES = set("dDwWsS")
_QUANT = re.compile(r"\{(\d+)(,(\d*))?\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,31}")
# line ends other than LF, under which PCRE2's newline convention (its build option) decides . ^ $
_OTHER_NEWLINES = set("\r\x85\u2028\u2029")


def _hex_escape(p: str, i: int) -> tuple[str, int]:
    """``\\xhh`` (exactly two digits) or ``\\x{h..}`` at p[i] (the 'x'): the character and the
    index after it."""
    if p.startswith("{", i + 1):
        end = p.find("}", i + 2)
        digits = p[i + 2:end] if end > 0 else ""
        if not digits or not all(c in "0123456789abcdefABCDEF" for c in digits):
            raise Refused(r"a \x{...} escape that is not hexadecimal")
        code, nxt = int(digits, 16), end + 1
    else:
        digits = p[i + 1:i + 3]
        if len(digits) != 2 or not all(c in "0123456789abcdefABCDEF" for c in digits):
            raise Refused(r"a \x escape without exactly two hexadecimal digits")
        code, nxt = int(digits, 16), i + 3
    if code > 0xFFFF:
        raise Refused("a character beyond the Basic Multilingual Plane")
    return chr(code), nxt


def _escaped_literal(p: str, i: int) -> tuple[str, int] | None:
    """The literal character an escape at p[i] (the character after the backslash) stands for,
    inside or outside a class, and the index after it; None when it is not a literal escape."""
    c = p[i]
    if c in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[c], i + 1
    if c == "x":
        return _hex_escape(p, i)
    if not c.isalnum() and c.isascii():
        return c, i + 1
    return None


def _read_class(p: str, i: int, out: list) -> tuple[int, bool]:
    """A character class starting at p[i] ('['): appends its ``re`` form, returns the index
    after it and whether it uses an ASCII-dependent escape."""
    j = i + 1
    negate = j < len(p) and p[j] == "^"
    j += negate
    items: list[str] = []               # re syntax of each member
    ascii_dep = False
    first = True
    prev_literal: str | None = None     # the last single character, for a range
    while True:
        if j >= len(p):
            raise Refused("an unterminated character class")
        c = p[j]
        if c == "]" and not first:
            j += 1
            break
        first = False
        if c == "[" and j + 1 < len(p) and p[j + 1] in ":.=":
            raise Refused("a POSIX class or collating element inside [...]")
        if c == "\\":
            if j + 1 >= len(p):
                raise Refused("a pattern ending in a backslash")
            e = p[j + 1]
            if e in _CLASS_ESCAPES:
                items.append("\\" + e)
                ascii_dep = True
                prev_literal = None
                j += 2
                if p.startswith("-", j) and not p.startswith("-]", j):
                    raise Refused("a range starting at a class escape (PCRE2 rejects it)")
                continue
            lit = _escaped_literal(p, j + 1)
            if lit is None:
                raise Refused(f"the escape \\{e} inside [...]")
            ch, j = lit
        else:
            ch, j = c, j + 1
        if c != "\\" and ch == "-" and prev_literal is not None and j < len(p) and p[j] != "]":
            # a range: the previous literal to the next one
            if p[j] == "\\":
                if j + 1 >= len(p):
                    raise Refused("a pattern ending in a backslash")
                lit = _escaped_literal(p, j + 1)
                if lit is None:
                    raise Refused("a range whose end is not a single character")
                end, j = lit
            elif p[j] == "[":
                raise Refused("a range ending in '['")
            else:
                end, j = p[j], j + 1
            if ord(end) < ord(prev_literal):
                raise Refused("a range out of order")
            items[-1] = re.escape(prev_literal) + "-" + re.escape(end)
            prev_literal = None
            continue
        items.append(re.escape(ch))
        prev_literal = ch
    out.append("[" + ("^" if negate else "") + "".join(items) + "]")
    return j, ascii_dep


def translate(p: str) -> tuple[str, int, bool, bool]:
    """A PCRE2 pattern in ``re``'s syntax: (pattern, capturing groups, ASCII-dependent, caseless
    by a leading ``(?i)``). Raises :class:`Refused` for what it does not read alike."""
    if any(ord(c) > 0xFFFF for c in p):
        raise Refused("a character beyond the Basic Multilingual Plane")
    out: list[str] = []
    groups = 0
    ascii_dep = False
    caseless = False
    opened: list[bool] = []                     # per open group: whether it is a lookaround
    zero_width = False                          # the last item matches no character (^ $ \b, a lookaround)
    i = 0
    if p.startswith("(?i)"):
        caseless, i = True, 4
    while i < len(p):
        c = p[i]
        if zero_width and (c in "*+?" or c == "{" and _QUANT.match(p, i)):
            raise Refused("a quantifier on an assertion (^, $, \\b, a lookaround)")
        zero_width = c in "^$" or (c == "\\" and p[i + 1:i + 2] in ("b", "B", "A", "z", "Z"))
        if c not in _META_OUTSIDE:
            out.append(re.escape(c))
            i += 1
        elif c in ".^$|)":
            out.append(c)
            i += 1
            if c == ")" and opened:
                zero_width = opened.pop()
        elif c in "*+?":
            out.append(c)
            i += 1
            if i < len(p) and p[i] in "?+":
                out.append(p[i])
                i += 1
        elif c == "{":
            m = _QUANT.match(p, i)
            if not m:
                raise Refused("a '{' that is not a quantifier {n}, {n,} or {n,m}")
            out.append(m.group(0))
            i = m.end()
            if i < len(p) and p[i] in "?+":
                out.append(p[i])
                i += 1
        elif c == "[":
            i, dep = _read_class(p, i, out)
            ascii_dep |= dep
        elif c == "(":
            if p.startswith("(?", i):
                for opener, written in (("(?:", "(?:"), ("(?=", "(?="), ("(?!", "(?!"), ("(?<=", "(?<="),
                                        ("(?<!", "(?<!"), ("(?>", "(?>")):
                    if p.startswith(opener, i):
                        out.append(written)
                        opened.append(opener in ("(?=", "(?!", "(?<=", "(?<!"))
                        i += len(opener)
                        break
                else:
                    m = re.compile(r"\(\?(?:P?<(?P<a>[^>]*)>|'(?P<b>[^']*)')").match(p, i)
                    name = m and (m.group("a") if m.group("a") is not None else m.group("b"))
                    if not m or not _NAME.fullmatch(name or ""):
                        raise Refused(f"the group construct {p[i:i + 4]!r}... (inline options, "
                                      "conditionals, recursion, comments)")
                    out.append(f"(?P<{name}>")
                    opened.append(False)
                    groups += 1
                    i = m.end()
            elif p.startswith("(*", i):
                raise Refused("a verb (*...)")
            else:
                out.append("(")
                opened.append(False)
                groups += 1
                i += 1
        else:                                    # a backslash
            if i + 1 >= len(p):
                raise Refused("a pattern ending in a backslash")
            e = p[i + 1]
            if e in _CLASS_ESCAPES or e in "bB":
                out.append("\\" + e)
                ascii_dep = True
                i += 2
            elif e == "A":
                out.append(r"\A")
                i += 2
            elif e == "z":
                out.append(r"\Z")
                i += 2
            elif e == "Z":
                out.append(r"(?=\n?\Z)")         # PCRE2's \Z: the end, or before a final newline
                i += 2
            elif e == "Q":
                end = p.find("\\E", i + 2)
                quoted = p[i + 2:] if end < 0 else p[i + 2:end]
                # each character on its own: a quantifier after \E takes the last one, as in PCRE2
                out.extend(re.escape(ch) for ch in quoted)
                i = len(p) if end < 0 else end + 2
            elif e == "E":
                i += 2                           # an \E without \Q is ignored
            elif e in "123456789" and not (i + 2 < len(p) and p[i + 2].isdigit()):
                if int(e) > groups:
                    raise Refused(f"a back reference \\{e} before its group")
                out.append(f"(?:\\{e})")
                i += 2
            else:
                lit = _escaped_literal(p, i + 1)
                if lit is None:
                    raise Refused(f"the escape \\{e}")
                ch, i = lit
                out.append(re.escape(ch))
    return "".join(out), groups, ascii_dep, caseless


@lru_cache(maxsize=256)
def _compile(pattern: str, ignore_case: bool) -> Pattern | str:
    """The compiled pattern, or the reason it is refused (cached; never an exception)."""
    try:
        text, groups, ascii_dep, caseless = translate(pattern)
    except Refused as exc:
        return str(exc)
    import regex  # noqa: PLC0415 - loaded by the first pattern (~0.01 s a recalculation that has none)
    flags = regex.V0 | regex.ASCII | (regex.IGNORECASE if ignore_case or caseless else 0)
    try:
        # Python's re first, as a stricter reader: ``regex`` accepts a lookbehind of variable
        # length ((?<=a*)) that PCRE2 rejects, and re does not
        re.compile(text, re.ASCII)
        compiled = regex.compile(text, flags)
    except (re.error, regex.error, RecursionError, OverflowError):
        return "a pattern PCRE2 may read otherwise (it does not compile here)"
    if compiled.groups != groups:
        return "a pattern whose groups are counted otherwise here"
    return Pattern(compiled, groups, ascii_dep, ignore_case or caseless)


def compile_pattern(pattern: str, ignore_case: bool) -> Pattern:
    """The pattern, or :class:`Refused` with the reason."""
    got = _compile(pattern, ignore_case)
    if isinstance(got, str):
        raise Refused(got)
    return got


def check_text(pat: Pattern, pattern: str, text: str) -> None:
    """Refuses a text on which Excel's build options could change the pattern's meaning."""
    if any(c in _OTHER_NEWLINES for c in text):
        raise Refused("a text holding a line end other than LF (PCRE2's newline convention)")
    if any(ord(c) > 0xFFFF for c in text):
        raise Refused("a text with a character beyond the Basic Multilingual Plane")
    if (pat.ascii_only or pat.caseless) and not (text.isascii() and pattern.isascii()):
        raise Refused("a class (\\d \\w \\s \\b) or case-insensitive match over characters beyond ASCII "
                      "(whether Excel's PCRE2 reads them by Unicode is not documented)")


def _case_flag(ev, v) -> bool:
    """case_sensitivity: 0 (or omitted) case-sensitive, 1 case-insensitive; anything else refused."""
    if v is None:
        return False
    n = to_number(v, ev.epoch)
    if isinstance(n, XLError):
        raise _Err(n)
    if n not in (0, 1):
        raise Refused("a case_sensitivity other than 0 or 1")
    return n == 1


class _Err(Exception):
    """An Excel error value an argument carries (passed on as the result)."""

    def __init__(self, value: XLError):
        super().__init__(str(value))
        self.value = value


def _text(ev, v) -> str:
    t = to_text(v, ev.epoch)
    if isinstance(t, XLError):
        raise _Err(t)
    return t


def _run(name: str, ev, body):
    try:
        return body()
    except _Err as exc:
        return exc.value
    except Refused as exc:
        return ev.unsupported(name, str(exc))


def _matches(pat: Pattern, text: str) -> list:
    """Every match of a global search, refused where an empty match makes PCRE2's and Python's
    stepping differ."""
    found = pat.finditer(text)
    if any(m.start() == m.end() for m in found):
        raise Refused("a pattern matching empty text, stepped over differently by PCRE2 and Python")
    return found


def _regextest(ev, args):
    """REGEXTEST(text, pattern, [case_sensitivity]): TRUE when any part of the text matches."""
    if not 2 <= len(args) <= 3:
        return VALUE

    def one(text, pattern, case=None):
        def body():
            t, p = _text(ev, text), _text(ev, pattern)
            pat = compile_pattern(p, _case_flag(ev, case))
            check_text(pat, p, t)
            return pat.search(t) is not None
        return _run("REGEXTEST", ev, body)
    return broadcast_all(one, [a[1] for a in args])


def _regexextract(ev, args):
    """REGEXEXTRACT(text, pattern, [return_mode], [case_sensitivity]): 0 the first match, 1 every
    match as a row (the Excel-saved calc_tests__TEXT__REGEX.xlsx, REGEXEXTRACT!A4:B4), 2 the
    first match's capturing groups as a row; always text."""
    if not 2 <= len(args) <= 4:
        return VALUE
    values = [a[1] for a in args] + [None] * (4 - len(args))
    if any(is_grid(v) for v in values) and values[2] is not None and (
            is_grid(values[2]) or to_number(values[2], ev.epoch) != 0):
        # an array of texts with return_mode 1 or 2 asks for an array per element (the
        # evaluator's broadcasting is not declared for this function: it would give #VALUE!)
        return ev.unsupported("REGEXEXTRACT", "an array argument with return_mode 1 or 2")

    def one(text, pattern, mode=None, case=None):
        def body():
            t, p = _text(ev, text), _text(ev, pattern)
            m = 0.0 if mode is None else to_number(mode, ev.epoch)
            if isinstance(m, XLError):
                raise _Err(m)
            if m not in (0, 1, 2):
                raise Refused("a return_mode other than 0, 1 or 2")
            pat = compile_pattern(p, _case_flag(ev, case))
            check_text(pat, p, t)
            if m == 1:
                if pat.groups:
                    raise Refused("all matches of a pattern with capturing groups")
                found = [x.group(0) for x in _matches(pat, t)]
                if not found:
                    raise Refused("a text without any match (the error Excel gives is not documented)")
                return [found] if len(found) > 1 else found[0]
            first = pat.search(t)
            if first is None:
                raise Refused("a text without any match (the error Excel gives is not documented)")
            if m == 0:
                return first.group(0)
            if not pat.groups:
                raise Refused("capturing groups of a pattern without any")
            parts = first.groups()
            if any(x is None for x in parts):
                raise Refused("a capturing group that took no part in the match")
            return [list(parts)] if len(parts) > 1 else parts[0]
        return _run("REGEXEXTRACT", ev, body)
    return broadcast_all(one, values)


_DOLLAR = re.compile(r"\$(?:(\d+)|\{(\d+)\}|(\$))")


def _expand(template: str, match, groups: int) -> str:
    """A PCRE2 replacement (``$n``, ``${n}``, ``$$``) for one match; anything else refused."""
    if "\\" in template:
        raise Refused("a backslash in the replacement (PCRE2's extended substitution may read it)")
    out, i = [], 0
    while i < len(template):
        j = template.find("$", i)
        if j < 0:
            out.append(template[i:])
            break
        out.append(template[i:j])
        m = _DOLLAR.match(template, j)
        if not m:
            raise Refused("a '$' in the replacement that is not $n, ${n} or $$")
        if m.group(3):
            out.append("$")
        else:
            n = int(m.group(1) or m.group(2))
            if n > groups:
                raise Refused(f"a replacement naming group {n} of a pattern with {groups}")
            part = match.group(n)
            if part is None:
                raise Refused("a replacement naming a group that took no part in the match")
            out.append(part)
        i = m.end()
    return "".join(out)


def _regexreplace(ev, args):
    """REGEXREPLACE(text, pattern, replacement, [occurrence], [case_sensitivity]): occurrence 0
    (default) replaces every match, n the nth, -n the nth from the end; ``$n`` in the
    replacement is the nth capturing group (the Excel-saved calc_tests__TEXT__REGEX.xlsx,
    REGEXREPLACE!B3)."""
    if not 3 <= len(args) <= 5:
        return VALUE

    def one(text, pattern, replacement, occurrence=None, case=None):
        def body():
            t, p, r = _text(ev, text), _text(ev, pattern), _text(ev, replacement)
            occ = 0.0 if occurrence is None else to_number(occurrence, ev.epoch)
            if isinstance(occ, XLError):
                raise _Err(occ)
            if occ != int(occ):
                raise Refused("a fractional occurrence")
            occ = int(occ)
            pat = compile_pattern(p, _case_flag(ev, case))
            check_text(pat, p, t)
            found = _matches(pat, t)
            if abs(occ) > len(found):
                raise Refused("an occurrence beyond the matches (what Excel gives is not documented)")
            chosen = found if occ == 0 else found[occ - 1:occ] if occ > 0 else found[len(found) + occ:len(found) + occ + 1]
            out, pos = [], 0
            for m in chosen:
                out.append(t[pos:m.start()])
                out.append(_expand(r, m, pat.groups))
                pos = m.end()
            out.append(t[pos:])
            result = "".join(out)
            return VALUE if len(result) > 32767 else result
        return _run("REGEXREPLACE", ev, body)
    return broadcast_all(one, [a[1] for a in args])


def regex_finds(ev, name: str, pattern: str, text: str) -> bool:
    """For XLOOKUP/XMATCH's match_mode 3: whether ``pattern`` finds ``text``, refused (raises
    :class:`Refused`) where Excel's reading is not certain: the documentation does not say
    whether the whole cell must match or a part, nor whether case counts, so a cell is taken
    only when every reading agrees."""
    verdicts = set()
    for caseless in (False, True):
        pat = compile_pattern(pattern, caseless)
        check_text(pat, pattern, text)
        verdicts.add(pat.search(text) is not None)
        verdicts.add(pat.fullmatch(text) is not None)
    if len(verdicts) > 1:
        raise Refused("a cell matched by a part of it or without case only (match_mode 3 does not "
                      "document which Excel takes)")
    return verdicts.pop()


FUNCTIONS = {
    "REGEXTEST": declare(_regextest, broadcast=(0, 1, 2)),
    "REGEXEXTRACT": declare(_regexextract),      # broadcasts itself (an array per element is refused)
    "REGEXREPLACE": declare(_regexreplace, broadcast=(0, 1, 2, 3, 4)),
}

__all__ = ["FUNCTIONS", "Refused", "compile_pattern", "regex_finds", "translate"]
