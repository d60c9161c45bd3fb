"""Put a backup in place of a casebook, so that a sound casebook is at the path at every instant.

The backup is never written to: it is read through a read-only connection into a hidden copy
beside the casebook, and the copy is migrated and checked. The copy then goes in as one SQLite
transaction onto the open casebook (the online backup API writing into it), after a snapshot
of the old content is kept beside. Writing through SQLite rather than renaming over the file
keeps every other process that has the casebook open on the same file: they see the restored
content at their next read, and none of them can go on writing into a file moved aside, or
checkpoint an old -wal into the new file. A casebook that cannot be opened at all (damaged)
is renamed aside and the copy renamed onto the path instead: one atomic rename.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from verify import schema
from verify.errors import VerifyError
from verify.filesafety import disk_full, fsync_dir, fsync_file, partial_path
from verify.migrations import LATEST
from verify.store import Store


def restore(backup: Path, target: Path) -> Path | None:
    """Replace the casebook at `target` with `backup`; returns where the old content is kept."""
    if target.exists() and backup.resolve() == target.resolve():
        raise VerifyError("the backup and the casebook are the same file")
    copy = partial_path(target)
    try:
        _copy_backup(backup, copy)
        _prepare(copy, backup)
        fsync_file(copy)
        return _put_in_place(copy, target)
    except (OSError, sqlite3.Error) as exc:
        reason = "the disk is full" if disk_full(target, exc) else str(exc)
        raise VerifyError(f"cannot restore {target}: {reason}; nothing was changed") from None
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{copy}{suffix}")


def _copy_backup(backup: Path, copy: Path) -> None:
    """Copy the backup through a read-only connection, refusing anything verify did not make."""
    if not backup.is_file():
        raise VerifyError(f"no backup at {backup}")
    with open(backup, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise VerifyError(f"{backup} is not a casebook backup (not an SQLite file)")
    uri = "file:" + quote(str(backup.absolute())) + "?mode=ro"
    wal = Path(f"{backup}-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        uri += "&immutable=1"  # nothing in a -wal to miss, and no -shm is needed
    source = sqlite3.connect(uri, uri=True)
    try:
        try:
            row = source.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0])
        except (sqlite3.DatabaseError, TypeError, ValueError):
            raise VerifyError(f"{backup} is not a casebook backup (no schema version)") from None
        if not 1 <= version <= LATEST:
            raise VerifyError(
                f"{backup} uses casebook schema {version}; this verify understands 1 to {LATEST}"
            )
        different = schema.differences(source, version)
        if different:
            raise VerifyError(f"{backup} is refused: {different[0]}")
        dest = sqlite3.connect(copy)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()


def _prepare(copy: Path, backup: Path) -> None:
    """Migrate the copy (never the backup) and check it whole."""
    from verify.integrity import check

    with Store.open(copy, create=False, migration_backup=False) as store:
        damage = [f for f in check(store) if f.severity == "damage"]
        if damage:
            raise VerifyError(f"{backup} is damaged: {damage[0].where}: {damage[0].message}")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _put_in_place(copy: Path, target: Path) -> Path | None:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = target.with_name(f"{target.name}.replaced-{stamp}")
    if not target.exists():
        os.replace(copy, target)
        fsync_dir(target.parent)
        return None
    try:
        live = Store.open(target, create=False)
    except VerifyError:
        # Too damaged to open: nothing can be writing to it. Keep it (and its -wal, which
        # must not meet the restored file) beside, then one rename puts the copy in place.
        for suffix in ("-wal", "-shm", ""):
            old = Path(f"{target}{suffix}")
            if old.exists():
                os.replace(old, Path(f"{aside}{suffix}"))
        os.replace(copy, target)
        fsync_dir(target.parent)
        return aside
    with live:
        live.backup(aside)  # the old content, last commits included, kept beside
        # Our own checked copy; mode=rw so that a missing copy fails rather than being
        # created empty.
        source = sqlite3.connect(f"file:{quote(str(copy.absolute()))}?mode=rw", uri=True)
        try:
            # One write transaction on the live casebook: all of the backup, or nothing.
            source.backup(live.conn)
        except sqlite3.Error as exc:
            raise VerifyError(f"cannot restore into {target}: {exc}; nothing was changed") from None
        finally:
            source.close()
    return aside
