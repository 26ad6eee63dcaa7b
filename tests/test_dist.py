"""What a user installs (issue 21): the sample books shipped with the package, safe writes,
the environment's faults as one line with their exit codes, terminal escapes."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from addin import cli
from tests.test_cli import run

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("generic_warrant.xlsx", "performance_warrant_d1.xlsx", "series_c_reallocation.xlsx",
           "warrant_register.xlsx")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ----------------------------------------------------------------------------- packaging

def test_the_sample_books_ship_with_the_package():
    folder = cli.sample_folder()
    assert sorted(p.name for p in folder.glob("*.xlsx")) == list(SAMPLES)


def test_samples_copies_every_book_and_never_replaces_one(capsys, tmp_path):
    target = tmp_path / "mine"
    code, out, err = run(capsys, "samples", target)
    assert code == 0, err
    for name in SAMPLES:
        assert sha(target / name) == sha(cli.sample_folder() / name)
    (target / SAMPLES[0]).write_bytes(b"my own edits")
    code, _, err = run(capsys, "samples", target)
    assert code == 2 and "refusing to overwrite" in err and len(err.splitlines()) == 1
    assert (target / SAMPLES[0]).read_bytes() == b"my own edits"


def test_check_without_arguments_checks_the_samples(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)        # no workbooks/ folder here: the shipped samples are found
    code, out, err = run(capsys, "check")
    assert code == 0, out + err
    assert [line.split()[0] for line in out.splitlines()] == ["ok"] * len(SAMPLES)
