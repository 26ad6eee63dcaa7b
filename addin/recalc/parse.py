"""Formula text to a small tree, and cell addresses.

Every formula is tokenized by openpyxl's ``Tokenizer`` (the recalculation's own copy, :mod:`.tokenizer`) and parsed into a tiny tree
(numbers, text, booleans, errors, references, ranges, defined names, ``A1#`` spill
references, array constants, operators, function calls). Copied formulas share one
parse: :func:`template` writes a formula relative to its cell and :func:`rebase`
moves a parsed tree to another cell.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .tokenizer import Token, Tokenizer
from .values import ERRORS, NUM, XLError
from .xlutils import column_index_from_string, get_column_letter, range_boundaries

MAX_ROW, MAX_COL = 1_048_576, 16_384     # Excel's sheet size
FORMULA_LIMIT = 8_192     # "Length of formula contents: 8,192 characters" (Excel specifications and limits)


# ----------------------------------------------------------------------------- ranges

@dataclass(frozen=True, slots=True)
class Rng:
    sheet: str
    r1: int
    c1: int
    r2: int
    c2: int

    @property
    def single(self) -> bool:
        return self.r1 == self.r2 and self.c1 == self.c2


_SHEET_RE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(.+)$")


def split_sheet(ref: str) -> tuple[str | None, str]:
    m = _SHEET_RE.match(ref)
    if not m:
        return None, ref
    sheet = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
    return sheet, m.group(3)


_A1_RE = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d+)?$")


_CELL_ONLY = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9]\d{0,6})$")
_COLUMNS: dict[str, int] = {}


def _column(letters: str) -> int:
    c = _COLUMNS.get(letters)
    if c is None:
        c = _COLUMNS[letters] = column_index_from_string(letters.upper())
    return c


def parse_area(text: str) -> tuple[int, int, int, int] | None:
    """``A1`` / ``$A$1:$B$9`` / ``A:A`` / ``3:3`` -> (r1, c1, r2, c2), or None when not an area
    (a defined name, or beyond Excel's 1,048,576 rows and 16,384 columns)."""
    m = _CELL_ONLY.match(text)
    if m:
        r, c = int(m.group(2)), _column(m.group(1))
        return (r, c, r, c) if r <= MAX_ROW and c <= MAX_COL else None
    parts = text.split(":")
    if len(parts) > 2 or not all(_A1_RE.match(p) for p in parts):
        return None
    if len(parts) == 1 and not (text.strip("$")[:1].isalpha() and text[-1:].isdigit()):
        return None        # "Foo", "Tax": a defined name; a whole column is only ever written A:A
    try:
        c1, r1, c2, r2 = range_boundaries(text.replace("$", "") if len(parts) == 2 else
                                          f"{text.replace('$', '')}:{text.replace('$', '')}")
    except (ValueError, TypeError):
        return None
    if r1 is None:
        r1, r2 = 1, MAX_ROW
    if c1 is None:
        c1, c2 = 1, MAX_COL
    if max(r1, r2) > MAX_ROW or max(c1, c2) > MAX_COL:
        return None
    return r1, c1, r2, c2


# ----------------------------------------------------------------------------- parser

class Node:
    __slots__ = ()


@dataclass(slots=True)
class Const(Node):
    value: object


@dataclass(slots=True)
class Ref(Node):
    text: str            # as written


@dataclass(slots=True)
class Array(Node):
    rows: list


@dataclass(slots=True)
class Op(Node):
    op: str
    args: list


@dataclass(slots=True)
class Call(Node):
    name: str            # as written, without "("
    args: list


INVOKE = "()"            # the name of a call of a LAMBDA written in place: args[0] is the LAMBDA


class ParseError(Exception):
    pass


_BINARY = {":": 8, " ": 8, ",": 8, "^": 5, "*": 4, "/": 4, "+": 3, "-": 3, "&": 2,
           "=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1}
_PREFIX_POWER = 6   # unary minus binds tighter than ^ in Excel (-2^2 = 4)


_SPILL_REF_RE = re.compile(r"((?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?(\$?[A-Za-z]{1,3}\$?\d+)#")


def _split_range_operators(items: list) -> list:
    """openpyxl's tokenizer glues the range operator to a function or reference beside a call
    (``C2:OFFSET(``, ``):C5``): split it into its own infix token."""
    out = []
    for t in items:
        if t.type == Token.FUNC and t.subtype == Token.OPEN and ":" in t.value[:-1] and "[" not in t.value:
            left, _, name = t.value.rpartition(":")
            if left:
                out.append(Token(left, Token.OPERAND, Token.RANGE))
            out.append(Token(":", Token.OP_IN))
            out.append(Token(name, Token.FUNC, Token.OPEN))
        elif t.type == Token.OPERAND and t.subtype == Token.RANGE and t.value.startswith(":") and len(t.value) > 1:
            out.append(Token(":", Token.OP_IN))
            out.append(Token(t.value[1:], Token.OPERAND, Token.RANGE))
        else:
            out.append(t)
    return out


def parse_formula(formula: str) -> Node:
    """Parse ``=...`` into a tree; raises ParseError on anything we do not read."""
    if len(formula) > FORMULA_LIMIT:
        raise ParseError(f"longer than Excel's {FORMULA_LIMIT:,} characters")
    if "#" in formula and '"' not in formula:
        # Excel 365's spill operator A1# is stored as ANCHORARRAY(A1) in files.
        formula = _SPILL_REF_RE.sub(lambda m: f"ANCHORARRAY({m.group(1) or ''}{m.group(2)})", formula)
    try:
        items = [t for t in Tokenizer(formula).items if t.type != Token.WSPACE]
    except Exception as exc:  # openpyxl raises a bare TokenizerError/ValueError
        raise ParseError(str(exc)) from None
    items = _split_range_operators(items)
    pos = 0
    invoking = 0                # inside LAMBDA(...)(args): "," separates the arguments

    def peek():
        return items[pos] if pos < len(items) else None

    def take():
        nonlocal pos
        if pos >= len(items):
            raise ParseError("unexpected end")      # =(1
        tok = items[pos]
        pos += 1
        return tok

    def primary() -> Node:
        tok = peek()
        if tok is None:
            raise ParseError("unexpected end")
        if tok.type == Token.OP_PRE:
            take()
            operand = expr(_PREFIX_POWER)
            return Op("neg" if tok.value == "-" else "pos", [operand])
        if tok.type == Token.OPERAND:
            take()
            if tok.subtype == Token.NUMBER:
                number = float(tok.value)
                # a constant beyond Excel's largest number (1E+400, a 401-digit integer) is #NUM!
                node: Node = Const(number if math.isfinite(number) else NUM)
            elif tok.subtype == Token.TEXT:
                node = Const(tok.value[1:-1].replace('""', '"'))
            elif tok.subtype == Token.LOGICAL:
                node = Const(tok.value.upper() == "TRUE")
            elif tok.subtype == Token.ERROR:
                node = Const(ERRORS.get(tok.value.upper(), XLError(tok.value.upper())))
            else:
                node = Ref(tok.value)
            return node
        if tok.type == Token.FUNC and tok.subtype == Token.OPEN:
            call = function_call()
            nxt = peek()
            if nxt is not None and nxt.type == Token.PAREN and nxt.subtype == Token.OPEN and \
                    call.name.upper().endswith("LAMBDA"):
                return invocation(call)          # LAMBDA(x, x+1)(5): called where it is written
            return call
        return other(tok)

    def invocation(callee: Call) -> Node:
        nonlocal invoking
        take()
        args: list[Node] = [callee]
        if peek() is not None and peek().type == Token.PAREN and peek().subtype == Token.CLOSE:
            take()
            return Call(INVOKE, args)
        invoking += 1
        try:
            while True:
                nxt = peek()
                if nxt is not None and (nxt.type == Token.OP_IN and nxt.value == "," or
                                        nxt.type == Token.PAREN and nxt.subtype == Token.CLOSE):
                    args.append(Const(None))     # an empty argument: LAMBDA(x,y, ...)(1,)
                else:
                    args.append(expr(0))
                t = take()
                if t.type == Token.OP_IN and t.value == ",":
                    continue
                if t.type == Token.PAREN and t.subtype == Token.CLOSE:
                    return Call(INVOKE, args)
                raise ParseError(f"unexpected {t.value!r} in a LAMBDA call")
        finally:
            invoking -= 1

    def function_call() -> Call:
        tok = take()
        name = tok.value[:-1]
        args: list[Node] = []
        if peek() is not None and peek().type == Token.FUNC and peek().subtype == Token.CLOSE:
            take()
            return Call(name, args)
        while True:
            nxt = peek()
            if nxt is not None and nxt.type == Token.SEP and nxt.subtype == Token.ARG:
                args.append(Const(None))          # omitted argument
                take()
                continue
            if nxt is not None and nxt.type == Token.FUNC and nxt.subtype == Token.CLOSE:
                args.append(Const(None))
                take()
                return Call(name, args)
            args.append(expr(0))
            nxt = take()
            if nxt.type == Token.SEP and nxt.subtype == Token.ARG:
                continue
            if nxt.type == Token.FUNC and nxt.subtype == Token.CLOSE:
                return Call(name, args)
            raise ParseError(f"unexpected {nxt.value!r} in {name}")

    def other(tok) -> Node:
        if tok.type == Token.PAREN and tok.subtype == Token.OPEN:
            take()
            inner = expr(0)
            close = take()
            if not (close.type == Token.PAREN and close.subtype == Token.CLOSE):
                raise ParseError("unbalanced parenthesis")
            return inner
        if tok.type == Token.ARRAY and tok.subtype == Token.OPEN:
            take()
            rows: list[list[object]] = [[]]
            while True:
                t = take()
                if t.type == Token.ARRAY and t.subtype == Token.CLOSE:
                    return Array(rows)
                if t.type == Token.SEP:
                    if t.subtype == Token.ROW:
                        rows.append([])
                    continue
                sign = 1.0
                if t.type == Token.OP_PRE:
                    sign = -1.0 if t.value == "-" else 1.0
                    t = take()
                if t.type != Token.OPERAND or t.subtype == Token.RANGE:
                    raise ParseError("bad array constant")
                if t.subtype == Token.NUMBER:
                    number = sign * float(t.value)
                    rows[-1].append(number if math.isfinite(number) else NUM)
                elif t.subtype == Token.TEXT:
                    rows[-1].append(t.value[1:-1].replace('""', '"'))
                elif t.subtype == Token.LOGICAL:
                    rows[-1].append(t.value.upper() == "TRUE")
                else:
                    rows[-1].append(ERRORS.get(t.value.upper(), XLError(t.value.upper())))
        raise ParseError(f"unexpected {tok.value!r}")

    def expr(min_power: int) -> Node:
        left = primary()
        while True:
            tok = peek()
            if tok is None:
                return left
            if tok.type == Token.OP_POST:      # percent
                take()
                left = Op("%", [left])
                continue
            if tok.type != Token.OP_IN or (invoking and tok.value == ","):
                return left
            power = _BINARY.get(tok.value)
            if power is None:
                raise ParseError(f"operator {tok.value!r}")
            if power <= min_power and not (tok.value == "^" and power == min_power and False):
                return left
            take()
            right = expr(power)
            left = Op(tok.value, [left, right])

    try:
        tree = expr(0)
    except RecursionError:
        raise ParseError("nested too deeply") from None
    if pos != len(items):
        raise ParseError(f"unexpected {items[pos].value!r}")
    return tree


# relative-reference templates: strings and quoted sheet names are kept as they are
_TEMPLATE_RE = re.compile(r'("(?:[^"]|"")*")|(\'(?:[^\']|\'\')*\')'
                          r"|(?<![A-Za-z0-9_.$])(\$?)([A-Za-z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(!])")
_CELL_RE = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d+)")
_AREA_RE = re.compile(r"^\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?$")


def template(formula: str, row: int, col: int) -> str:
    """The formula with every cell reference written relative to (row, col), R1C1-style."""
    def sub(m: re.Match) -> str:
        if m.group(1) is not None or m.group(2) is not None:
            return m.group(0)
        cabs, letters, rabs, digits = m.group(3, 4, 5, 6)
        try:
            c = column_index_from_string(letters.upper())
        except ValueError:
            return m.group(0)
        r = int(digits)
        return (f"C{c}" if cabs else f"C[{c - col}]") + (f"R{r}" if rabs else f"R[{r - row}]")
    return _TEMPLATE_RE.sub(sub, formula)


def _shift_ref(text: str, dr: int, dc: int) -> str:
    sheet, area = split_sheet(text)
    prefix = text[:len(text) - len(area)] if sheet is not None else ""
    if not _AREA_RE.match(area):
        return text          # a defined name, whole rows or columns: not re-based

    def sub(m: re.Match) -> str:
        cabs, letters, rabs, digits = m.groups()
        c = column_index_from_string(letters.upper())
        col = letters if cabs else get_column_letter(c + dc)
        row = digits if rabs else str(int(digits) + dr)
        return f"{cabs}{col}{rabs}{row}"
    return prefix + _CELL_RE.sub(sub, area)


def rebase(node: Node, dr: int, dc: int) -> Node:
    """A copy of a parsed formula with its relative references moved by (dr, dc)."""
    if dr == 0 and dc == 0:
        return node
    t = type(node)
    if t is Ref:
        return Ref(_shift_ref(node.text, dr, dc))
    if t is Op:
        return Op(node.op, [rebase(a, dr, dc) for a in node.args])
    if t is Call:
        return Call(node.name, [rebase(a, dr, dc) for a in node.args])
    return node

