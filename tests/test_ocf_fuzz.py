"""No OCF input makes the import crash: a damaged item of the coherent history is either refused by its
schema (one line) or mapped; anything else is an OcfError with one line, never another exception."""
from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path

from hypothesis import given, settings, strategies as st

from addin.ocf import map_warrant, read_package
from addin.ocf.reader import OcfError
from tests.test_ocf_history import ACME

ITEMS = json.loads((ACME / "Transactions.ocf.json").read_text(encoding="utf-8"))["items"]
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(
    ["0", "-1", "0.0000000001", "1e3", "", "2020-02-30", "1999-12-31", "w-lender", "s-f1", "cls-common", "cls-a",
     "USD", "EUR"]), st.just({"numerator": "0", "denominator": "0"}), st.just({"amount": "0", "currency": "EUR"}),
    st.just([]), st.just(["w-lender"]))


def _paths(node, prefix=()):
    """Every (container, key) inside an item, nested ones included."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for k, v in enumerate(node):
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))


@settings(max_examples=300)
@given(st.integers(0, len(ITEMS) - 1), st.data())
def test_a_damaged_item_is_refused_or_mapped_never_a_crash(i, data):
    items = copy.deepcopy(ITEMS)
    item = items[i]
    path = data.draw(st.sampled_from(sorted(_paths(item), key=str)))
    parent = item
    for k in path[:-1]:
        parent = parent[k]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        parent.pop(path[-1])
    else:
        parent[path[-1]] = data.draw(VALUES)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Transactions.ocf.json"
        path.write_text(json.dumps({"file_type": "OCF_TRANSACTIONS_FILE", "items": items}), encoding="utf-8")
        pkg = read_package(path)
        for line in pkg.refused:
            assert line.startswith("Transactions.ocf.json: item ") and "\n" not in line
        try:
            m = map_warrant(pkg, "w-lender")
        except OcfError as exc:
            assert "\n" not in str(exc) and str(exc)
            return
        for r in m.rows:
            assert r.note.startswith("OCF ")
