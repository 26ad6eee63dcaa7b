"""The optional fallback: the ``formulas`` package for functions the evaluator does not have.

It is used only behind the "exact or error" rule: a formula is handed over only when every
function it calls is in ``allowed`` (functions whose results were checked against Excel's own
values); anything else stays an unsupported error. The package gets no cell context, so
ROW()/COLUMN() are never handed over.
"""
from __future__ import annotations

import datetime as _dt

from openpyxl.formula.tokenizer import Token, Tokenizer

from .values import ERRORS, NAME, VALUE, XLError, cell_key, is_grid, to_number

NEVER = frozenset({"ROW", "COLUMN", "INDIRECT", "OFFSET", "CELL", "NOW", "TODAY", "RAND", "RANDBETWEEN"})


class FormulasFallback:
    """Delegate whole formulas to the ``formulas`` package (``allowed=None``: any function, for
    measurements only)."""

    def __init__(self, allowed: frozenset | None = frozenset()):
        self.allowed = allowed

    def delegate(self, ev, key, formula: str):
        """The formula's value, or None when it may not be handed over."""
        try:
            import formulas  # noqa: PLC0415, F401 - slow import, only when needed (present?)
        except ImportError:
            return None
        names = [ev.function_name(w) for w in _function_names(formula)]
        for kind, name in names:
            if kind == "unknown" and (name in NEVER or (self.allowed is not None and name not in self.allowed)
                                      or name not in _formulas_functions()):
                return None
        return _delegate(ev, key, formula)


def _delegate(ev, key, formula: str):
    import formulas  # noqa: PLC0415 - slow import, only when needed
    import numpy as np  # noqa: PLC0415
    known = _formulas_functions()
    registry = formulas.get_functions()
    for written in _function_names(formula):
        kind, name = ev.function_name(written)
        if kind == "unknown" and name not in known:
            return NAME          # unknown to us and to formulas: #NAME?, as in Excel
        if kind == "catalog":
            # the catalog function under the name as written (plain, _xldudf_, XLWINGS. ...)
            registry[written.upper()] = _catalog_for_formulas(ev, name)
    try:
        func = formulas.Parser().ast(formula)[1].compile()
    except Exception as exc:
        msg = str(exc)
        return NAME if ("DISPATCHING" in msg or "NotImplemented" in msg or "not implemented" in msg.lower()) \
            else VALUE
    inputs = []
    for ref in func.inputs:
        rng = ev.resolve(ref, key[0])
        if isinstance(rng, XLError):
            inputs.append(rng)
            continue
        g = ev.grid(rng)
        conv = [[_for_formulas(x, ev.epoch) for x in row] for row in g]
        if rng.single:
            inputs.append(conv[0][0])
        else:
            inputs.append(np.array(conv, dtype=object))
    try:
        out = func(*inputs)
    except Exception as exc:
        return NAME if "NotImplemented" in repr(exc) else VALUE
    ev.result.delegated.append(cell_key(*key))
    return _from_formulas(out)

def _catalog_for_formulas(ev, name: str):
    """A catalog function for the formulas package: its exceptions are recorded, not hidden."""
    import numpy as np  # noqa: PLC0415
    from formulas.functions import wrap_func  # noqa: PLC0415

    def run(*args):
        v = ev.call_catalog(name, [_from_formulas_arg(a) for a in args])
        if is_grid(v):
            return np.array([[_for_formulas(x, ev.epoch) for x in row] for row in v], dtype=object)
        return _for_formulas(v, ev.epoch)
    return wrap_func(run)


def _from_formulas_arg(a):
    import numpy as np  # noqa: PLC0415
    if isinstance(a, np.ndarray):
        grid = a.tolist() if a.ndim == 2 else [a.tolist()] if a.ndim == 1 else [[a.item()]]
        rows = [[_from_formulas_arg(x) for x in row] for row in grid]
        return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows
    if isinstance(a, np.generic):
        a = a.item()
    if a is None or isinstance(a, (bool, int, float)):
        return a
    if isinstance(a, str) and type(a) is not str and str(a).startswith("#"):
        return ERRORS.get(str(a), XLError(str(a)))          # formulas' XlError is a str subclass
    if isinstance(a, str):
        return str(a)
    text = str(a)
    if text.startswith("#"):
        return ERRORS.get(text, XLError(text))
    return None          # schedula's EMPTY


_FORMULAS_FUNCTIONS: set[str] | None = None


def _formulas_functions() -> set[str]:
    global _FORMULAS_FUNCTIONS
    if _FORMULAS_FUNCTIONS is None:
        import logging  # noqa: PLC0415
        import formulas  # noqa: PLC0415
        for name in ("formulas", "schedula"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        _FORMULAS_FUNCTIONS = {k.upper() for k in formulas.get_functions()}
    return _FORMULAS_FUNCTIONS


def _function_names(formula: str) -> list[str]:
    try:
        return [t.value[:-1] for t in Tokenizer(formula).items
                if t.type == Token.FUNC and t.subtype == Token.OPEN]
    except Exception:
        return []


def _for_formulas(x, epoch):
    if x is None:
        import schedula as sh  # noqa: PLC0415
        return sh.EMPTY
    if isinstance(x, XLError):
        from formulas.tokens.operand import Error  # noqa: PLC0415
        try:
            return Error.errors[str(x)]
        except (AttributeError, KeyError):
            return str(x)
    if isinstance(x, (_dt.date, _dt.datetime)):
        return to_number(x, epoch)
    return x


def _from_formulas(out):
    import numpy as np  # noqa: PLC0415
    if isinstance(out, np.ndarray):
        if out.ndim == 0:
            return _from_formulas(out.item())
        if out.shape == (1, 1) or out.size == 1:
            return _from_formulas(out.ravel()[0])
        grid = out.tolist() if out.ndim == 2 else [out.tolist()]
        return [[_from_formulas(x) for x in row] for row in grid]
    if isinstance(out, np.generic):
        out = out.item()
    if isinstance(out, bool):
        return out
    if isinstance(out, (int, float)):
        return float(out)
    if isinstance(out, str) and type(out) is not str and str(out).startswith("#"):
        return ERRORS.get(str(out), XLError(str(out)))      # formulas' XlError is a str subclass
    if isinstance(out, str):
        return str(out)
    text = str(out)
    if text.startswith("#"):
        return ERRORS.get(text, XLError(text))
    if text == "empty" or out is None:
        return 0.0
    return text


