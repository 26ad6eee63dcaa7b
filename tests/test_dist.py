"""What a user installs (issue 21): the sample books shipped with the package, safe writes,
the environment's faults as one line with their exit codes, terminal escapes."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from addin.cli import cli
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


# ----------------------------------------------------------------------------- helpers for the processes below

import gc  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import stat  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import openpyxl  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() == "true"
D1 = cli.sample_folder() / "performance_warrant_d1.xlsx"
REGISTER = cli.sample_folder() / "warrant_register.xlsx"
COMMAND = [sys.executable, "-c", "import sys; sys.argv[0] = 'warrants'; from addin.cli.launch import command; command()"]


def warrants(*args, **options) -> subprocess.CompletedProcess:
    """The console script in a new process (standard error no terminal), as a user runs it."""
    return subprocess.run([*COMMAND, *map(str, args)], capture_output=True, text=True, timeout=300, **options)


def one_line(text: str) -> bool:
    return len(text.splitlines()) == 1 and "Traceback" not in text


def in_tmpfs(tmp_path, script: str, *args, options: str = "size=4k") -> subprocess.CompletedProcess:
    """``script`` (sh) with $1 a fresh tmpfs mounted with ``options`` (its own mount namespace:
    nothing is left mounted); $2... are ``args``. A full disk and a read-only folder, for real."""
    if shutil.which("unshare") is None:
        pytest.fail("unshare (util-linux) is needed") if IN_CI else pytest.skip("no unshare")
    place = tmp_path / "mnt"
    place.mkdir()
    wrapper = f'mount -t tmpfs -o {options} tmpfs "$1" || exit 99\n{script}'
    proc = subprocess.run(["unshare", "-rm", "sh", "-c", wrapper, "sh", str(place), *map(str, args)],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode == 99 or "unshare:" in proc.stderr:
        if IN_CI:
            pytest.fail(f"cannot mount a tmpfs here: {proc.stderr}")
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    return proc


def shell_words(words) -> str:
    return " ".join("'" + str(w).replace("'", "'\\''") + "'" for w in words)


# ----------------------------------------------------------------------------- no process-wide state (item 4)

def test_a_command_leaves_the_interpreter_as_it_found_it(capsys):
    before = (gc.isenabled(), sys.getrecursionlimit(), signal.getsignal(signal.SIGTERM), sys.excepthook,
              sys.stdout, sys.stderr)
    code, out, err = run(capsys, "recalc", D1, "--json")
    assert code == 0, err
    assert (gc.isenabled(), sys.getrecursionlimit(), signal.getsignal(signal.SIGTERM), sys.excepthook,
            sys.stdout, sys.stderr) == before
    assert type(sys.modules["openpyxl"]) is type(os) and sys.modules.get("numpy", os) is not None


def test_the_console_script_exits_normally_so_atexit_handlers_run():
    code = ("import atexit, sys; atexit.register(lambda: sys.stderr.write('atexit ran\\n')); "
            "sys.argv[0] = 'warrants'; from addin.cli.launch import command; command()")
    proc = subprocess.run([sys.executable, "-c", code, "recalc", str(D1), "--json"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0 and proc.stdout.startswith("{") and proc.stderr == "atexit ran\n"


# ----------------------------------------------------------------------------- the environment's faults (item 5)

def test_new_into_a_missing_folder(tmp_path):
    proc = warrants("new", tmp_path / "no such folder" / "w.xlsx")
    assert proc.returncode == 2 and one_line(proc.stderr) and "does not exist" in proc.stderr


def test_new_into_a_read_only_folder(tmp_path):
    proc = in_tmpfs(tmp_path, f'{shell_words(COMMAND)} new "$1/w.xlsx"; echo "rc=$?"; ls -A "$1"',
                    options="ro,size=64k")
    assert "rc=2" in proc.stdout and proc.stdout.strip().endswith("rc=2"), proc.stdout   # nothing left in it
    assert one_line(proc.stderr) and "w.xlsx" in proc.stderr and "cannot write" in proc.stderr, proc.stderr


def test_new_onto_a_full_disk_leaves_nothing_behind(tmp_path):
    proc = in_tmpfs(tmp_path, f'{shell_words(COMMAND)} new "$1/w.xlsx"; echo "rc=$?"; ls -A "$1"')
    assert proc.stdout.strip() == "rc=2", proc.stdout          # no torn w.xlsx, no temporary file
    assert one_line(proc.stderr) and "No space left on device" in proc.stderr, proc.stderr


def test_certificate_onto_dev_null_is_refused_before_anything_is_written(tmp_path):
    pdf = tmp_path / "c.pdf"
    proc = warrants("certificate", D1, "-o", "/dev/null", "--pdf", pdf)
    assert proc.returncode == 2 and one_line(proc.stderr) and "refusing to write over a device" in proc.stderr
    assert not pdf.exists() and stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("option", ["-o", "--pdf"])
def test_certificate_onto_a_symbolic_link_is_refused(tmp_path, option):
    target = tmp_path / ("real.pdf" if option == "--pdf" else "real.xlsx")
    target.write_bytes(b"keep")
    link = tmp_path / ("link.pdf" if option == "--pdf" else "link.xlsx")
    link.symlink_to(target)
    proc = warrants("certificate", D1, option, link)
    assert proc.returncode == 2 and one_line(proc.stderr) and "symbolic link" in proc.stderr
    assert link.is_symlink() and target.read_bytes() == b"keep"


def test_a_closed_pipe_ends_quietly():
    proc = subprocess.Popen([*COMMAND, "recalc", str(REGISTER), "--json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout.read(1) == b"{"
    proc.stdout.close()                          # as `| head -c 1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 141 and err == ""


def test_standard_output_on_a_full_device():
    with open("/dev/full", "w") as full:
        proc = subprocess.run([*COMMAND, "recalc", str(D1)], stdout=full, stderr=subprocess.PIPE, text=True,
                              timeout=300)
    assert proc.returncode == 2 and one_line(proc.stderr)
    assert proc.stderr == "warrants: error: standard output: No space left on device\n"


def test_standard_output_closed(tmp_path):
    proc = subprocess.run(["sh", "-c", f'exec {shell_words(COMMAND)} new "$1" >&-', "sh", str(tmp_path / "w.xlsx")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and proc.stderr == "warrants: error: standard output is closed; nothing was done\n"
    assert not (tmp_path / "w.xlsx").exists()


def test_sigterm_while_writing_ends_in_one_line_and_leaves_nothing(tmp_path):
    # the values copy's writer is where the bytes are written: the signal arrives in the middle of the write
    code = ("import os, signal, sys\n"
            "from addin.recalc import values_copy\n"
            "real = values_copy.write_copy\n"
            "def write_copy(*args, **kwargs):\n"
            "    real(*args, **kwargs)\n"
            "    os.kill(os.getpid(), signal.SIGTERM)\n"
            "values_copy.write_copy = write_copy\n"
            "sys.argv[0] = 'warrants'\n"
            "from addin.cli.launch import command; command()\n")
    folder = tmp_path / "out"
    folder.mkdir()
    proc = subprocess.run([sys.executable, "-c", code, "recalc", str(D1), "-o", str(folder / "v.xlsx")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 143 and proc.stderr == "warrants: terminated\n"
    assert list(folder.iterdir()) == []


# ----------------------------------------------------------------------------- every output the safe way (item 6)

def test_a_replaced_file_keeps_its_mode(capsys, tmp_path):
    out = tmp_path / "v.xlsx"
    out.write_bytes(b"old")
    out.chmod(0o600)
    code, _, err = run(capsys, "recalc", D1, "-o", out)
    assert code == 0, err
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600 and openpyxl.load_workbook(out)


def test_a_legal_251_character_name_is_accepted(capsys, tmp_path):
    out = tmp_path / ("v" * 246 + ".xlsx")
    assert len(out.name) == 251
    code, _, err = run(capsys, "recalc", D1, "-o", out)
    assert code == 0, err
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


@pytest.mark.parametrize("command", ["recalc", "pdf"])
def test_a_hard_link_is_refused(capsys, tmp_path, command):
    other = tmp_path / ("other.pdf" if command == "pdf" else "other.xlsx")
    other.write_bytes(b"keep")
    out = tmp_path / ("out.pdf" if command == "pdf" else "out.xlsx")
    os.link(other, out)
    args = ("certificate", D1, "--pdf", out) if command == "pdf" else ("recalc", D1, "-o", out)
    code, _, err = run(capsys, *args)
    assert code == 2 and "2 hard links" in err and one_line(err)
    assert other.read_bytes() == b"keep" and out.read_bytes() == b"keep"


@pytest.mark.parametrize("command", ["new", "lite", "samples"])
def test_a_dangling_symbolic_link_is_never_written_through(capsys, tmp_path, command):
    target = tmp_path / "elsewhere"
    name = {"new": "w.xlsx", "lite": "main.py", "samples": "generic_warrant.xlsx"}[command]
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / name).symlink_to(target)
    args = ("new", folder / name) if command == "new" else (command, folder)
    code, _, err = run(capsys, *args)
    assert code == 2 and one_line(err) and not target.exists()


def test_lite_bundle_is_written_the_safe_way(capsys, tmp_path):
    code, out, err = run(capsys, "lite", tmp_path / "bundle")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "bundle").iterdir()) == ["main.py", "requirements.txt"]
    assert stat.S_IMODE(os.stat(tmp_path / "bundle" / "main.py").st_mode) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_write_atomic_leaves_the_old_file_when_the_writer_fails(tmp_path):
    from addin.safewrite import write_atomic
    out = tmp_path / "f.bin"
    out.write_bytes(b"old")

    def half_then_fail(tmp):
        tmp.write_bytes(b"new, torn")
        raise OSError(28, "No space left on device")
    with pytest.raises(OSError):
        write_atomic(out, half_then_fail)
    assert out.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["f.bin"]


# ----------------------------------------------------------------------------- terminal escapes (item 7)

def escape_book(tmp_path) -> Path:
    """Text cells holding control characters that a .xlsx keeps as they are (a C1 CSI, a bidi
    override, a line break), as labels, computed values and failing checks."""
    import xlsxwriter
    path = tmp_path / "esc.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    ws.write("A1", "Clear\x9b2J\x9bHscreen")
    ws.write_formula("B1", '=A1&"\u202e!"', None, "Clear\x9b2J\x9bHscreen\u202e!")
    ws.write("A2", "line one\nFAIL hidden")
    ws.write_formula("B2", "=A2", None, "line one\nFAIL hidden")
    ws.write("C1", "Check")
    ws.write_formula("C2", '=B1="x"', None, False)
    wb.close()
    return path


@pytest.mark.parametrize("command", ["recalc", "check"])
def test_control_characters_in_cells_are_shown_escaped(capsys, tmp_path, command):
    code, out, err = run(capsys, command, escape_book(tmp_path))
    assert not any(c in out + err for c in "\x9b\u202e"), repr(out + err)
    if command == "recalc":
        assert code == 0, err
        assert "Clear\\x9b2J\\x9bHscreen" in out and "line one\\nFAIL hidden" in out     # the labels
    else:
        assert code == 1 and "failed check: S!C2: FALSE" in out
        assert len([line for line in out.splitlines() if line.startswith("FAIL")]) == 1   # none forged by a cell


def test_shown_escapes_controls_and_leaves_text():
    from addin.cli.terminal import shown
    assert shown("a\x1b[2Jb\r\n\tc\x9b\u202ed\u00e9€") == "a\\x1b[2Jb\\r\\n\\tc\\x9b\\u202ed\u00e9€"
