"""REGEXTEST, REGEXEXTRACT, REGEXREPLACE and XLOOKUP/XMATCH's match_mode 3 (addin/recalc/lib/regexp.py).

Expected values are the values Excel cached in the Excel-saved fixtures (book and cell named,
tests/fixtures/ironcalc), each case rebuilding the cell's inputs in a small book. Every other
case asserts a refusal: a pattern, text or argument whose reading by Excel's PCRE2 is not certain
here must give an unsupported error with its reason, never a value.
"""
from __future__ import annotations

import openpyxl
import pcre2
import pytest
from hypothesis import assume, given, strategies as st

from addin.recalc import XLError
from addin.recalc.lib.regexp import Refused, check_text, compile_pattern, translate
from tests.test_recalc_functions_b import run   # a small book recalculated as Excel 365 enters formulas


def reason(result, ref="Z1"):
    return result.unsupported.get(("S", int(ref[1:]), openpyxl.utils.column_index_from_string(ref[0])))


# (inputs, formula in Z1, expected, source)
EXCEL = [
    ({"A1": "Mr. Sherlock Holmes"}, '=REGEXTEST(A1, "[A-Z]")', True, "calc_tests__TEXT__REGEX.xlsx REGEXTEST!A2"),
    ({"A1": "Mr. Sherlock Holmes"}, '=REGEXTEST(A1, "[A-Z]her")', True, "calc_tests__TEXT__REGEX.xlsx REGEXTEST!A3"),
    ({"A1": "Mr. Sherlock Holmes"}, '=REGEXTEST(A1, "[0-9]+")', False, "calc_tests__TEXT__REGEX.xlsx REGEXTEST!A4"),
    ({"A1": "CRANE"}, '=REGEXTEST(A1,"^[A-Z]{5}$")', True, "templates__wordle.xlsx Words!B2"),
    ({"A1": "LonelyPlanet"}, '=REGEXEXTRACT(A1, "[A-Z][a-z]+")', "Lonely", "calc_tests__TEXT__REGEX.xlsx REGEXEXTRACT!A2"),
    ({"A1": "JamesBond"}, '=REGEXREPLACE(A1,"([A-Z][a-z]+)([A-Z][a-z]+)","$2, $1 $2")', "Bond, James Bond",
     "calc_tests__TEXT__REGEX.xlsx REGEXREPLACE!B3"),
]


@pytest.mark.parametrize("cells,formula,expected,source", EXCEL, ids=[c[3] for c in EXCEL])
def test_values_excel_computed(cells, formula, expected, source):
    got = run({**cells, "Z1": formula})["S!Z1"]
    assert got == expected and type(got) is type(expected), (source, got)


def test_all_matches_spill_as_a_row():
    # calc_tests__TEXT__REGEX.xlsx REGEXEXTRACT!A4:B4: {=REGEXEXTRACT(A1,"[A-Z][a-z]+",1)} caches Lonely, Planet
    res = run({"A1": "LonelyPlanet", "Z1": '=REGEXEXTRACT(A1, "[A-Z][a-z]+", 1)'})
    assert (res["S!Z1"], res["S!AA1"]) == ("Lonely", "Planet")
    assert ("S", 2, 26) not in res.values      # a row, not a column


XMATCH_BOOK = {"A2": "Albania", "A3": "Indonesia", "A4": "India", "A5": "Germany", "A6": "Spain", "A7": "Venezuela",
               "A8": "Italy", "A9": "Francialy", "A14": "apple", "A15": "bannana"}


@pytest.mark.parametrize("formula,expected,cell", [
    ('=XMATCH("[A-Z][a-z]+y",A2:A9,3,1)', 4.0, "D6"),
    ('=XMATCH("[A-Z][a-z]+y",A2:A9,3,-1)', 8.0, "D7"),
    ('=XMATCH(42,A14:A15,3)', "#N/A", "B14"),
])
def test_xmatch_regex_excel_computed(formula, expected, cell):
    # calc_tests__LOOKUP_AND_REFERENCE__XMATCH.xlsx Sheet1!<cell>
    got = run({**XMATCH_BOOK, "Z1": formula})["S!Z1"]
    assert (str(got) if isinstance(got, XLError) else got) == expected, cell


