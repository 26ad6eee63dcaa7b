"""The ``warrants`` console script and the output helpers its commands share.

There is one command front end, :func:`addin.cli.main` (typer parses every command line;
its exit codes and one-line errors are written there). This module keeps what the commands
print through: two rich consoles made when first used (importing rich is ~0.03 s, and
``recalc --json`` usually prints nothing through them), the one-line error texts and the
JSON printer. Nothing here changes process-wide state while a command runs: no ``os._exit``, no
module replaced in ``sys.modules``; only the console script, whose process ends with its command,
hands what lives until then to no collection (``gc.freeze``): its modules and a recalculated
book as soon as they are made (:func:`lasting`), the rest once the command is done.
"""
from __future__ import annotations

import contextlib
import gc
import os
import sys

__all__ = ["Console", "command", "err", "interrupted", "internal_error", "out", "print_json", "print_notes",
           "report_error"]


class Console:
    """A rich Console made when first used."""

    def __init__(self, **options) -> None:
        self._options, self._console = options, None

    def __getattr__(self, name: str):
        return getattr(self.made(), name)

    @property
    def is_terminal(self) -> bool:
        """rich's ``Console.is_terminal``, answered without importing rich when it can only be False:
        no console made yet, nothing forcing one (``force_terminal``, ``FORCE_COLOR``,
        ``TTY_COMPATIBLE``) and the stream not a terminal. rich says True only when forced or when
        the stream's ``isatty()`` does (``recalc --json > file`` asks, to decide on a spinner)."""
        if self._console is None and not (self._options.keys() & {"force_terminal", "file"}) \
                and not (os.environ.keys() & {"FORCE_COLOR", "TTY_COMPATIBLE"}):
            stream = sys.stderr if self._options.get("stderr") else sys.stdout
            isatty = getattr(stream, "isatty", None)
            try:
                if isatty is None or not isatty():
                    return False
            except ValueError:        # a closed stream (rich: not a terminal either)
                return False
        return self.made().is_terminal

    def made(self):
        """The rich Console itself (for rich objects that take one)."""
        if self._console is None:
            from rich.console import Console as RichConsole  # noqa: PLC0415
            self._console = RichConsole(**self._options)
        return self._console


out = Console()
err = Console(stderr=True, highlight=False)
script = False       # True in the console script (:func:`command`): the process ends with its command


@contextlib.contextmanager
def lasting():
    """In the console script, what is made inside lives until the process ends (modules, the book
    and its recalculation): the cyclic collector is paused meanwhile, then those objects are handed
    to no collection (``gc.freeze``), so that no later collection walks them (the first one after a
    10,000-row register's recalculation walked every object of it: ~0.02 s, ~0.04 s a command in all).
    Anywhere else (``main()`` called in a process that goes on, a test) nothing changes."""
    if not script:
        yield
        return
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def report_error(message: str, console=None) -> None:
    """A bad file, a bad place or bad input: one line on standard error (exit code 2)."""
    from addin.cli.terminal import shown  # noqa: PLC0415
    (console or err).print(shown(f"warrants: error: {message}"), markup=False, soft_wrap=True)


def interrupted(console=None, what: str = "interrupted") -> None:
    (console or err).print(f"warrants: {what}", markup=False)


def internal_error(exc: BaseException, console=None) -> None:
    """A bug: its type and first 200 characters on one line (exit code 3), never a traceback."""
    from addin.cli.terminal import shown  # noqa: PLC0415
    text = shown(' '.join(str(exc).split())[:200])
    (console or err).print(f"warrants: internal error: {type(exc).__name__}: {text}", markup=False, soft_wrap=True)


def print_json(result, console=None) -> None:
    """The recalculation's JSON object on standard output, one line; notes on standard error."""
    sys.stdout.write(result.json_text())
    sys.stdout.write("\n")
    sys.stdout.flush()
    print_notes(result, console)


def print_notes(result, console=None) -> None:
    """What a recalculation recorded (exceptions in catalog functions, unsupported cells)."""
    from addin.recalc import cell_key  # noqa: PLC0415
    from addin.cli.terminal import shown  # noqa: PLC0415
    console = console or err
    for exc in result.exceptions:
        console.print(shown(f"exception recorded: {exc}"), markup=False, soft_wrap=True)
    for key, why in list(result.unsupported.items())[:20]:
        console.print(shown(f"unsupported: {cell_key(*key)}: {why}"), markup=False, soft_wrap=True)
    if len(result.unsupported) > 20:
        console.print(f"unsupported: {len(result.unsupported) - 20} more cells", markup=False, soft_wrap=True)


def command() -> None:
    """The ``warrants`` console script. When its command is done (``main`` ends in SystemExit), the
    objects still tracked by the cyclic collector are frozen: the interpreter's collections at exit
    would walk every one of them (~0.01-0.02 s of each command) to free what the end of the process
    frees anyway. Standard output is flushed and the exit code set as before; only ``main()``
    called in a process that goes on (a test) keeps its collector as it was. The modules, and a
    recalculated book, are handed over as soon as they are made (:func:`lasting`)."""
    global script
    script = True
    with lasting():
        from addin.cli.cli import main  # noqa: PLC0415
    try:
        main()
    finally:
        gc.freeze()
