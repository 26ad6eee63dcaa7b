"""The module Excel imports (UDF Modules = addin.xl): importable on Linux, one wrapper per catalog entry."""
from __future__ import annotations

import inspect
import subprocess
import sys
from datetime import datetime

from addin.catalog import CATALOG
from tests.test_addin_catalog import D1_TERMS, SPLIT


def test_import_on_linux_and_one_udf_per_catalog_entry():
    import addin.xl as xl

    assert set(xl.UDFS) == set(CATALOG)
    for name, func in xl.UDFS.items():
        params = list(inspect.signature(func).parameters)
        # xlwings passes the calling range to a parameter named "caller" and hides it from Excel.
        assert params == [a.name for a in CATALOG[name].args] + ["caller"]
        for p, a in zip(inspect.signature(func).parameters.values(), CATALOG[name].args):
            assert (p.default is None) == a.optional, (name, a.name)  # optional in Excel's wizard
        assert func.__doc__


def test_udfs_call_the_catalog():
    import addin.xl as xl

    assert xl.WARRANT_PRICE(D1_TERMS, SPLIT, datetime(2004, 6, 15)) == 0.005  # §4(b) 2-for-1: $.01 / 2
    assert xl.WARRANT_SHARES(D1_TERMS, SPLIT, datetime(2004, 6, 15)) == 322580
    assert xl.WARRANT_PRICE([["Warrant Shares", -1.0]], None, datetime(2004, 6, 15)).startswith("#WARRANT: ")


def test_macros_are_subs():
    import addin.xl as xl

    assert callable(xl.make_adjustment_certificate) and callable(xl.make_purchase_form)


def test_importing_the_catalog_does_not_import_the_xlwings_module():
    code = "import sys, addin; print('addin.xl' in sys.modules, 'xlwings' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
