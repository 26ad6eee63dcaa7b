"""The ``warrants`` console script, and what its two paths share.

``warrants recalc BOOK --json`` run from a script or a pipe (nothing shown on a terminal) is
the command a large book is recalculated with; it runs here without the command-line
framework (typer, its parameter conversion, which imports pydantic, and rich: ~0.1 s of
start-up on a one-second command) and without the interpreter's teardown of the book's
objects. Every other command line is :func:`addin.cli.cli.main`'s. Both print the same lines
through the same consoles, with the same exit codes (see addin/cli/cli.py).
"""
from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

__all__ = ["Console", "command", "err", "interrupted", "internal_error", "out", "print_json", "print_notes", "recalc_json_book",
           "report_error"]

# what makes rich draw on standard error even when it is no terminal (rich.console.Console.is_terminal)
_TERMINAL_ENV = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "FORCE_TERMINAL", "JUPYTER_COLUMNS",
                 "JUPYTER_LINES")


class Console:
    """A rich Console made when first used (importing rich is ~0.03 s, and ``recalc --json``
    usually prints nothing through it)."""

    def __init__(self, **options) -> None:
        self._options, self._console = options, None

    def __getattr__(self, name: str):
        return getattr(self.made(), name)

    def made(self):
        """The rich Console itself (for rich objects that take one)."""
        if self._console is None:
            from rich.console import Console as RichConsole  # noqa: PLC0415
            self._console = RichConsole(**self._options)
        return self._console


out = Console()
err = Console(stderr=True, highlight=False)


def report_error(message: str, console=None) -> None:
    """A bad file or bad input: one line on standard error (exit code 2)."""
    (console or err).print(f"warrants: error: {message}", markup=False, soft_wrap=True)


def interrupted(console=None) -> None:
    (console or err).print("warrants: interrupted")


def internal_error(exc: BaseException, console=None) -> None:
    """A bug: its type and first 200 characters on one line (exit code 3), never a traceback."""
    (console or err).print(f"warrants: internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}",
                           markup=False)


def print_json(result, console=None) -> None:
    """The recalculation's JSON object on standard output, one line; notes on standard error."""
    sys.stdout.write(result.json_text())
    sys.stdout.write("\n")
    sys.stdout.flush()
    print_notes(result, console)


def print_notes(result, console=None) -> None:
    """What a recalculation recorded (exceptions in catalog functions, unsupported cells)."""
    from addin.recalc import cell_key  # noqa: PLC0415
    console = console or err
    for exc in result.exceptions:
        console.print(f"exception recorded: {exc}", markup=False, soft_wrap=True)
    for key, why in list(result.unsupported.items())[:20]:
        console.print(f"unsupported: {cell_key(*key)}: {why}", markup=False, soft_wrap=True)
    if len(result.unsupported) > 20:
        console.print(f"unsupported: {len(result.unsupported) - 20} more cells", markup=False, soft_wrap=True)


def recalc_json_book(args: list[str]) -> Path | None:
    """The BOOK of ``warrants recalc BOOK --json`` (options in either order) when that is the
    whole command line and nothing would be drawn on a terminal (no spinner), else None."""
    if len(args) != 3 or args[0] != "recalc" or args.count("--json") != 1:
        return None
    book = args[2] if args[1] == "--json" else args[1]
    if not book or book.startswith("-"):
        return None
    try:
        terminal = sys.stderr.isatty()
    except (AttributeError, ValueError):
        terminal = True
    if terminal or any(name in os.environ for name in _TERMINAL_ENV):
        return None
    return Path(book)


def _recalc_json(book: Path) -> int:
    """``warrants recalc BOOK --json``: the exit code (0, or 2 for a bad file, 3, 130)."""
    try:
        from addin.cli.lightimport import import_openpyxl_lazily  # noqa: PLC0415
        import_openpyxl_lazily()
        from addin.excel import catalog  # noqa: PLC0415
        from addin.recalc import BookError, recalc_file  # noqa: PLC0415
        try:
            wb, result = recalc_file(book, catalog, read_only=True)
        except BookError as exc:
            report_error(str(exc))
            return 2
        print_json(result)
        from addin.documents.tables import cut_table_warnings  # noqa: PLC0415
        for line in cut_table_warnings(wb, book):     # issue 18: tables cut to one cell, on standard error
            err.print(line, markup=False, soft_wrap=True)
        return 0
    except KeyboardInterrupt:
        interrupted()
        return 130
    except Exception as exc:  # noqa: BLE001 - anything unforeseen: one line, exit 3
        internal_error(exc)
        return 3


def command() -> None:
    """The ``warrants`` console script."""
    book = recalc_json_book(sys.argv[1:])
    if book is None:
        from addin.cli.cli import main  # noqa: PLC0415
        main()
        return
    gc.disable()          # a short process whose objects live to its end (the recalculation pauses it too)
    code = _recalc_json(book)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):        # a closed pipe: the interpreter's own exit reports it
        sys.exit(code)
    os._exit(code)                       # no teardown of the book's objects (~0.08 s on 10,000 rows)
