"""What `warrants` loads and asks at start-up: the console's terminal test answers as rich's
does (without importing rich when the answer can only be "no"), and `recalc --json` imports
neither openpyxl (nor numpy through it) nor rich; `--help` and `--version` not the
recalculation (nor `--help` the engine)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console as RichConsole

from addin.cli import launch

ROOT = Path(__file__).resolve().parents[1]
D1 = ROOT / "workbooks" / "performance_warrant_d1.xlsx"
HEAVY = ("openpyxl", "numpy", "rich", "PIL")     # (pydantic comes with typer 0.29 and later, for any command)


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