@pytest.mark.parametrize("pattern", [
    r"\p{L}+", r"\h", r"\v", r"\R", r"a\Kb", r"(?|a|b)", r"(?R)", r"(?(1)a|b)", r"a(?i)b", r"(?x) a",
    r"[[:alpha:]]", r"a{,3}", r"x{", r"\g1", r"\k<n>", r"\0", r"\cA", r"(*UTF)a", r"\N", r"\X",
    r"[\p{L}]", r"[\h]", r"[a-\d]", r"[\d-z]", "\\", "[abc", "\U0001F600",
    r"(?=a)*b", r"^*a", r"\b+", r"a$?",
])
def test_constructs_pcre2_and_python_may_read_differently_are_refused(pattern):
    with pytest.raises(Refused):
        translate(pattern)


@pytest.mark.parametrize("pattern,python", [
    (r"^[A-Z]{5}$", r"^[A-Z]{5}$"),
    (r"(?<year>\d{4})-\d\d", r"(?P<year>\d{4})\-\d\d"),
    (r"a++b*+c?+", r"a++b*+c?+"),
    (r"(?>ab|a)c", r"(?>ab|a)c"),
    (r"\Qa.b\E.", r"a\.b."),
    (r"x\Z", r"x(?=\n?\Z)"),                 # PCRE2's \Z allows a final newline; Python's does not
    (r"x\z", r"x\Z"),
    (r"[]a-c]", r"[\]a-c]"),                 # a leading ] is a member; a-c a range
    (r"[a-]", r"[a\-]"),                      # a trailing - is a member
    (r"\x41\x{42}", r"AB"),
])
def test_translation(pattern, python):
    assert translate(pattern)[0] == python


@pytest.mark.parametrize("formula,why", [
    ('=REGEXTEST("caf\u00e9", "\\w+")', "beyond ASCII"),               # \w under PCRE2_UCP or not
    ('=REGEXTEST("\u00c9T\u00c9", "\u00e9", 1)', "beyond ASCII"),       # Unicode case folding
    ('=REGEXTEST("a" & CHAR(13) & "b", "a.b")', "line end"),             # PCRE2's newline convention
    ('=REGEXEXTRACT("abc", "x")', "without any match"),
    ('=REGEXEXTRACT("abc", "(a)(x)?", 2)', "no part"),
    ('=REGEXEXTRACT("a1b2", "([a-z])\\d", 1)', "capturing groups"),
    ('=REGEXEXTRACT("abc", "b", 3)', "return_mode"),
    ('=REGEXTEST("abc", "b", 2)', "case_sensitivity"),
    ('=REGEXREPLACE("abc", "x*", "-")', "empty text"),                    # Python and PCRE2 step differently
    ('=REGEXREPLACE("abc", "(b)", "\\1")', "backslash"),
    ('=REGEXREPLACE("abc", "(b)", "$2")', "group 2"),
    ('=REGEXREPLACE("abc", "(b)", "${name}")', "'$'"),
    ('=REGEXREPLACE("abc", "b", "x", 2)', "occurrence beyond"),
    ('=XMATCH("#N/A", {"x";#N/A}, 3)', "error value"),
    ('=XMATCH("^a", {"b";"a"}, 3, 2)', "binary"),
    ('=XMATCH("an", {"Ann";"banana"}, 3)', "match_mode 3"),              # found by a part of it only
    ('=XMATCH("1", {"x";1}, 3)', "number or logical"),
    ('=XMATCH(42, {"x";"42"}, 3)', "not text"),                          # a number as the pattern
    ('=XMATCH(42, {"x";420}, 3)', "match_mode 3"),                       # 420 as text holds 42
])
def test_uncertain_cases_are_refused_with_a_reason(formula, why):
    res = run({"Z1": formula})
    assert isinstance(res["S!Z1"], XLError)
    assert why in (reason(res) or ""), reason(res)


