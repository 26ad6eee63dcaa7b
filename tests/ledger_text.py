"""Ledgers written as small text tables inside tests (as beancount writes its ledgers in docstrings).

    2001-06-01 | ISSUE          | shares=1000 | consideration=9.95
    2001-11-01 | COMBINATION    | ratio=1-for-4

Each line is ``date | EVENT | key=value | ...`` with the keys of ``engine.EVENT_COLUMNS``.
Values stay text: the engine parses them (numbers as exact decimals).
"""
from __future__ import annotations

from engine import parse_events


def rows(text: str) -> list[dict]:
    out = []
    for line in text.strip().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        day, kind, *rest = [part.strip() for part in line.split("|")]
        row = {"date": day, "event": kind}
        for item in rest:
            key, _, value = item.partition("=")
            row[key.strip()] = value.strip()
        out.append(row)
    return out


def ledger(text: str):
    return parse_events(rows(text))
