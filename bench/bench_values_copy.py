"""Values-copy bench (issue 19; not a timed test): prints one JSON object.

    python bench/bench_values_copy.py [--rows 700000] [--keep DIR]

A book of ``rows`` x 6 cells (4.2M by default, the issue's runaway) is generated straight as XML:
column A a number, B a shared text, C ``=A*2``, D ``=A>3`` (a boolean), E ``=B&"x"`` (a text) and
F ``=C+1``, every formula with its cached value, as Excel saves them. Then, each as a new process
under ``/usr/bin/time -v`` (wall seconds and peak resident memory):

* ``values_copy``: ``warrants recalc BOOK -o OUT`` (what the issue measured: 102 s, 2.1 GB);
* ``floor_recalc``: ``warrants recalc BOOK --json > /dev/null``, the recalculation alone, the floor
  the values copy adds its writing to;
* ``caps``: the issue's caps (120 s, 5 GB) beside them.

Both run with ``--time-limit 0`` (no limit), so that a slow or shared machine still measures the
whole work; ``cpu_seconds`` (user + system) is the figure least moved by other load.
"""
from __future__ import annotations

import argparse
import json
import platform
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CAPS = {"seconds": 120, "peak_rss_mb": 5 * 1024}

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.styles+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="191029"/></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
           '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
WORDS = ("alpha", "beta", "gamma", "delta")


def write_package(path: Path, sheet_body, shared: str | None = None, after: str = "") -> None:
    """A one-sheet book ("Data") whose sheetData is written by ``sheet_body(write)`` (called with a
    function taking text), with ``shared`` as its shared-strings part's items and ``after`` the
    sheet's elements after sheetData (merges)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", _STYLES)
        zf.writestr("xl/sharedStrings.xml",
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
                    'openxmlformats.org/spreadsheetml/2006/main">' + (shared or "") + "</sst>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.'
                     b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            chunk: list[str] = []

            def write(text: str) -> None:
                chunk.append(text)
                if len(chunk) >= 5000:
                    fh.write("".join(chunk).encode())
                    chunk.clear()
            sheet_body(write)
            fh.write("".join(chunk).encode())
            fh.write(f"</sheetData>{after}</worksheet>".encode())


def write_book(path: Path, rows: int) -> int:
    """The bench book (see the module's docstring); returns its number of cells."""
    def body(write) -> None:
        for r in range(1, rows + 1):
            a = r % 7
            w = (r - 1) % len(WORDS)
            write(f'<row r="{r}"><c r="A{r}"><v>{a}</v></c><c r="B{r}" t="s"><v>{w}</v></c>'
                  f'<c r="C{r}"><f>A{r}*2</f><v>{2 * a}</v></c>'
                  f'<c r="D{r}" t="b"><f>A{r}&gt;3</f><v>{int(a > 3)}</v></c>'
                  f'<c r="E{r}" t="str"><f>B{r}&amp;"x"</f><v>{WORDS[w]}x</v></c>'
                  f'<c r="F{r}"><f>C{r}+1</f><v>{2 * a + 1}</v></c></row>')
    write_package(path, body, "".join(f"<si><t>{w}</t></si>" for w in WORDS))
    return rows * 6


def timed(argv: list[str], stdout=subprocess.DEVNULL) -> dict:
    """Run ``argv`` under /usr/bin/time -v: wall seconds, peak RSS in MB, exit code."""
    run = subprocess.run(["/usr/bin/time", "-v", *argv], stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", run.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", run.stderr))
    seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    peak = int(rss.group(1)) / 1024
    own = run.stderr.split("\tCommand being timed")[0].splitlines()
    tail = [line for line in own if not line.startswith("Command exited with")][-2:]
    return {"seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "peak_rss_mb": round(peak), "exit": run.returncode,
            "within_caps": seconds <= CAPS["seconds"] and peak <= CAPS["peak_rss_mb"],
            **({"stderr": tail} if run.returncode else {}), **({"stdout": run.stdout} if stdout == subprocess.PIPE else {})}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=700_000)
    ap.add_argument("--keep", type=Path, help="write the book and its copy here (kept)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        book, out = folder / "big.xlsx", folder / "big.values.xlsx"
        cells = write_book(book, args.rows)
        warrants = [sys.executable, "-m", "addin.cli.cli"]
        limit = ["--time-limit", "0"]         # measured whole: the default limit would stop a slow machine's run
        copy = timed([*warrants, "recalc", str(book), "-o", str(out), *limit])
        floor = timed([*warrants, "recalc", str(book), "--json", *limit])
        report = {"bench": "values_copy", "cells": cells, "formulas": args.rows * 4,
                  "book_mb": round(book.stat().st_size / 2 ** 20, 1),
                  "copy_mb": round(out.stat().st_size / 2 ** 20, 1) if out.exists() else None,
                  "values_copy": copy, "floor_recalc": floor, "caps": CAPS,
                  "python": platform.python_version(), "machine": platform.machine()}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