def test_replacement_by_occurrence_and_literal_dollar():
    # occurrence n / -n and $$ follow PCRE2's substitution syntax ("REGEXREPLACE function": occurrence);
    # the expected texts are worked by hand from that definition
    res = run({"A1": "0000abcd",
               "Z1": '=REGEXREPLACE(A1,"0","1",2)', "Z2": '=REGEXREPLACE(A1,"0","1",-1)',
               "Z3": '=REGEXREPLACE(A1,"0","1")', "Z4": '=REGEXREPLACE(A1,"(a)","$$$1")',
               "Z5": '=REGEXREPLACE(A1,"x","1")'})
    assert [res[f"S!Z{i}"] for i in range(1, 6)] == ["0100abcd", "0001abcd", "1111abcd", "0000$abcd", "0000abcd"]


# ----------------------------------------------------------------------------- PCRE2 itself as the oracle
# Excel's engine is PCRE2; the pcre2 package (BSD-3-Clause, test-only) binds the same library. Any
# pattern this module accepts must read as PCRE2 reads it (UTF, without Unicode classes, which
# the module's refusals make irrelevant): same first match, same groups, and never a pattern
# PCRE2 rejects (Excel would give an error where this module gives a value).

_ATOMS = st.sampled_from(["a", "b", "c", "A", "0", "1", " ", "-", r"\.", ".", r"\d", r"\w", r"\s", r"\D", r"\W",
                          "[a-c]", "[^ab]", r"[\d_]", "[]a]", "[a-]", r"[\w.]", r"\b", "^", "$", r"\A", r"\z", r"\Z",
                          r"\x41", r"\Qa.\E", r"\1", "{", "}", "]", r"\n"])
_QUANTS = st.sampled_from(["", "", "", "*", "+", "?", "{2}", "{1,2}", "{0,}", "*?", "+?", "??", "*+", "++", "{1,2}?"])
_OPEN = st.sampled_from(["(", "(?:", "(?=", "(?!", "(?<=", "(?<!", "(?>", "(?<g>"])


@st.composite
def _patterns(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            inner = draw(_patterns(depth=depth + 1))
            if draw(st.booleans()):
                inner += "|" + draw(_patterns(depth=depth + 1))
            parts.append(draw(_OPEN) + inner + ")")
        else:
            parts.append(draw(_ATOMS))
        parts[-1] += draw(_QUANTS)
    prefix = "(?i)" if depth == 0 and draw(st.integers(0, 6)) == 0 else ""
    return prefix + "".join(parts)


@given(pattern=_patterns(), text=st.text(alphabet="abcAB01 .-_\n", max_size=12), caseless=st.booleans())
def test_accepted_patterns_read_as_pcre2_reads_them(pattern, text, caseless):
    try:
        ours = compile_pattern(pattern, caseless)
        check_text(ours, pattern, text)
    except Refused:
        assume(False)
        return
    try:
        theirs = pcre2.compile(pattern, pcre2.ASCII | (pcre2.IGNORECASE if caseless else 0))
    except pcre2.PatternError as exc:
        raise AssertionError(f"accepted {pattern!r}, which PCRE2 rejects: {exc}") from None
    a, b = ours.compiled.search(text), theirs.search(text)
    assert (a is None) == (b is None), (pattern, text)
    if a is not None:
        assert a.span() == b.span(), (pattern, text)
        assert a.groups() == b.groups(), (pattern, text)
    whole, theirs_whole = ours.compiled.fullmatch(text), theirs.fullmatch(text)     # match_mode 3's reading
    assert (whole is None) == (theirs_whole is None), (pattern, text)


def test_a_match_that_backtracks_without_end_is_refused_not_waited_for():
    # (a|a)+$ over 31 a's and a "!" tries 2**31 ways; the engine's time cap refuses the cell
    res = run({"A1": "a" * 31 + "!", "Z1": '=REGEXTEST(A1, "(a|a)+$")'})
    assert isinstance(res["S!Z1"], XLError) and "backtracking" in (reason(res) or "")
