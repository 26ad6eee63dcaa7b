"""The Excel modules: addin.excel.xl through xlwings' own Windows UDF machinery, and addin.excel.lite / ``warrants lite``.

xlwings' ``udfs.py`` (what ``Import Functions`` runs on Windows) needs only
``pythoncom``, ``pywintypes`` and ``win32com.client`` at import; with small
stand-ins for those, the real ``xlfunc/xlarg/xlret/xlsub`` decorate addin.excel.xl
and the real ``generate_vba_wrapper`` writes the VBA Excel would get.
"""
from __future__ import annotations

import importlib
import inspect
import io
import re
import subprocess
import sys
import tomllib
import types
from datetime import datetime
from pathlib import Path

import pytest

from addin.excel.catalog import CATALOG
from tests.test_addin_catalog import D1_TERMS, SPLIT

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def windows_xl():
    """addin.excel.xl imported afresh with xlwings.func/arg/ret/script bound to xlwings' Windows decorators."""
    import xlwings

    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = type("com_error", (Exception,), {})
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *a, **k: None
    win32com.client = client
    stand_ins = {"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com, "win32com.client": client}
    touched = [*stand_ins, "xlwings.udfs", "addin.excel.xl"]
    saved_modules = {name: sys.modules.get(name) for name in touched}
    saved_attrs = {name: getattr(xlwings, name) for name in ("func", "arg", "ret", "script")}
    import addin.excel
    saved_xl = getattr(addin.excel, "xl", None)
    try:
        sys.modules.update(stand_ins)
        sys.modules.pop("xlwings.udfs", None)
        sys.modules.pop("addin.excel.xl", None)
        udfs = importlib.import_module("xlwings.udfs")
        xlwings.func, xlwings.arg, xlwings.ret, xlwings.script = udfs.xlfunc, udfs.xlarg, udfs.xlret, udfs.xlsub
        yield importlib.import_module("addin.excel.xl"), udfs
    finally:
        for name, module in saved_modules.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        for name, value in saved_attrs.items():
            setattr(xlwings, name, value)
        if hasattr(xlwings, "udfs") and saved_modules["xlwings.udfs"] is None:
            del xlwings.udfs
        if saved_xl is None:
            addin.excel.__dict__.pop("xl", None)
        else:
            addin.excel.xl = saved_xl


def test_windows_metadata_is_the_catalogs(windows_xl):
    xl, _udfs = windows_xl
    for name, entry in CATALOG.items():
        meta = getattr(xl, name).__xlfunc__
        assert meta["name"] == name and meta["sub"] is False and meta["category"] == "Warrants"
        assert meta["ret"]["doc"] == entry.doc and len(entry.doc) <= 255  # the wizard's 255-character limit
        assert "expand" not in meta["ret"]["options"]  # native dynamic arrays: Excel spills, never overwrites
        args = meta["args"]
        assert [a["name"] for a in args] == [a.name for a in entry.args] + ["caller"]
        for got, want in zip(args, entry.args):
            assert got["options"] == {"ndim": 2, "err_to_str": True}, (name, want.name)
            assert got["doc"] == want.doc and len(want.doc) <= 255, (name, want.name)
            assert ("optional" in got) == want.optional, (name, want.name)  # [optional] in the wizard
        assert "optional" in args[-1]  # caller: filled by xlwings, hidden from Excel
    for macro in ("make_adjustment_certificate", "make_purchase_form", "import_ocf"):
        meta = getattr(xl, macro).__xlfunc__
        assert meta["sub"] is True and meta["args"] == []


def test_windows_vba_written_by_import_functions(windows_xl):
    xl, udfs = windows_xl
    book = types.SimpleNamespace(Name="performance_warrant_d1.xlsm")
    vba = io.StringIO()
    udfs.generate_vba_wrapper("addin.excel.xl", xl, vba, book)
    text = vba.getvalue()
    functions = dict(re.findall(r"^Function (\w+)\((.*)\)$", text, flags=re.M))
    assert set(functions) == set(CATALOG)
    for name, entry in CATALOG.items():
        assert functions[name].split(", ") == [("Optional " if a.optional else "") + a.name for a in entry.args]
        # caller is not an Excel argument: the wrapper passes Nothing and xlwings puts the range there.
        call = f'XLPy.CallUDF("addin.excel.xl", "{name}", Array({", ".join(a.name for a in entry.args)}, Nothing)'
        assert call in text, name
    assert re.findall(r"^Sub (\w+)\(\)$", text, flags=re.M) == ["import_ocf", "make_adjustment_certificate",
                                                               "make_purchase_form"]
    assert "expand" not in text.lower()


def test_windows_call_as_xlwings_makes_it(windows_xl):
    xl, _udfs = windows_xl
    # call_udf passes every argument positionally, caller last (None here: no COM, the 1900 system).
    assert xl.WARRANT_PRICE(D1_TERMS, SPLIT, [[datetime(2004, 6, 15)]], None) == 0.005  # §4(b) 2-for-1: $.01/2
    assert xl.WARRANT_SHARES(D1_TERMS, SPLIT, [[datetime(2004, 6, 15)]], None) == 322580  # 161,290 x 2


def test_import_on_linux_and_one_udf_per_catalog_entry():
    import addin.excel.xl as xl

    assert set(xl.UDFS) == set(CATALOG)
    for name, func in xl.UDFS.items():
        params = list(inspect.signature(func).parameters.values())
        assert [p.name for p in params] == [a.name for a in CATALOG[name].args] + ["caller"]
        for p, a in zip(params, CATALOG[name].args):
            assert (p.default is None) == a.optional, (name, a.name)
        assert getattr(xl, name) is func and func.__doc__


def test_udfs_call_the_catalog():
    import addin.excel.xl as xl

    assert xl.WARRANT_PRICE(D1_TERMS, SPLIT, datetime(2004, 6, 15)) == 0.005  # §4(b) 2-for-1: $.01 / 2
    assert xl.WARRANT_SHARES(D1_TERMS, SPLIT, datetime(2004, 6, 15)) == 322580
    refused = xl.WARRANT_PRICE([["Preset", "D-1"], ["Warrant Shares", -1.0]], None, datetime(2004, 6, 15))
    assert refused.startswith("#WARRANT: ") and "Warrant Shares" in refused
    with pytest.raises(TypeError):
        xl.WARRANT_PRICE(D1_TERMS)  # a missing required argument is Python's error, as for any function


def test_wizard_text_cuts_at_a_word():
    from addin.excel.xl import wizard_text

    assert wizard_text("short") == "short"
    # 64 x "word " = 320 characters: 254 characters end inside the 51st word, so 50 words and "…" remain.
    cut = wizard_text("word " * 64)
    assert cut == " ".join(["word"] * 50) + "…" and len(cut) <= 255


def test_importing_the_catalog_does_not_import_the_xlwings_module():
    code = "import sys, addin; print('addin.excel.xl' in sys.modules, 'xlwings' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# --------------------------------------------------------------------------- xlwings Lite

def test_lite_module_declares_every_catalog_function():
    import addin.excel.lite as lite

    assert set(lite.LITE_FUNCTIONS) == set(CATALOG)
    for name, func in lite.LITE_FUNCTIONS.items():
        params = list(inspect.signature(func).parameters.values())
        assert [p.name for p in params] == [a.name for a in CATALOG[name].args]  # no caller in Lite
        assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in params)
    assert lite.WARRANT_PRICE(D1_TERMS, SPLIT, [[38153.0]]) == 0.005  # serial 38153 = 2004-06-15 (1900 system)
    assert inspect.signature(lite.make_purchase_form).parameters["book"].annotation.__name__ == "Book"


def test_lite_requirements_are_the_engines_dependencies():
    import addin.excel.lite as lite

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert set(lite.REQUIREMENTS) <= set(declared)


def test_warrants_lite_writes_a_reproducible_bundle(tmp_path):
    from typer.testing import CliRunner

    from addin.cli.cli import app

    for folder in ("a", "b"):
        assert CliRunner().invoke(app, ["lite", str(tmp_path / folder)]).exit_code == 0
    main_a = (tmp_path / "a" / "main.py").read_text()
    assert main_a == (tmp_path / "b" / "main.py").read_text()  # same sources, same bundle
    assert main_a.endswith(Path(importlib.import_module("addin.excel.lite").__file__).read_text())
    assert (tmp_path / "a" / "requirements.txt").read_text() == "tzdata\nholidays>=0.50\n"
    again = subprocess.run([sys.executable, "-m", "addin.cli.cli", "lite", str(tmp_path / "a")], capture_output=True,
                           text=True)
    assert again.returncode == 2 and "already has main.py" in again.stderr and "Traceback" not in again.stderr
