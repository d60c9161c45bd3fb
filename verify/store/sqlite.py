"""The SQLite backend: a casebook in one file, the zero-setup default.

Writers take SQLite's write lock (BEGIN IMMEDIATE) and wait for each other; other processes'
commits show in PRAGMA data_version; a backup is SQLite's online backup of the file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from verify import digests
from verify.errors import VerifyError
from verify.filesafety import clean_stale, disk_full, file_key, partial_path, writable
from verify.migrations import LATEST, MIGRATIONS
from verify.scale import default_settings
from verify.store.backend import Backend
from verify.store.rows import dump_json

if TYPE_CHECKING:
    from verify.store.core import StoreBase

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000
"""How long a writer waits for another process's transaction before giving up."""

_OPEN: dict[tuple[int, int] | None, int] = {}
"""Casebook files (device, inode) this process has connections to, and how many."""


class SqliteBackend(Backend):
    kind = "sqlite"

    def __init__(self, conn: sqlite3.Connection, path: Path, fresh: bool, readonly: bool) -> None:
        self.conn = conn
        self.path = path
        self.location = path
        self.name = str(path)
        self.fresh = fresh
        self.readonly = readonly
        self._key: tuple[int, int] | None = None
        """Which file (device, inode) this connection writes: a replaced file is refused."""

    def opened(self) -> None:
        self._key = file_key(self.path)
        _OPEN[self._key] = _OPEN.get(self._key, 0) + 1

    def open_failed(self, exc: sqlite3.DatabaseError) -> str:
        path = self.path
        if disk_full(path, exc):
            return (
                f"cannot open casebook {path}: the disk is full; free some space and "
                f"try again ({exc})"
            )
        if "readonly" in str(exc) or "unable to open" in str(exc):
            return (
                f"cannot open casebook {path}: it is read-only for this user "
                f"or its folder is ({exc})"
            )
        return f"{path} is damaged or not a casebook ({exc})"

    def replaced(self) -> bool:
        return self._key is not None and file_key(self.path) != self._key

    def close(self) -> None:
        self.conn.close()
        if self._key is not None and _OPEN.get(self._key):
            _OPEN[self._key] -= 1
            self._key = None

    def begin_write(self) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise VerifyError(f"casebook is busy or read-only: {self.why(exc)}") from None

    def why(self, exc: BaseException) -> str:
        if disk_full(self.path, exc):
            return f"the disk is full, free some space and try again ({exc})"
        return str(exc)

    def data_version(self) -> int:
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def schema_version(self) -> int:
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.OperationalError:
            return 0
        return int(row[0]) if row else 0

    def _wait_for_writers(self, notice: Callable[[str], None] | None) -> None:
        """Wait, however long, until no other process is writing (a migration can take
        minutes on a large casebook): a command that only reads must not fail on it."""
        told = False
        self.conn.execute("PRAGMA busy_timeout = 1000")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    self.conn.execute("ROLLBACK")
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        return  # not a lock: the transaction itself will say what it is
                    if not told and notice is not None:
                        notice(
                            f"{self.path.name} is being changed by another verify "
                            "(upgrading it, perhaps); waiting for it to finish"
                        )
                        told = True
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def migrate(
        self,
        store: StoreBase,
        target: int,
        *,
        fresh: bool,
        keep_backup: bool,
        notice: Callable[[str], None] | None,
    ) -> None:
        current = self.schema_version()
        if current == 0 and not fresh:
            tables = self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise VerifyError(f"{self.path} is an SQLite file but not a casebook")
        if current > LATEST:
            raise VerifyError(
                f"{self.path} uses casebook schema {current}, newer than this verify "
                f"understands ({LATEST}); upgrade verify to open it"
            )
        if current >= target:
            return
        if current > 0 and keep_backup:
            store.backup(self.path.with_name(f"{self.path.name}.v{current}.bak"))
        self._wait_for_writers(notice)
        with store.transaction():
            if self.schema_version() >= target:
                return  # another process migrated it while this one waited
            current = self.schema_version()
            for version in range(current + 1, target + 1):
                for step in MIGRATIONS[version]:
                    if isinstance(step, str):
                        self.conn.execute(step)
                    else:
                        step(self.conn)
            store._sealed = target >= digests.SEALED_SCHEMA
            store.put_meta("schema_version", str(target))
            if current == 0:
                store.put_meta("settings", dump_json(default_settings()))

    def backup(self, store: StoreBase, dest: Path) -> Path:
        return write_backup(dest, self.conn.backup)


def write_backup(dest: Path, fill: Callable[[sqlite3.Connection], None]) -> Path:
    """Write an SQLite file at `dest` through a hidden partial file, `fill` writing into it."""

    def build(tmp: Path) -> None:
        target = sqlite3.connect(tmp)
        try:
            fill(target)
        finally:
            target.close()

    return build_backup_file(dest, build)


