"""The OCF repository's own sample files (Apache-2.0, tests/fixtures/ocf): every item validates under
the schemas of its version, or a malformed copy is refused in one line naming the file, item and field."""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from addin.ocf import map_warrant, read_package, warrants
from addin.ocf import validate
from addin.ocf.reader import OcfError
from tests.test_cli import run

FIXTURES = Path(__file__).parent / "fixtures" / "ocf"
VERSIONS = {"samples-main": validate.MAIN, "samples-v1.2.0": validate.V1_2_0, "tutorial-options": validate.MAIN}
PATTERN = r"^[+-]?[0-9]+(\.[0-9]{1,10})?$"


@pytest.mark.parametrize("folder", sorted(VERSIONS))
def test_every_sample_item_validates_under_its_version(folder):
    n = 0
    for path in sorted((FIXTURES / folder).glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("file_type") == "OCF_MANIFEST_FILE":
            continue
        for item in doc["items"]:
            assert validate.item_error(item, VERSIONS[folder]) is None, (path.name, item.get("id"))
            n += 1
    # the sample files hold 108 items at main, 102 at v1.2.0, 12 in the tutorial (their items arrays)
    assert n == {"samples-main": 108, "samples-v1.2.0": 102, "tutorial-options": 12}[folder]


def test_the_packages_read_with_md5_warnings_and_no_refusal():
    main = read_package(FIXTURES / "samples-main")
    assert (main.ocf_version, main.schema_version, main.refused) == ("1.2.1-alpha+main", "main", [])
    assert len(main.transactions) == 86 and len(main.stakeholders) == 4 and len(main.stock_classes) == 2
    # the coalition's own manifest md5s do not match its files: a warning per file, never a refusal
    assert any("Transactions.ocf.json: md5 " in w and "does not match the manifest's ab35839164924530cac5eecbb19f2c4d"
               in w for w in main.warnings)
    old = read_package(FIXTURES / "samples-v1.2.0")
    assert (old.schema_version, old.refused, len(old.transactions)) == ("v1.2.0", [], 80)
    tutorial = read_package(FIXTURES / "tutorial-options")
    assert tutorial.refused == [] and any("ocf_version must be same as const definition" in w for w in tutorial.warnings)
    assert read_package(FIXTURES / "acme_robotics").warnings == []          # our own md5s match


def test_whole_file_validation_would_refuse_the_samples_so_items_are_checked_one_by_one():
    """TransactionsFile's oneOf lacks TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT (OCF issue #543)."""
    doc = json.loads((FIXTURES / "samples-v1.2.0" / "Transactions.ocf.json").read_text(encoding="utf-8"))
    gap = [i for i in doc["items"] if i["object_type"] == "TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT"]
    assert len(gap) == 2 and all(validate.item_error(i, validate.V1_2_0) is None for i in gap)
    file_schema = json.loads((validate.SCHEMA_DIR / "v1.2.0" / "files" / "TransactionsFile.schema.json").read_text())
    listed = json.dumps(file_schema["properties"]["items"])
    assert "IssuerAuthorizedSharesAdjustment" not in listed


def _item(name: str) -> dict:
    doc = json.loads((FIXTURES / "samples-main" / "Transactions.ocf.json").read_text(encoding="utf-8"))
    return copy.deepcopy(next(i for i in doc["items"] if i["id"] == name))


def _break(item: dict, change) -> dict:
    change(item)
    return item


# (sample item, the damage, the one line expected), each derived from the schema by hand.
MALFORMED = [
    ("test-warrant-issuance-minimal", lambda i: i.update(quantity="1e3"),
     f'item test-warrant-issuance-minimal (TX_WARRANT_ISSUANCE): quantity must match pattern {PATTERN} (value "1e3")'),
    ("test-stock-issuance-minimal", lambda i: i.pop("stock_class_id"),
     "item test-stock-issuance-minimal (TX_STOCK_ISSUANCE): stock_class_id is required"),
    ("test-stock-issuance-minimal", lambda i: i.update(split_transaction_id="tx-9"),
     "item test-stock-issuance-minimal (TX_STOCK_ISSUANCE): split_transaction_id is not a property of this object "
     "(additionalProperties: false)"),
    ("test-stock-issuance-minimal", lambda i: i["share_price"].update(currency="usd"),
     'item test-stock-issuance-minimal (TX_STOCK_ISSUANCE): share_price.currency must match pattern ^[A-Z]{3}$ '
     '(value "usd")'),
    ("test-stock-issuance-minimal", lambda i: i.update(date="2022-13-01"),
     'item test-stock-issuance-minimal (TX_STOCK_ISSUANCE): date must be date (value "2022-13-01")'),
    ("test-stock-issuance-minimal", lambda i: i.update(object_type="TX_STOCK_DIVIDEND"),
     "item test-stock-issuance-minimal (TX_STOCK_DIVIDEND): object_type 'TX_STOCK_DIVIDEND' is not an OCF object type "
     "(OCF main)"),
]


@pytest.mark.parametrize("name, change, expected", MALFORMED)
def test_a_malformed_item_is_refused_in_one_line(tmp_path, capsys, name, change, expected):
    items = [_break(_item(name), change), _item("test-warrant-issuance-minimal")]
    path = tmp_path / "Transactions.ocf.json"
    path.write_text(json.dumps({"file_type": "OCF_TRANSACTIONS_FILE", "items": items}), encoding="utf-8")
    pkg = read_package(path)
    assert pkg.refused == [f"Transactions.ocf.json: {expected}"]
    code, out, err = run(capsys, "import-ocf", path, "--warrant", "test-warrant-id", "-o", tmp_path / "out.xlsx")
    assert code == 2 and out == "" and not (tmp_path / "out.xlsx").exists()
    assert err.splitlines() == [f"warrants: error: Transactions.ocf.json: {expected}"]


def test_a_main_only_object_in_a_1_2_0_package_is_refused(tmp_path):
    folder = tmp_path / "pkg"
    shutil.copytree(FIXTURES / "samples-v1.2.0", folder)
    tx = folder / "Transactions.ocf.json"
    doc = json.loads(tx.read_text(encoding="utf-8"))
    doc["items"].append(_item("reprice_event_id"))
    tx.write_text(json.dumps(doc), encoding="utf-8")
    assert read_package(folder).refused == [
        "Transactions.ocf.json: item reprice_event_id (TX_EQUITY_COMPENSATION_REPRICING): object_type "
        "'TX_EQUITY_COMPENSATION_REPRICING' is not an OCF object type (OCF 1.2.0)"]
    assert (FIXTURES / "samples-v1.2.0" / "Transactions.ocf.json").read_bytes() != tx.read_bytes()   # a copy changed


def test_skip_invalid_leaves_the_item_out_and_says_so(tmp_path, capsys):
    items = [_break(_item("test-stock-issuance-minimal"), lambda i: i.update(quantity="many")),
             _item("test-warrant-issuance-minimal")]
    path = tmp_path / "Transactions.ocf.json"
    path.write_text(json.dumps({"file_type": "OCF_TRANSACTIONS_FILE", "items": items}), encoding="utf-8")
    code, out, err = run(capsys, "import-ocf", path, "--warrant", "W-1", "-o", tmp_path / "o.xlsx", "--skip-invalid")
    assert code == 0 and "wrote" in out
    assert "warning: skipped malformed item: Transactions.ocf.json: item test-stock-issuance-minimal" in err


def test_unreadable_packages_are_refused_in_one_line(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(OcfError, match=r"^x.json: not valid JSON \(line 1, column 2"):
        read_package(bad)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(OcfError, match="no OCF manifest"):
        read_package(empty)
    (tmp_path / "b.zip").write_bytes(b"PK nonsense")
    with pytest.raises(OcfError, match="not a readable .zip"):
        read_package(tmp_path / "b.zip")


@pytest.mark.parametrize("folder", ["samples-main", "samples-v1.2.0"])
def test_every_sample_warrant_imports_and_every_object_is_a_row_or_a_note(folder):
    pkg = read_package(FIXTURES / folder)
    found = warrants(pkg)
    assert [w.get("security_id") for w in found] == ["test-warrant-id", "test-warrant-security-id"]
    for w in found:
        m = map_warrant(pkg, w.get("security_id"))
        covered = {r.ocf_id for r in m.rows} | {n.id for n in m.notes}
        assert {it.id for it in pkg.transactions} <= covered
        for r in m.rows:
            assert r.note.startswith("OCF ")
        # the SAFE has no maximum: a candidate row with a Confirm reason, never a guessed count
        safe = [r for r in m.rows if r.ref == "safe_123456"]
        assert safe and safe[0].shares is None and "without a maximum share count" in safe[0].confirm


def test_the_sample_zip_of_the_options_tutorial(tmp_path, capsys):
    """A .zip package: the coalition's options tutorial (no warrant in it: refused by name)."""
    import zipfile
    z = tmp_path / "t.ocf.zip"
    with zipfile.ZipFile(z, "w") as out:
        for p in (FIXTURES / "tutorial-options").glob("*.json"):
            out.write(p, p.name)
    pkg = read_package(z)
    assert pkg.refused == [] and {i.type for i in pkg.transactions} >= {"TX_PLAN_SECURITY_EXERCISE"}
    code, _out, err = run(capsys, "import-ocf", z, "--all-warrants", "-o", tmp_path / "o.xlsx")
    assert code == 2 and "the package has no warrant" in err
