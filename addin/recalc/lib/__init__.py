"""Excel's native functions, grouped by kind (one module each), in one table.

Every function takes ``(ev, args)``: the evaluator (``ev.epoch``, ``ev.scalar_number``,
``ev.unsupported``) and a list of ``(is_reference, value)`` pairs, a range as a grid.

Each function declares its facts beside its code (:class:`.common.Facts`: which arguments are
ranges, references, numbers; which broadcast over arrays; where an error is data), with
``scalar_fn(fn, arity, kinds, **facts)`` or ``declare(fn, **facts)``. :data:`FACTS` is the
registry the evaluator reads; RANGE_FUNCTIONS, REFERENCE_FUNCTIONS and VOLATILE are derived
from it.

The table is built when first asked for (PEP 562: the module's ``__getattr__``), which imports
every module of the library (~0.02 s): a book whose formulas call no native function (only the
add-in's catalog, or none at all) is recalculated without them. Importing one module
(``from .lib.math import power``) imports that module and what it uses, not the table.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from .common import Facts

# the modules that register functions (each in its FUNCTIONS): the registry is their union
_MODULE_NAMES = ("math", "stats", "logical", "info", "text", "date_time", "lookup", "finance", "engineering", "database",
                 "dynamic", "distributions", "convert", "reference", "regexp", "subtotal")
_TABLE = ("NATIVE", "FACTS", "RANGE_FUNCTIONS", "REFERENCE_FUNCTIONS", "VOLATILE", "_MODULES")

NATIVE: dict[str, Callable[[Any, list], object]]
FACTS: dict[str, Facts]        # the registry: every native function's facts
RANGE_FUNCTIONS: frozenset[str]
REFERENCE_FUNCTIONS: frozenset[str]
VOLATILE: frozenset[str]

__all__ = ["NATIVE", "FACTS", "RANGE_FUNCTIONS", "REFERENCE_FUNCTIONS", "VOLATILE"]


def _build() -> None:
    from .common import facts_of  # noqa: PLC0415
    modules = tuple(import_module(f".{name}", __name__) for name in _MODULE_NAMES)
    native: dict[str, Callable[[Any, list], object]] = {}
    for module in modules:
        native.update(module.FUNCTIONS)
    facts = {name: facts_of(fn) for name, fn in native.items()}
    globals().update(_MODULES=modules, NATIVE=native, FACTS=facts,
                     RANGE_FUNCTIONS=frozenset(n for n, f in facts.items() if f.ranges),
                     REFERENCE_FUNCTIONS=frozenset(n for n, f in facts.items() if f.refs),
                     VOLATILE=frozenset(n for n, f in facts.items() if f.volatile))


def __getattr__(name: str):
    if name in _TABLE:
        _build()
        return globals()[name]
    if name in _MODULE_NAMES:            # ``lib.stats`` before anything imported it
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_TABLE) | set(_MODULE_NAMES))