def build_backup_file(dest: Path, build: Callable[[Path], None]) -> Path:
    """Run `build` on a hidden partial file beside `dest`, then make it `dest`.

    A full disk or a kill leaves no file that looks like a backup (the next backup clears a
    killed one's leftovers); any failure is one line naming the backup.
    """
    tmp = partial_path(dest)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        build(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, dest)
    except (OSError, sqlite3.Error, VerifyError) as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        clean_stale(dest)
        reason = getattr(exc, "strerror", None) or str(exc)
        if disk_full(dest, exc):
            reason = "the disk is full"
        raise VerifyError(f"cannot write backup {dest}: {reason}") from None
    for leftover in (f"{tmp}-wal", f"{tmp}-shm"):  # a casebook built by a Store leaves these
        with contextlib.suppress(OSError):
            os.unlink(leftover)
    return dest


def connect(path: Path, *, create: bool, readonly: bool | None) -> SqliteBackend:
    """Connect to the casebook file at `path` (a read-only connection when it cannot be
    written); the caller migrates it."""
    if path.is_dir():
        raise VerifyError(f"{path} is a directory, not a casebook")
    exists = path.exists()
    if readonly is None:
        readonly = exists and not writable(path)
    if readonly:
        if not exists:
            raise VerifyError(f"no casebook at {path}")
        return _connect_readonly(path)
    if exists:
        if not _OPEN.get(file_key(path)):
            # Only when this process holds no connection to the file: closing any
            # descriptor of a file drops every POSIX lock the process holds on it,
            # SQLite's included.
            check_header(path)
    elif not create:
        raise VerifyError(f"no casebook at {path}")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise VerifyError(f"cannot open casebook {path}: {exc}") from None
    backend = SqliteBackend(conn, path, fresh=not exists, readonly=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise VerifyError(backend.open_failed(exc)) from None
    return backend


def _connect_readonly(path: Path) -> SqliteBackend:
    """Read without writing anything: no WAL switch, no migration, no -shm if need be."""
    if not _OPEN.get(file_key(path)):
        check_header(path)
    uri = "file:" + quote(str(path.absolute())) + "?mode=ro"
    wal = Path(f"{path}-wal")
    attempts = [uri]
    if not wal.exists() or wal.stat().st_size == 0:
        # Without a -shm and a folder to create it in, SQLite can read a WAL casebook
        # only as immutable, which is exact when there is no -wal holding commits.
        attempts.append(uri + "&immutable=1")
    error: sqlite3.Error | None = None
    for attempt in attempts:
        conn = sqlite3.connect(attempt, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        backend = SqliteBackend(conn, path, fresh=False, readonly=True)
        try:
            version = backend.schema_version()
            conn.execute("SELECT count(*) FROM claims").fetchone()
        except sqlite3.DatabaseError as exc:
            conn.close()
            error = exc
            continue
        if version == 0:
            conn.close()
            raise VerifyError(f"{path} is not a casebook")
        if version > LATEST:
            conn.close()
            raise VerifyError(
                f"{path} uses casebook schema {version}, newer than this verify "
                f"understands ({LATEST}); upgrade verify to open it"
            )
        if version < LATEST:
            conn.close()
            raise VerifyError(
                f"{path} is read-only here and uses the older casebook schema {version}; "
                "opening it needs a migration: copy it to a writable folder first"
            )
        return backend
    raise VerifyError(f"cannot read casebook {path} ({error})")


def finish_readonly(store: StoreBase) -> None:
    store.readonly = True
    store._match_index = True
    store._sealed = True


def check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise VerifyError(f"cannot read {path}: {exc.strerror}") from None
    if head[: len(SQLITE_MAGIC)] != SQLITE_MAGIC:
        raise VerifyError(f"{path} is not a casebook (not an SQLite file)")
    if len(head) < 100:
        raise VerifyError(f"{path} is damaged: truncated inside its header")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    # The page count in the header is trustworthy when the "version valid for" field matches
    # the change counter (SQLite's own rule); a file shorter than that has lost its end.
    # A write-ahead log beside it may still hold the missing pages: a process killed while
    # copying the log into the file leaves the file's header ahead of its length, and SQLite
    # finishes the copy from the log when the file is next opened.
    try:
        pending = path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        pending = False  # no log (or none readable): the file alone must hold every page
    if head[92:96] == head[24:28] and pages and size < pages * page_size and not pending:
        raise VerifyError(
            f"{path} is damaged: truncated ({size} of {pages * page_size} bytes); "
            "restore a backup with `verify restore`"
        )
