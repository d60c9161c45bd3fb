"""The file system under a casebook: temporary files, full disks, read-only media, identity."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

FULL_MARGIN = 64 * 1024
"""Below this many free bytes a failed write is put down to a full disk."""


def file_key(path: Path) -> tuple[int, int] | None:
    """(device, inode): which file is at `path` now; None when nothing is."""
    try:
        st = path.stat()  # stat opens no descriptor, so it cannot disturb SQLite's locks
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def writable(path: Path) -> bool:
    """Whether SQLite can write the file and create its -wal/-shm beside it."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(folder, os.W_OK)


def disk_full(path: Path, exc: BaseException | None = None) -> bool:
    """Whether a failure writing at `path` is the disk (or the user's quota) being full."""
    if isinstance(exc, sqlite3.Error) and getattr(exc, "sqlite_errorcode", None) == 13:
        return True  # SQLITE_FULL
    if isinstance(exc, OSError) and exc.errno in (28, 27, 122):  # ENOSPC, EFBIG, EDQUOT
        return True
    folder = path.parent if str(path.parent) else Path(".")
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < FULL_MARGIN


def partial_path(target: Path) -> Path:
    """Where a file is built before it is renamed onto `target`.

    Hidden, named for its target and for the process writing it, so that nobody mistakes it
    for a finished file and `clean_stale` can tell a dead writer's leftovers from a live one's.
    """
    clean_stale(target)
    return target.with_name(f".{target.name}.{os.getpid()}{SUFFIX}")


SUFFIX = ".verify-partial"
"""Ends the name of every file verify builds before renaming it into place."""


def clean_stale(target: Path) -> None:
    """Remove the partial files beside `target` left by verify processes that were killed."""
    folder = target.parent if str(target.parent) else Path(".")
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            name = entry.name
            for sqlite_file in ("-wal", "-shm", "-journal"):
                name = name.removesuffix(sqlite_file)
            if not (name.startswith(".") and name.endswith(SUFFIX)):
                continue
            pid = name[: -len(SUFFIX)].rpartition(".")[2]
            if pid.isdigit() and not _alive(int(pid)):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # this process's own work in progress (a restore's copy, say)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path if str(path) else ".", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
