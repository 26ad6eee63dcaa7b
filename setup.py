"""Which packages the wheel holds (everything else is in pyproject.toml).

The packages are found, never listed: every package (a folder with ``__init__.py``) under ``engine/`` and ``addin/`` (a new
subpackage such as ``addin/recalc/lib`` ships without an edit here). The sample workbooks of
``workbooks/`` ship as the data package ``addin.workbooks`` (``warrants check`` with no
argument and ``warrants samples DIR`` read them from an installed wheel), and the OCF schemas
ship beside ``addin/ocf``; pyproject.toml's
``[tool.setuptools]`` table cannot map a folder to a package name next to ``find``.
"""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["engine", "engine.*", "addin", "addin.*"]) + ["addin.workbooks"],
    package_dir={"addin.workbooks": "workbooks"},
    package_data={
        "addin.workbooks": ["*.xlsx"],
        # the Open Cap Table Format schemas, vendored unmodified with the coalition's licence and notice
        "addin.ocf": ["schema/*.md", "schema/*/*.json", "schema/*/*/*.json", "schema/*/*/*/*.json",
                      "schema/*/*/*/*/*.json", "schema/*/*/*/*/*/*.json"],
    },
)
