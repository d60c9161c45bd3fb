"""`verify backup`: a consistent, portable SQLite casebook of whatever casebook is open.

An SQLite casebook is copied with SQLite's online backup (page for page, writers keep
writing). Any other store is copied through the store's own API: exported to the portable
form and loaded into a fresh SQLite casebook, so the same code path serves every backend.
Either way the copy is built in a hidden partial file and renamed into place, so a full disk
or a kill never leaves something that looks like a backup.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from verify.errors import VerifyError
from verify.filesafety import clean_stale, disk_full, partial_path
from verify.store import Store


def is_sqlite(store: Store) -> bool:
    return isinstance(getattr(store, "conn", None), sqlite3.Connection)


def write(store: Store, dest: Path, *, online: bool | None = None) -> Path:
    """Back `store` up to `dest` (an SQLite casebook file); `online` None picks the way."""
    if online is None:
        online = is_sqlite(store)
    if online:
        return store.backup(dest)
    return copy_through_store(store, dest)


def copy_through_store(store: Store, dest: Path) -> Path:
    """A new SQLite casebook holding everything `store` holds, read through its API.

    The export runs inside one transaction of `store`, so the copy is of one moment even
    while colleagues write; the copy's history keeps every event's time, reviewer and undone
    mark (sequence numbers are its own, and its hash chain is computed afresh).
    """
    from verify import portable

    tmp = partial_path(dest)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    # A read-only casebook has no writers to keep out (and refuses a write transaction).
    with contextlib.nullcontext() if store.readonly else store.transaction():
        data = portable.export_casebook(store)
    try:
        with Store.open(
            tmp, create=True, clock=store.clock, actor=store.actor, migration_backup=False
        ) as copy:
            portable.import_casebook(copy, data, source="backup", as_copy=True)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, dest)
    except (OSError, sqlite3.Error, VerifyError) as exc:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            with contextlib.suppress(OSError):
                os.unlink(leftover)
        clean_stale(dest)
        reason = getattr(exc, "strerror", None) or str(exc)
        if isinstance(exc, OSError | sqlite3.Error) and disk_full(dest, exc):
            reason = "the disk is full"
        raise VerifyError(f"cannot write backup {dest}: {reason}") from None
    return dest
