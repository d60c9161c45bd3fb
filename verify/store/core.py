"""The casebook's core: opening, one transaction per user action, the event log, settings.

Claims are stored as one JSON body each plus summary columns; the list reads only the
summary columns, so opening a large casebook never validates every claim. Writes touch one
row and append one event, so their cost does not grow with the casebook. The store does not
know which database holds the casebook: its backend (SQLite file or PostgreSQL server) does.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Self

from pydantic import ValidationError

from verify import digests
from verify.errors import StaleWriteError, VerifyError
from verify.migrations import LATEST
from verify.models import Event, Settings, utcnow
from verify.paths import SERVER_SCHEMES
from verify.store.backend import Backend, DatabaseError
from verify.store.rows import Clock, default_actor, dump_json, event, first_error


def is_server_address(value: str | Path) -> bool:
    return isinstance(value, str) and value.startswith(SERVER_SCHEMES)


class StoreBase:
    """An open casebook."""

    def __init__(self, backend: Backend, clock: Clock, actor: str) -> None:
        self.backend = backend
        self.conn = backend.conn
        self.path = backend.path
        self.location: Path | str = backend.location
        """What `Store.open` takes to open this casebook again (a path or an address)."""
        self.name = backend.name
        self.clock = clock
        self.actor = actor
        self._settings: Settings | None = None
        self._settings_seen: str | None = None
        """The settings as last read or written, as stored: callers may mutate the model they
        were handed, so the stale-write check compares with this copy, never with the model."""
        self._match_index = False
        """Whether this casebook has the matching index (schema 4+) to keep current."""
        self._sealed = False
        """Whether its records carry digests and its history a hash chain (schema 6+)."""
        self._search_index = False
        """Whether it has the full-text index and action groups (schema 7+)."""
        self._grp: int | None = None
        """The action group events are logged under, inside `grouped()`."""
        self.readonly = False
        self._seen_version = -1

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        create: bool = True,
        clock: Clock = utcnow,
        actor: str | None = None,
        migrate_to: int = LATEST,
        readonly: bool | None = None,
        migration_backup: bool = True,
        notice: Callable[[str], None] | None = None,
    ) -> Self:
        """Open (and if allowed create) a casebook: a file path, or a `postgresql://` address.

        An older schema is migrated after a backup. A file or folder this process cannot
        write is opened read-only (None: find out), so a casebook on read-only media can
        still be listed, shown and checked.
        """
        if is_server_address(path):
            # Imported here: the SQLite path never loads the PostgreSQL driver.
            from verify.store.postgres import connect as connect_server

            backend: Backend = connect_server(str(path), create=create)
        else:
            from verify.store.sqlite import connect as connect_file
            from verify.store.sqlite import finish_readonly

            backend = connect_file(Path(path), create=create, readonly=readonly)
            if backend.readonly:
                store = cls(backend, clock, actor or default_actor())
                finish_readonly(store)
                return store
        store = cls(backend, clock, actor or default_actor())
        try:
            backend.migrate(
                store, migrate_to, fresh=backend.fresh, keep_backup=migration_backup, notice=notice
            )
            store.opened()
            backend.opened()
        except DatabaseError as exc:
            backend.close()
            raise VerifyError(backend.open_failed(exc)) from None
        except BaseException:
            backend.close()
            raise
        return store

    def opened(self) -> None:
        """Note which indexes the schema has, once it is final."""
        version = self.schema_version()
        self._match_index = version >= 5
        self._search_index = version >= 7
        self._sealed = version >= digests.SEALED_SCHEMA

    def replaced(self) -> bool:
        """Whether the casebook at this address is no longer the one this store writes."""
        return self.backend.replaced()

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        return self.backend.schema_version()

    def put_meta(self, key: str, value: str) -> None:
        if self._sealed:
            digests.put_meta(self.conn, key, value)
        else:
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def backup(self, dest: Path) -> Path:
        """A consistent, portable copy of the whole casebook as an SQLite casebook file.

        Built in a hidden partial file and renamed: a full disk or a kill leaves no file
        that looks like a backup, and the next backup clears a killed one's leftovers.
        """
        return self.backend.backup(self, dest)

    def data_version(self) -> int:
        """Changes whenever another connection commits: the TUI polls it to reload."""
        version = self.backend.data_version()
        if version != self._seen_version:
            self._settings = self._settings_seen = (
                None  # another process may have changed them (or restored)
            )
            self._seen_version = version
        return version

    # -- transactions and events ---------------------------------------------------------
    # Methods named tx_* are the pieces of an action: call them inside `transaction()`, so
    # that several of them (an import, an ingest, a merge) land together or not at all.

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One user action: all of it lands, or none of it does."""
        if self.readonly:
            raise VerifyError(
                f"{self.name} is open read-only (read-only file, folder or media); "
                "saving needs a writable copy: copy it to a writable folder"
            )
        backend = self.backend
        backend.begin_write()
        if self.replaced():
            # Checked under the write lock: whatever replaced the file (a restore, a copy
            # or move by hand) did so before, so nothing is ever written into a file that
            # is no longer the casebook at this path.
            backend.rollback()
            raise VerifyError(
                f"{self.name} was replaced by another file since it was opened; "
                "nothing was saved: reopen the casebook"
            )
        try:
            yield self.conn
        except BaseException as exc:
            # Some failures (a full disk) end the transaction inside the database already.
            if backend.in_transaction:
                with contextlib.suppress(DatabaseError):
                    backend.rollback()
            if isinstance(exc, DatabaseError):
                raise VerifyError(
                    f"could not save to the casebook: {backend.why(exc)}; nothing was changed"
                ) from None
            raise
        else:
            try:
                backend.commit()
            except DatabaseError as exc:
                with contextlib.suppress(DatabaseError):
                    backend.rollback()
                raise VerifyError(
                    f"could not save to the casebook: {backend.why(exc)}; nothing was changed"
                ) from None

    def tx_log(
        self,
        action: str,
        target: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        at: datetime | None = None,
        actor: str | None = None,
        undone: bool = False,
    ) -> None:
        fields = (
            (at or self.clock()).isoformat(),
            actor or self.actor,
            action,
            target,
            None if before is None else json.dumps(before, ensure_ascii=False),
            None if after is None else json.dumps(after, ensure_ascii=False),
        )
        if not self._sealed:
            self.conn.execute(
                "INSERT INTO events (at, actor, action, target, before, after, undone) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*fields, int(undone)),
            )
            if self._grp is not None:
                self.conn.execute(
                    "UPDATE events SET grp = ? WHERE seq = (SELECT max(seq) FROM events)",
                    (self._grp,),
                )
            return
        last = self.conn.execute(
            "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seq, prev = (last[0] + 1, last[1]) if last else (1, digests.GENESIS)
        chained = digests.event(prev, seq, *fields)
        # The group is not part of the chained hash: it only says which events undo takes
        # back together.
        grouped = ", grp" if self._grp is not None else ""
        extra: tuple[Any, ...] = (self._grp,) if self._grp is not None else ()
        self.conn.execute(
            f"INSERT INTO events (seq, at, actor, action, target, before, after, undone, hash"
            f"{grouped}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?{', ?' if extra else ''})",
            (seq, *fields, int(undone), chained, *extra),
        )
        digests.put_meta(self.conn, digests.HEAD_KEY, f"{seq} {chained}")

    @contextlib.contextmanager
    def grouped(self) -> Iterator[None]:
        """Inside a transaction: the events logged here are one action for undo and redo."""
        if not self._search_index or self._grp is not None:
            yield
            return
        row = self.conn.execute("SELECT COALESCE(max(seq), 0) + 1 FROM events").fetchone()
        self._grp = int(row[0])
        try:
            yield
        finally:
            self._grp = None

    def events(self, target: str | None = None, limit: int | None = None) -> list[Event]:
        sql = "SELECT seq, at, actor, action, target, before, after, undone FROM events"
        args: tuple[Any, ...] = ()
        if target is not None:
            sql += " WHERE target = ?"
            args = (target,)
        sql += " ORDER BY seq"
        if limit is not None:
            sql = f"SELECT * FROM ({sql.replace(' ORDER BY seq', ' ORDER BY seq DESC')}"
            sql += f" LIMIT {int(limit)}) AS latest ORDER BY seq"
        return [event(row) for row in self.conn.execute(sql, args)]

    # -- settings ------------------------------------------------------------------------

    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self._read_settings()
            self._settings_seen = dump_json(self._settings)
        return self._settings

    def _read_settings(self) -> Settings:
        row = self.conn.execute("SELECT value FROM meta WHERE key='settings'").fetchone()
        if row is None:
            raise VerifyError(f"{self.name} is damaged: its settings are missing")
        try:
            return Settings.model_validate_json(row[0])
        except ValidationError as exc:
            raise VerifyError(
                f"{self.name} is damaged: its settings are unreadable ({first_error(exc)})"
            ) from None

    def set_settings(
        self,
        settings: Settings,
        action: str = "settings.update",
        based_on: Settings | None = None,
    ) -> None:
        """Write settings edited from `based_on` (default: the ones this store last read).

        Like a claim's revision check: if anyone changed the settings since they were read,
        nothing is written and the caller is told to reload.
        """
        expected = dump_json(based_on) if based_on is not None else self._settings_seen
        with self.transaction():
            before = self._read_settings()
            if expected is not None and dump_json(before) != expected:
                self._settings = self._settings_seen = None
                raise StaleWriteError(
                    "the casebook settings were changed elsewhere since they were read; "
                    "nothing was saved: reload them and try again"
                )
            self._tx_write_settings(settings, action, before)

    def update_settings(self, edit: Callable[[Settings], Settings], action: str) -> Settings:
        """Read, edit and write the settings in one transaction (CLI-style actions)."""
        with self.transaction():
            before = self._read_settings()
            settings = self._tx_write_settings(edit(before), action, before)
        return settings

    def _tx_write_settings(self, settings: Settings, action: str, before: Settings) -> Settings:
        # An edit made with model_copy skips validation: what is stored is validated (and
        # its text cleaned) here, the one way settings are written.
        settings = Settings.model_validate_json(dump_json(settings))
        self.put_meta("settings", dump_json(settings))
        self.tx_log(
            action, "casebook", before.model_dump(mode="json"), settings.model_dump(mode="json")
        )
        self._settings = settings
        self._settings_seen = dump_json(settings)
        return settings

    def tx_replace_settings(self, settings: Settings) -> None:
        """Take another casebook's settings wholesale (restoring from a portable file)."""
        self.put_meta("settings", dump_json(settings))
        self._settings = self._settings_seen = None
