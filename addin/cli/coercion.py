"""Command-line values that need no conversion, passed without pydantic (typer 0.29 and later).

typer 0.29 coerces every parameter's value through a pydantic ``TypeAdapter``
(``typer/_coercion.py``), built when the value is first coerced; importing pydantic is about
0.06 s of every command (``warrants recalc BOOK --json`` on a 10,000-row register takes
0.8-1 s in all). Most values a command receives need no conversion: a missing option (None), a
default already of its type, a path typed as text. :func:`plain_values` gives each parameter a
coercion that returns typer's own result for exactly those values, without building the
adapter, and hands every other value to typer's own coercion (built then, as typer builds it):
its conversions, checks and messages are typer's.

What typer does with those values, with the default flags of ``typer.Argument``/``Option``
(``typer/_param_types.py``, ``coerce_cli_path``; ``typer/_adapters.py``):

* None, for a parameter taking one value: None;
* a ``Path`` given as text: ``Path(text)`` (pydantic's path validator), then ``os.stat`` of it:
  a path that exists must be readable (``os.access(path, os.R_OK)``), else typer refuses it;
* an ``int`` or ``float`` already of its type (a default): itself, when within ``min``/``max``.

With typer before 0.29 (click's own types, no pydantic) the parameters have no such coercion
and nothing is changed. ``tests/test_cli_startup.py`` compares every parameter's result with
typer's own on each kind of value.
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["plain_values"]

_TYPER = object()          # "not a plain value: typer's own coercion decides"
_PATH_DEFAULTS = {"exists": False, "file_okay": True, "dir_okay": True, "writable": False, "readable": True,
                  "resolve_path": False, "allow_dash": False, "path_type": None, "parser": None}


def plain_values(command) -> None:
    """Give each parameter of ``command`` (a click group or command typer made, for this run) and
    of its subcommands the coercion below, where typer coerces through pydantic; the ``--help``
    option too, which typer makes when the command line is parsed."""
    for sub in getattr(command, "commands", {}).values():
        plain_values(sub)
    for param in getattr(command, "params", ()):
        _give(param)
    made = getattr(command, "get_help_option", None)
    if made is not None:
        def get_help_option(ctx):
            option = made(ctx)
            if option is not None:
                _give(option)
            return option
        command.get_help_option = get_help_option      # this command object only


def _give(param) -> None:
    if getattr(param, "_runtime_param", 0) is None and hasattr(param, "type_descriptor"):
        param._runtime_param = _PlainFirst()              # noqa: SLF001 - typer's lazily built coercion


class _PlainFirst:
    """A parameter's coercion: a plain value here, any other by typer's own (built when first needed)."""

    __slots__ = ("_typer",)

    def __init__(self) -> None:
        self._typer = None

    def coerce(self, value, param, ctx):
        if value is None and not (param.multiple or param.nargs == -1):
            return None                   # typer's RuntimeParam.coerce: a missing single value is None
        descriptor = param.type_descriptor
        if getattr(descriptor, "file_annotation", 0) is None:
            plain = _plain(value, descriptor.annotation, descriptor.parameter_info)
            if plain is not _TYPER:
                return plain
        if self._typer is None:
            from typer.core import build_runtime_param  # noqa: PLC0415 - typer's own, with pydantic
            self._typer = build_runtime_param(descriptor)
        return self._typer.coerce(value, param=param, ctx=ctx)


def _plain(value, annotation, info):
    """typer's result for ``value``, or ``_TYPER`` when typer's own coercion must decide."""
    if annotation is Path and type(value) is str \
            and all(getattr(info, flag, None) == want for flag, want in _PATH_DEFAULTS.items()):
        path = Path(value)                # typer tests the path made ("" is ".")
        try:
            os.stat(path)
        except OSError:                   # typer: a path that does not exist is taken as it is
            return path
        except ValueError:                # an embedded NUL: typer's own coercion decides
            return _TYPER
        return path if os.access(path, os.R_OK) else _TYPER
    if annotation in (int, float) and type(value) is annotation and not getattr(info, "clamp", True) \
            and getattr(info, "parser", 0) is None:
        low, high = getattr(info, "min", _TYPER), getattr(info, "max", _TYPER)
        if low is not _TYPER and high is not _TYPER and (low is None or value >= low) \
                and (high is None or value <= high):                                 # NaN: typer decides
            return value
    return _TYPER
