"""What `warrants` loads and asks at start-up: the console's terminal test answers as rich's
does (without importing rich when the answer can only be "no"), and `recalc --json` imports
neither openpyxl (nor numpy through it) nor rich; `--help` and `--version` not the
recalculation (nor `--help` the engine)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console as RichConsole

from addin.cli import launch

ROOT = Path(__file__).resolve().parents[1]
D1 = ROOT / "workbooks" / "performance_warrant_d1.xlsx"
HEAVY = ("openpyxl", "numpy", "rich", "PIL", "pydantic")   # pydantic: typer 0.29+ coerces through it (addin/cli/coercion.py)


class _Stream:
    def __init__(self, tty) -> None:
        self.tty = tty

    def isatty(self):
        if self.tty is None:
            raise ValueError("I/O operation on closed file")
        return self.tty

    def write(self, text):
        return len(text)

    def flush(self):
        pass


@pytest.mark.parametrize("tty", [True, False, None])
@pytest.mark.parametrize("env", [{}, {"FORCE_COLOR": "1"}, {"FORCE_COLOR": ""}, {"TTY_COMPATIBLE": "1"},
                                 {"TTY_COMPATIBLE": "0"}, {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}])
@pytest.mark.parametrize("stderr", [True, False])
def test_is_terminal_answers_as_rich_does(monkeypatch, tty, env, stderr):
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stderr" if stderr else "stdout", _Stream(tty))
    options = {"stderr": True} if stderr else {}
    assert launch.Console(**options).is_terminal == RichConsole(**options).is_terminal


def test_is_terminal_off_a_terminal_does_not_make_a_rich_console(monkeypatch):
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "stderr", _Stream(False))
    console = launch.Console(stderr=True)
    assert console.is_terminal is False and console._console is None     # noqa: SLF001 - nothing made
    forced = launch.Console(stderr=True, force_terminal=True)
    assert forced.is_terminal is True                                    # forced: rich decides


def _loaded(*args: str) -> tuple[list[str], str]:
    """The heavy packages a `warrants` process loaded, and its standard output."""
    code = ("import sys\nfrom addin.cli.cli import main\nsys.argv = ['warrants'] + sys.argv[1:]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print('LOADED', sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}), "
            "'addin.recalc.evaluate' in sys.modules, 'engine' in sys.modules, file=sys.stderr)\n")
    run = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    return run.stderr.strip().splitlines()[-1], run.stdout


def _typer_loads_rich() -> bool:
    """Whether importing typer alone loads rich (typer 0.15, the lowest version allowed, does)."""
    run = subprocess.run([sys.executable, "-c", "import sys, typer; print('rich' in sys.modules)"],
                         capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    return run.stdout.strip() == "True"


def test_recalc_json_imports_no_openpyxl_or_rich():
    line, out = _loaded("recalc", str(D1), "--json")
    expected = "LOADED ['rich'] True True" if _typer_loads_rich() else "LOADED [] True True"
    assert line == expected and out.startswith("{")


@pytest.mark.parametrize("args,engine", [(("--help",), False), (("recalc", "--help"), False),
                                         (("--version",), True)])    # the version names the engine's
def test_help_and_version_do_not_load_the_recalculation(args, engine):
    line, out = _loaded(*args)
    assert line.startswith("LOADED") and line.endswith(f"False {engine}") and out


# ----------------------------------------------------------------------------- values without pydantic

def _coerced(coercion, value, param, ctx):
    try:
        return "value", coercion.coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # noqa: BLE001 - the refusal itself is compared
        return type(exc).__name__, str(exc)


_VALUES = [None, 120.0, 0.0, -1.0, float("nan"), float("inf"), 3, "30", "", "-", "a\0b", "no/such/file.xlsx",
           str(D1), str(ROOT / "workbooks"), "2024-01-10", "D-1", ("a.xlsx", str(D1)), ()]


@pytest.mark.parametrize("unreadable", [False, True])
def test_values_passed_without_pydantic_are_what_typer_gives(monkeypatch, unreadable):
    # every parameter of every command, on each kind of value: the plain coercion's result (or
    # refusal, message included) is typer's own; with typer before 0.29 nothing is changed
    import typer
    import typer.core

    from addin.cli.cli import app
    from addin.cli.coercion import plain_values

    if unreadable:                        # a file that exists but cannot be read (root reads anything)
        monkeypatch.setattr(os, "access", lambda path, mode, **kw: False)
    group = typer.main.get_command(app)
    plain_values(group)
    own = getattr(typer.core, "build_runtime_param", None)
    compared = 0
    for name, command in [("warrants", group), *group.commands.items()]:
        ctx = command.context_class(command, info_name=name)
        for param in [*command.params, command.get_help_option(ctx)]:
            if own is None:               # typer before 0.29: click's own types, left as they are
                assert not hasattr(param, "_runtime_param")
                continue
            typer_own = own(param.type_descriptor)
            for value in _VALUES:
                assert _coerced(param.get_runtime_param(), value, param, ctx) == _coerced(
                    typer_own, value, param, ctx), (name, param.name, value)
                compared += 1
    assert compared > 500 or own is None


def test_recalc_json_builds_no_pydantic_adapter():
    line, out = _loaded("recalc", str(D1), "--json")
    assert "pydantic" not in line and out.startswith("{")
