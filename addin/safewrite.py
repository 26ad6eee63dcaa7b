"""Every file the product writes is written here, the same safe way.

    write_atomic(path, write)        write(tmp_path) fills a temporary file; it then replaces path
    write_bytes_atomic(path, data)   the same for bytes already in memory
    check_target(path)               the checks alone (run them before any slow work)

The rules (issue 21), all checked before the first byte is written:

* the target is a regular file or does not exist yet: a symbolic link (dangling or not), a
  directory, a device (``/dev/null``), a FIFO or socket is refused, and so is a file with
  a second hard link (writing would change the other name's contents too);
* its folder exists and is a folder this process may write in;
* the bytes go to a temporary file in the same folder (so the rename never crosses file
  systems), created exclusively and never through a link, flushed to disk, then moved over
  the target with one atomic rename (``os.replace``): a reader sees the old file or the new
  one, never a torn one, and a full disk or a signal leaves the old file untouched;
* a file that is replaced keeps its mode; a new file gets the mode the umask gives;
* the temporary name is short and fixed in length, so any legal target name (up to the
  file system's 255 bytes) is accepted.

The module changes no process-wide state: no signal handler, no umask. A command that wants
SIGTERM to clean up installs its handler once (addin/cli/cli.py): the exception it raises runs
the cleanup here like any other.

Standard library only; it imports nothing from the rest of the package.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable

__all__ = ["OutputError", "check_target", "write_atomic", "write_bytes_atomic"]


class OutputError(Exception):
    """An output place that is refused; the message is one line naming the path (exit code 2)."""


_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISFIFO, "a pipe"), (stat.S_ISSOCK, "a socket"))


def _describe(mode: int) -> str:
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def check_target(path: str | os.PathLike) -> os.stat_result | None:
    """Refuse ``path`` unless a new regular file may be written there (see the module's rules).

    Returns the existing file's status (its mode is kept), or None for a new file."""
    path = Path(path)
    if not path.name or path.name in (".", ".."):
        raise OutputError(f"{path}: not a file name")
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    if st is not None:
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(f"{path}: refusing to write over {_describe(st.st_mode)}")
        if st.st_nlink > 1:
            raise OutputError(f"{path}: refusing to write over a file with {st.st_nlink} hard links "
                              f"(the other names would change too)")
    folder = path.parent
    try:
        folder_st = os.stat(folder)
    except FileNotFoundError:
        raise OutputError(f"{path}: the folder {folder} does not exist") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in {folder} ({exc.strerror or exc})") from None
    if not stat.S_ISDIR(folder_st.st_mode):
        raise OutputError(f"{path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: cannot write in {folder} (permission denied)")
    return st


def write_atomic(path: str | os.PathLike, write: Callable[[Path], object]) -> Path:
    """Write ``path`` by calling ``write(tmp)`` on a temporary file beside it, then renaming it.

    ``write`` gets the temporary file's path (an empty file it may overwrite or reopen:
    ``wb.save(tmp)``, ``xlsxwriter.Workbook(tmp)``, ``SimpleDocTemplate(str(tmp))``). On any
    failure or interruption the temporary file is removed and the target is left as it was.
    Raises :class:`OutputError` for a refused place, OSError for a failed write."""
    path = Path(path)
    old = check_target(path)
    tmp = _create_temporary(path.parent)
    try:
        write(tmp)
        if os.lstat(tmp).st_nlink != 1 or not stat.S_ISREG(os.lstat(tmp).st_mode):
            raise OutputError(f"{path}: the temporary file was replaced while it was written")
        with open(tmp, "rb+") as fh:        # the bytes on disk before the name points at them
            os.fsync(fh.fileno())
        if old is not None:
            os.chmod(tmp, stat.S_IMODE(old.st_mode))
        again = check_target(path)          # a link put in its place meanwhile is refused, not followed
        if (again is None) != (old is None):
            raise OutputError(f"{path}: the file appeared or vanished while it was written")
        os.replace(tmp, path)               # rename(2) replaces a name; it never follows one
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _sync_folder(path.parent)
    return path


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` the safe way (:func:`write_atomic`)."""
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))


def _create_temporary(folder: Path) -> Path:
    """An empty new file in ``folder`` with a short name; the umask gives it its mode, as to any new file."""
    import secrets  # noqa: PLC0415 - here: its hashlib and random cost each `recalc --json` ~0.004 s
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = folder / f".warrants-{secrets.token_hex(6)}.tmp"
        try:
            os.close(os.open(tmp, flags, 0o666))
            return tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"{folder / '.warrants-*.tmp'}: cannot write ({exc.strerror or exc})") from None
    raise OutputError(f"{folder}: cannot create a temporary file")


def _sync_folder(folder: Path) -> None:
    """The rename on disk too (best effort: some file systems refuse to open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
