"""The runaways of issue 19, each as ``warrants recalc BOOK --json`` (not a timed test): prints one
JSON object.

    python bench/bench_runaways.py [--only NAME ...]

Each book is generated straight as XML, then recalculated as a new process under
``/usr/bin/time -v`` with the command's defaults (``--time-limit 120`` included). Each case must
end within the caps (120 s, 5 GB): with its answer (exit 0) or a one-line refusal (exit 2, the line
shown). The issue's figures before the work are given beside each:

* ``index_chain``: a 200,000-cell chain (C1 = C2+1, ..., C200000 = 1) behind
  ``=INDEX(C1:C200000,1)`` (6.4 GB before);
* ``legacy_arrays``: three legacy array formulas each claiming 4.9M cells, in a tiny file (5.6 GB);
* ``merge_whole_sheet``, ``merge_million_rows``: a merged area C1:XFD1048576, C2:Z1000000;
* ``unclosed_c``, ``unclosed_si``: 200,000 unclosed ``<c>`` or ``<si>`` tags (the former
  regular-expression scan);
* the values copy of 4.2M cells is bench/bench_values_copy.py.
"""
from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_values_copy import CAPS, timed, write_package  # noqa: E402

N = 200_000


def index_chain(write) -> None:
    write(f'<row r="1"><c r="B1"><f>INDEX(C1:C{N},1)</f><v>{N}</v></c><c r="C1"><f>C2+1</f><v>{N}</v></c></row>')
    for r in range(2, N):
        write(f'<row r="{r}"><c r="C{r}"><f>C{r + 1}+1</f><v>{N - r + 1}</v></c></row>')
    write(f'<row r="{N}"><c r="C{N}"><v>1</v></c></row>')


def legacy_arrays(write) -> None:
    for r in (1, 2, 3):
        write(f'<row r="{r}"><c r="A{r}"><f t="array" ref="A{r}:E{r + 979_999}">1</f><v>1</v></c></row>')


def one_cell(write) -> None:
    write('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>A1+1</f><v>2</v></c></row>')


def unclosed_c(write) -> None:
    write('<row r="1">' + '<c r="A1"><v>1</v>' * N + "</row>")


def unclosed_si_cells(write) -> None:
    write('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')


CASES = {
    "index_chain": ("6.4 GB", lambda p: write_package(p, index_chain)),
    "legacy_arrays": ("5.6 GB", lambda p: write_package(p, legacy_arrays)),
    "merge_whole_sheet": ("17 billion cells looped", lambda p: write_package(
        p, one_cell, after='<mergeCells count="1"><mergeCell ref="C1:XFD1048576"/></mergeCells>')),
    "merge_million_rows": ("24 million cells looped", lambda p: write_package(
        p, one_cell, after='<mergeCells count="1"><mergeCell ref="C2:Z1000000"/></mergeCells>')),
    "unclosed_c": ("quadratic regular-expression scan", lambda p: write_package(p, unclosed_c)),
    "unclosed_si": ("quadratic regular-expression scan", lambda p: write_package(
        p, unclosed_si_cells, shared="<si><t>x</t>" * N)),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", choices=sorted(CASES), help="run these cases only")
    args = ap.parse_args()
    report: dict = {"bench": "runaways", "caps": CAPS, "python": platform.python_version(), "cases": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only or CASES:
            before, write = CASES[name]
            book = Path(tmp) / f"{name}.xlsx"
            write(book)
            run = timed([sys.executable, "-m", "addin.cli.cli", "recalc", str(book), "--json"], stdout=subprocess.PIPE)
            text = run.pop("stdout") or "{}"
            answer = json.loads(text).get("Data!B1") if run["exit"] == 0 else None
            report["cases"][name] = {"before": before, "book_kb": round(book.stat().st_size / 1024), **run,
                                     **({"Data!B1": answer} if answer is not None else {})}
            book.unlink()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
