"""The casebook: one SQLite file, one transaction per user action, an append-only event log.

Claims are stored as one JSON body each plus summary columns; the list reads only the
summary columns, so opening a large casebook never validates every claim. Writes touch one
row and append one event, so their cost does not grow with the casebook.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from pydantic import ValidationError

from verify import digests
from verify.errors import NotFoundError, StaleWriteError, VerifyError
from verify.filesafety import clean_stale, disk_full, file_key, partial_path, writable
from verify.migrations import LATEST, MIGRATIONS
from verify.models import Claim, ClaimSummary, Document, Event, Settings, Source, utcnow
from verify.scale import default_settings

if TYPE_CHECKING:
    from verify import importlog, match
    from verify import search as fulltext
else:
    from verify.lazy import lazy

    # Needed only when a claim's words are written or searched, or an import is undone: a
    # command that only reads (`verify show`, `verify list`) does without loading them.
    importlog, match, fulltext = (
        lazy("verify.importlog"),
        lazy("verify.match"),
        lazy("verify.search"),
    )

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000
"""How long a writer waits for another process's transaction before giving up."""

Clock = Callable[[], datetime]

SUMMARY_COLUMNS = "id, ref, text, status, verdict, accounts, evidence, updated, tags"
"""What the claim list shows, in the order `_summary` reads them."""

_OPEN: dict[tuple[int, int] | None, int] = {}
"""Casebook files (device, inode) this process has connections to, and how many."""


_file_key = file_key


def default_actor() -> str:
    actor = os.environ.get("VERIFY_ACTOR")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (containers): still record something
        return "reviewer"


def dump_json(model: Any) -> str:
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)


class Store:
    """An open casebook file."""

    def __init__(self, conn: sqlite3.Connection, path: Path, clock: Clock, actor: str) -> None:
        self.conn = conn
        self.path = path
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
        self._key: tuple[int, int] | None = None
        """Which file (device, inode) this connection writes: a replaced file is refused."""
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
    ) -> Store:
        """Open (and if allowed create) a casebook, migrating an older schema after a backup.

        A file or folder this process cannot write is opened read-only (None: find out), so a
        casebook on read-only media can still be listed, shown and checked.
        """
        path = Path(path)
        if path.is_dir():
            raise VerifyError(f"{path} is a directory, not a casebook")
        exists = path.exists()
        if readonly is None:
            readonly = exists and not writable(path)
        if readonly:
            if not exists:
                raise VerifyError(f"no casebook at {path}")
            return cls._open_readonly(path, clock, actor)
        key = _file_key(path) if exists else None
        if exists:
            if not _OPEN.get(key):
                # Only when this process holds no connection to the file: closing any
                # descriptor of a file drops every POSIX lock the process holds on it,
                # SQLite's included.
                _check_header(path)
        elif not create:
            raise VerifyError(f"no casebook at {path}")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise VerifyError(f"cannot open casebook {path}: {exc}") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls(conn, path, clock, actor or default_actor())
            store._migrate(
                migrate_to, fresh=not exists, keep_backup=migration_backup, notice=notice
            )
            store._match_index = store.schema_version() >= 5
            store._search_index = store.schema_version() >= 7
            store._sealed = store.schema_version() >= digests.SEALED_SCHEMA
            store._key = _file_key(path)
            _OPEN[store._key] = _OPEN.get(store._key, 0) + 1
        except sqlite3.DatabaseError as exc:
            conn.close()
            if disk_full(path, exc):
                raise VerifyError(
                    f"cannot open casebook {path}: the disk is full; free some space and "
                    f"try again ({exc})"
                ) from None
            if "readonly" in str(exc) or "unable to open" in str(exc):
                raise VerifyError(
                    f"cannot open casebook {path}: it is read-only for this user "
                    f"or its folder is ({exc})"
                ) from None
            raise VerifyError(f"{path} is damaged or not a casebook ({exc})") from None
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def _open_readonly(cls, path: Path, clock: Clock, actor: str | None) -> Store:
        """Read without writing anything: no WAL switch, no migration, no -shm if need be."""
        if not _OPEN.get(_file_key(path)):
            _check_header(path)
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
            try:
                store = cls(conn, path, clock, actor or default_actor())
                store.readonly = True
                version = store.schema_version()
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
            store._match_index = True
            store._sealed = True
            return store
        raise VerifyError(f"cannot read casebook {path} ({error})")

    def replaced(self) -> bool:
        """Whether the file at this casebook's path is no longer the one this store writes."""
        return self._key is not None and _file_key(self.path) != self._key

    def close(self) -> None:
        self.conn.close()
        if self._key is not None and _OPEN.get(self._key):
            _OPEN[self._key] -= 1
            self._key = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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

    def _migrate(
        self,
        target: int,
        *,
        fresh: bool,
        keep_backup: bool = True,
        notice: Callable[[str], None] | None = None,
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
            self.backup(self.path.with_name(f"{self.path.name}.v{current}.bak"))
        self._wait_for_writers(notice)
        with self.transaction():
            if self.schema_version() >= target:
                return  # another process migrated it while this one waited
            current = self.schema_version()
            for version in range(current + 1, target + 1):
                for step in MIGRATIONS[version]:
                    if isinstance(step, str):
                        self.conn.execute(step)
                    else:
                        step(self.conn)
            self._sealed = target >= digests.SEALED_SCHEMA
            self._put_meta("schema_version", str(target))
            if current == 0:
                self._put_meta("settings", dump_json(default_settings()))

    def _put_meta(self, key: str, value: str) -> None:
        if self._sealed:
            digests.put_meta(self.conn, key, value)
        else:
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def backup(self, dest: Path) -> Path:
        """A consistent copy of the whole casebook, taken with SQLite's online backup.

        Built in a hidden partial file and renamed: a full disk or a kill leaves no file
        that looks like a backup, and the next backup clears a killed one's leftovers.
        """
        tmp = partial_path(dest)
        try:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            target = sqlite3.connect(tmp)
            try:
                self.conn.backup(target)
            finally:
                target.close()
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, dest)
        except (OSError, sqlite3.Error) as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            clean_stale(dest)
            reason = getattr(exc, "strerror", None) or str(exc)
            if disk_full(dest, exc):
                reason = "the disk is full"
            raise VerifyError(f"cannot write backup {dest}: {reason}") from None
        return dest

    # -- transactions and events ---------------------------------------------------------
    # Methods named tx_* are the pieces of an action: call them inside `transaction()`, so
    # that several of them (an import, an ingest, a merge) land together or not at all.

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One user action: all of it lands, or none of it does."""
        if self.readonly:
            raise VerifyError(
                f"{self.path} is open read-only (read-only file, folder or media); "
                "saving needs a writable copy: copy it to a writable folder"
            )
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise VerifyError(f"casebook is busy or read-only: {self._why(exc)}") from None
        if self.replaced():
            # Checked under the write lock: whatever replaced the file (a restore, a copy
            # or move by hand) did so before, so nothing is ever written into a file that
            # is no longer the casebook at this path.
            self.conn.execute("ROLLBACK")
            raise VerifyError(
                f"{self.path} was replaced by another file since it was opened; "
                "nothing was saved: reopen the casebook"
            )
        try:
            yield self.conn
        except BaseException as exc:
            # Some failures (a full disk) end the transaction inside SQLite already.
            if self.conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.DatabaseError):
                raise VerifyError(
                    f"could not save to the casebook: {self._why(exc)}; nothing was changed"
                ) from None
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                raise VerifyError(
                    f"could not save to the casebook: {self._why(exc)}; nothing was changed"
                ) from None

    def _why(self, exc: sqlite3.Error) -> str:
        if disk_full(self.path, exc):
            return f"the disk is full, free some space and try again ({exc})"
        return str(exc)

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
        else:
            last = self.conn.execute(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            seq, prev = (last[0] + 1, last[1]) if last else (1, digests.GENESIS)
            chained = digests.event(prev, seq, *fields)
            self.conn.execute(
                "INSERT INTO events (seq, at, actor, action, target, before, after, undone, hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, *fields, int(undone), chained),
            )
            digests.put_meta(self.conn, digests.HEAD_KEY, f"{seq} {chained}")
        if self._grp is not None:
            # The group is not part of the chained hash: it only says which events undo
            # takes back together.
            self.conn.execute(
                "UPDATE events SET grp = ? WHERE seq = last_insert_rowid()", (self._grp,)
            )

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
            sql += f" LIMIT {int(limit)}) ORDER BY seq"
        return [_event(row) for row in self.conn.execute(sql, args)]

    # -- settings ------------------------------------------------------------------------

    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self._read_settings()
            self._settings_seen = dump_json(self._settings)
        return self._settings

    def _read_settings(self) -> Settings:
        row = self.conn.execute("SELECT value FROM meta WHERE key='settings'").fetchone()
        if row is None:
            raise VerifyError(f"{self.path} is damaged: its settings are missing")
        try:
            return Settings.model_validate_json(row[0])
        except ValidationError as exc:
            raise VerifyError(
                f"{self.path} is damaged: its settings are unreadable ({_first_error(exc)})"
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
        self._put_meta("settings", dump_json(settings))
        self.tx_log(
            action, "casebook", before.model_dump(mode="json"), settings.model_dump(mode="json")
        )
        self._settings = settings
        self._settings_seen = dump_json(settings)
        return settings

    def tx_replace_settings(self, settings: Settings) -> None:
        """Take another casebook's settings wholesale (restoring from a portable file)."""
        self._put_meta("settings", dump_json(settings))
        self._settings = self._settings_seen = None

    # -- claims --------------------------------------------------------------------------

    def count_claims(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM claims").fetchone()[0])

    def summaries(
        self,
        *,
        verdict: str | None = None,
        status: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[ClaimSummary]:
        """Claim list rows from summary columns, in the order they were entered."""
        where, args = [], []
        if verdict is not None:
            where.append("verdict = ?")
            args.append(verdict)
        if status is not None:
            where.append("status = ?")
            args.append(status)
        sql = f"SELECT {SUMMARY_COLUMNS} FROM claims"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created, id"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [_summary(r) for r in self.conn.execute(sql, args)]

    def summaries_for(self, ids: Sequence[str]) -> dict[str, ClaimSummary]:
        out: dict[str, ClaimSummary] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT {SUMMARY_COLUMNS} FROM claims WHERE id IN ({marks})"
            for r in self.conn.execute(sql, chunk):
                out[r[0]] = _summary(r)
        return out

    def position_of(self, claim_id: str) -> int | None:
        """The claim's row in list order, or None when it is not in the casebook."""
        row = self.conn.execute("SELECT created FROM claims WHERE id = ?", (claim_id,)).fetchone()
        if row is None:
            return None
        before = self.conn.execute(
            "SELECT count(*) FROM claims WHERE created < ? OR (created = ? AND id < ?)",
            (row[0], row[0], claim_id),
        ).fetchone()[0]
        return int(before)

    def search_corpus(self) -> tuple[list[str], list[str]]:
        """(ids, lowercased search texts) in list order, for the list filter."""
        ids: list[str] = []
        texts: list[str] = []
        for claim_id, search in self.conn.execute(
            "SELECT id, search FROM claims ORDER BY created, id"
        ):
            ids.append(claim_id)
            texts.append(search)
        return ids, texts

    def get_claim(self, claim_id: str) -> Claim:
        row = self.conn.execute("SELECT body FROM claims WHERE id = ?", (claim_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no claim with id {claim_id!r}")
        try:
            return Claim.model_validate_json(row[0])
        except ValidationError as exc:
            raise VerifyError(f"claim {claim_id} is damaged: {_first_error(exc)}") from None

    def iter_claims(self) -> Iterator[Claim]:
        for (body,) in self.conn.execute("SELECT body FROM claims ORDER BY created, id"):
            yield Claim.model_validate_json(body)

    def similar(self, text: str, top: int = 5, exclude: str | None = None) -> list[match.Match]:
        """Earlier claims that look like `text` ("already checked?")."""
        if not self._match_index:
            return []
        return match.search(self.conn, text, top=top, exclude=exclude)

    def find_by_ref(self, ref: str) -> str | None:
        row = self.conn.execute("SELECT id FROM claims WHERE ref = ? LIMIT 1", (ref,)).fetchone()
        return row[0] if row else None

    def unstored(self, claims: Sequence[Claim]) -> list[Claim]:
        """Those of `claims` whose id is not in the casebook yet."""
        query = "SELECT 1 FROM claims WHERE id = ?"
        return [c for c in claims if self.conn.execute(query, (c.id,)).fetchone() is None]

    def tx_write_claim_row(self, claim: Claim, words_changed: bool = True) -> None:
        body = dump_json(claim)
        columns = claim_columns(claim)
        if self._sealed:
            columns["digest"] = digests.record("claims", claim.id, body)
        names = ["id", *columns, "body"]
        updates = ", ".join(f"{n}=excluded.{n}" for n in names[1:])
        self.conn.execute(
            f"INSERT INTO claims ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}",
            (claim.id, *columns.values(), body),
        )
        if self._match_index and words_changed:
            match.index_claim(
                self.conn, claim.id, match.indexed_text(claim.text, claim.extra), claim.text
            )
        if self._search_index:
            fulltext.index_claim(self.conn, claim)

    def add_claim(self, claim: Claim, action: str = "claim.create") -> Claim:
        """Store a new claim as one action."""
        with self.transaction():
            self.tx_insert_claim(claim, action)
        return claim

    def tx_insert_claim(self, claim: Claim, action: str) -> None:
        exists = self.conn.execute("SELECT 1 FROM claims WHERE id = ?", (claim.id,)).fetchone()
        if exists:
            raise VerifyError(f"a claim with id {claim.id} already exists")
        self.tx_write_claim_row(claim)
        self.tx_log(action, f"claim:{claim.id}", None, claim.model_dump(mode="json"))

    def save_claim(self, claim: Claim, action: str) -> Claim:
        """Write an edited claim if nobody changed it since it was read; returns the new state.

        `claim.revision` must be the revision that was read; the stored one becomes +1.
        """
        with self.transaction():
            return self.tx_update_claim(claim, action)

    def tx_update_claim(self, claim: Claim, action: str) -> Claim:
        row = self.conn.execute(
            "SELECT revision, body FROM claims WHERE id = ?", (claim.id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no claim with id {claim.id!r}")
        if row[0] != claim.revision:
            raise StaleWriteError(
                f"claim {claim.id} was changed elsewhere (revision {row[0]}, you edited "
                f"revision {claim.revision}); reload it and try again"
            )
        new = claim.model_copy(update={"revision": claim.revision + 1, "updated": self.clock()})
        # model_copy does not validate: validate what is about to be stored, so an edit built
        # with model_copy can never write a record the next read would refuse.
        new = Claim.model_validate_json(dump_json(new))
        before = json.loads(row[1])
        # A verdict, note or account leaves what the claim is matched on as it was: its
        # postings and vector stay, and the edit does not pay for re-indexing them.
        words_changed = before.get("text") != new.text or match.indexed_text(
            str(before.get("text", "")), before.get("extra") or {}
        ) != match.indexed_text(new.text, new.extra)
        self.tx_write_claim_row(new, words_changed)
        self.tx_log(action, f"claim:{claim.id}", before, new.model_dump(mode="json"))
        return new

    def save_claim_with_sources(
        self, claim: Claim, sources: Sequence[Source], action: str
    ) -> Claim:
        """A claim edit that also creates or regrades sources, as one transaction."""
        with self.transaction():
            for source in sources:
                self.tx_put_source(source, "source.save")
            return self.tx_update_claim(claim, action)

    def save_claims(self, changes: Sequence[tuple[Claim, str]]) -> list[Claim]:
        """Several claim edits as one action (a merge touches two claims), undone together."""
        with self.transaction(), self.grouped():
            return [self.tx_update_claim(claim, action) for claim, action in changes]

    def claim_holding(self, item_id: str) -> str | None:
        """The claim whose account or evidence item has this id."""
        row = self.conn.execute(
            "SELECT claims.id FROM claims, json_each(claims.body, '$.accounts') AS a "
            "WHERE json_extract(a.value, '$.id') = ? UNION ALL "
            "SELECT claims.id FROM claims, json_each(claims.body, '$.evidence') AS e "
            "WHERE json_extract(e.value, '$.id') = ? LIMIT 1",
            (item_id, item_id),
        ).fetchone()
        return row[0] if row else None

    def claims_citing(self, source_id: str) -> list[str]:
        """Claims whose accounts or evidence cite this source."""
        rows = self.conn.execute(
            "SELECT DISTINCT claims.id FROM claims, json_each(claims.body, '$.accounts') AS a "
            "WHERE json_extract(a.value, '$.source_id') = ? UNION "
            "SELECT claims.id FROM claims, json_each(claims.body, '$.evidence') AS e "
            "WHERE json_extract(e.value, '$.source_id') = ?",
            (source_id, source_id),
        )
        return sorted(r[0] for r in rows)

    def delete_claim(self, claim_id: str, action: str = "claim.delete") -> Claim:
        """Remove a claim as one undoable action; returns what was removed."""
        with self.transaction():
            claim = self.get_claim(claim_id)
            row = self.conn.execute("SELECT body FROM claims WHERE id = ?", (claim_id,)).fetchone()
            self._delete_claim_row(claim_id)
            self.tx_log(action, f"claim:{claim_id}", json.loads(row[0]), None)
            return claim

    def _delete_claim_row(self, claim_id: str) -> None:
        self.conn.execute("DELETE FROM claims WHERE id = ?", (claim_id,))
        if self._match_index:
            match.unindex_claim(self.conn, claim_id)
        if self._search_index:
            fulltext.unindex(self.conn, claim_id)

    def put_sources(self, sources: Sequence[Source], action: str = "source.grade") -> None:
        with self.transaction():
            for source in sources:
                self.tx_put_source(source, action)

    def data_version(self) -> int:
        """Changes whenever another connection commits: the TUI polls it to reload."""
        version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self._seen_version:
            self._settings = self._settings_seen = (
                None  # another process may have changed them (or restored)
            )
            self._seen_version = version
        return version

    def update_claim(self, claim_id: str, edit: Callable[[Claim], Claim], action: str) -> Claim:
        """Read, edit and write one claim in a single transaction (CLI-style actions)."""
        with self.transaction():
            current = self.get_claim(claim_id)
            return self.tx_update_claim(edit(current), action)

    # -- sources -------------------------------------------------------------------------

    def get_source(self, source_id: str) -> Source:
        row = self.conn.execute("SELECT body FROM sources WHERE id = ?", (source_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no source with id {source_id!r}")
        return Source.model_validate_json(row[0])

    def sources(self) -> list[Source]:
        rows = self.conn.execute("SELECT body FROM sources ORDER BY name, id")
        return [Source.model_validate_json(r[0]) for r in rows]

    def sources_for(self, claim: Claim) -> dict[str, Source]:
        """The sources a claim's accounts and evidence cite (not the whole casebook's)."""
        ids = {a.source_id for a in claim.accounts if a.source_id}
        ids |= {e.source_id for e in claim.evidence if e.source_id}
        out: dict[str, Source] = {}
        for sid in ids:
            row = self.conn.execute("SELECT body FROM sources WHERE id = ?", (sid,)).fetchone()
            if row:
                out[sid] = Source.model_validate_json(row[0])
        return out

    def documents_for(self, claim: Claim) -> dict[str, Document]:
        """The archived documents a claim's selectors point into."""
        selectors = [claim.origin] + [a.origin for a in claim.accounts]
        selectors += [e.selector for e in claim.evidence]
        ids = {s.document_id for s in selectors if s is not None}
        ids |= {e.document_id for e in claim.evidence if e.document_id}
        out = {}
        for did in ids:
            row = self.conn.execute("SELECT body FROM documents WHERE id = ?", (did,)).fetchone()
            if row:
                out[did] = Document.model_validate_json(row[0])
        return out

    def put_source(self, source: Source, action: str = "source.save") -> Source:
        with self.transaction():
            self.tx_put_source(source, action)
        return source

    def tx_delete_source(self, source_id: str, action: str) -> None:
        row = self.conn.execute("SELECT body FROM sources WHERE id = ?", (source_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no source with id {source_id!r}")
        self.conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))
        self.tx_log(action, f"source:{source_id}", json.loads(row[0]), None)

    def tx_put_source(self, source: Source, action: str) -> None:
        row = self.conn.execute("SELECT body FROM sources WHERE id = ?", (source.id,)).fetchone()
        self.tx_write_source_row(source)
        before = json.loads(row[0]) if row else None
        self.tx_log(action, f"source:{source.id}", before, source.model_dump(mode="json"))

    def tx_write_source_row(self, source: Source) -> None:
        body = dump_json(source)
        args: tuple[Any, ...] = (source.id, source.name, source.grade, body)
        if self._sealed:
            args += (digests.record("sources", source.id, body),)
        self.conn.execute(
            f"INSERT INTO sources (id, name, grade, body{', digest' if self._sealed else ''}) "
            f"VALUES ({', '.join('?' * len(args))}) "
            "ON CONFLICT (id) DO UPDATE SET name=excluded.name, grade=excluded.grade, "
            f"body=excluded.body{', digest=excluded.digest' if self._sealed else ''}",
            args,
        )

    # -- documents -----------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        return bool(self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone())

    def get_document(self, doc_id: str) -> Document:
        row = self.conn.execute("SELECT body FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id!r}")
        return Document.model_validate_json(row[0])

    def document_raw(self, doc_id: str) -> bytes:
        row = self.conn.execute("SELECT raw FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id!r}")
        return bytes(row[0])

    def documents(self) -> list[Document]:
        rows = self.conn.execute("SELECT body FROM documents ORDER BY retrieved, id")
        return [Document.model_validate_json(r[0]) for r in rows]

    def add_document(self, doc: Document, raw: bytes) -> bool:
        """Archive a document; False when the same content is already archived."""
        with self.transaction():
            return self.tx_insert_document(doc, raw)

    def tx_insert_document(self, doc: Document, raw: bytes, log: bool = True) -> bool:
        if hashlib.sha256(raw).hexdigest() != doc.id:
            raise VerifyError("document id does not match the sha256 of its content")
        if self.has_document(doc.id):
            return False
        body = dump_json(doc)
        args: tuple[Any, ...] = (
            doc.id,
            doc.address,
            doc.title,
            doc.retrieved.isoformat(),
            doc.text_sha256,
            body,
            raw,
        )
        if self._sealed:
            args += (digests.record("documents", doc.id, body),)
        self.conn.execute(
            "INSERT INTO documents (id, address, title, retrieved, text_sha256, body, raw"
            f"{', digest' if self._sealed else ''}) VALUES ({', '.join('?' * len(args))})",
            args,
        )
        if self._search_index:
            fulltext.index_document(self.conn, doc)
        if log:
            meta = doc.model_dump(mode="json", exclude={"text"})
            self.tx_log("document.archive", f"document:{doc.id}", None, meta)
        return True

    # -- undo / redo ---------------------------------------------------------------------

    def undo(self) -> Event | None:
        """Revert the latest change that is not yet undone; None when there is none."""
        with self.transaction():
            row = self._last_undoable()
            if row is None:
                return None
            event = _event(row)
            for part in reversed(self._group_of(event)):
                if importlog.is_import(part.target):
                    importlog.undo(self.conn, part.target, self.tx_log)  # every batch at once
                else:
                    self._apply(part.target, part.after, part.before)
                self.conn.execute("UPDATE events SET undone = 1 WHERE seq = ?", (part.seq,))
            self.tx_log("undo", event.target, {"seq": event.seq}, None)
            return event

    def redo(self) -> Event | None:
        """Re-apply the earliest change undone since the last new change."""
        with self.transaction():
            # Only what was undone after the latest new change can be redone: a new change
            # (even one undone since) ends the redo chain, as in any editor.
            last_new = self.conn.execute(
                "SELECT COALESCE(max(seq), 0) FROM events WHERE "
                f"action NOT IN ('undo', 'redo') AND {_UNDOABLE}"
            ).fetchone()[0]
            row = self.conn.execute(
                "SELECT seq, at, actor, action, target, before, after, undone FROM events "
                f"WHERE undone = 1 AND {_UNDOABLE} AND seq IN (SELECT "
                "json_extract(before, '$.seq') FROM events WHERE action = 'undo' AND seq > ?) "
                "ORDER BY seq LIMIT 1",
                (last_new,),
            ).fetchone()
            if row is None:
                return None
            event = _event(row)
            for part in self._group_of(event):
                if importlog.is_import(part.target):
                    raise importlog.refuse_redo()
                self._apply(part.target, part.before, part.after)
                self.conn.execute("UPDATE events SET undone = 0 WHERE seq = ?", (part.seq,))
            self.tx_log("redo", event.target, {"seq": event.seq}, None)
            return event

    def _group_of(self, event: Event) -> list[Event]:
        """The events of the action `event` belongs to, in the order they were logged."""
        if not self._search_index:
            return [event]
        row = self.conn.execute("SELECT grp FROM events WHERE seq = ?", (event.seq,)).fetchone()
        if row is None or row[0] is None:
            return [event]
        rows = self.conn.execute(
            "SELECT seq, at, actor, action, target, before, after, undone FROM events "
            f"WHERE grp = ? AND {_UNDOABLE} ORDER BY seq",
            (row[0],),
        )
        return [_event(r) for r in rows]

    def _last_undoable(self) -> Sequence[Any] | None:
        row: Sequence[Any] | None = self.conn.execute(
            "SELECT seq, at, actor, action, target, before, after, undone FROM events "
            f"WHERE undone = 0 AND action NOT IN ('undo', 'redo') AND {_UNDOABLE} "
            "ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return row

    def _apply(
        self, target: str, expect: dict[str, Any] | None, state: dict[str, Any] | None
    ) -> None:
        """Move `target` from `expect` to `state`, refusing if it changed in between."""
        kind, _, ident = target.partition(":")
        if kind == "claim":
            row = self.conn.execute(
                "SELECT revision, body FROM claims WHERE id = ?", (ident,)
            ).fetchone()
            current_rev = row[0] if row else 0
            current = _content(json.loads(row[1])) if row else None
            if current != (_content(expect) if expect is not None else None):
                raise StaleWriteError(
                    f"claim {ident} changed since; nothing to undo safely (reload it first)"
                )
            if state is None:
                self._delete_claim_row(ident)
            else:
                restored = Claim.model_validate_json(json.dumps(state))
                restored = restored.model_copy(
                    update={"revision": current_rev + 1, "updated": self.clock()}
                )
                self.tx_write_claim_row(restored)
        elif kind == "source":
            if state is None:
                self.conn.execute("DELETE FROM sources WHERE id = ?", (ident,))
            else:
                self.tx_write_source_row(Source.model_validate_json(json.dumps(state)))
        elif kind == "casebook" and state is not None:
            settings = Settings.model_validate_json(json.dumps(state))
            self._put_meta("settings", dump_json(settings))
            self._settings = self._settings_seen = None


_UNDOABLE = (
    "(target LIKE 'claim:%' OR target LIKE 'source:%' OR "
    "(target = 'casebook' AND before IS NOT NULL) OR "
    "(target LIKE 'import:%' AND action = 'import'))"
)


def claim_columns(claim: Claim) -> dict[str, Any]:
    """The summary columns of a claim's row, as its body says they must be."""
    return {
        "ref": claim.ref,
        "text": claim.text,
        "status": claim.status.value,
        "verdict": claim.verdict.label if claim.verdict else None,
        "accounts": len(claim.accounts),
        "evidence": len(claim.evidence),
        "revision": claim.revision,
        "created": claim.created.isoformat(),
        "updated": claim.updated.isoformat(),
        "tags": " ".join(claim.tags),
        "search": search_text(claim),
    }


def search_text(claim: Claim) -> str:
    """What the list filter matches against: the claim, its claimant, tags and accounts."""
    parts = [claim.text, claim.claimant, " ".join(claim.tags)]
    parts += [a.statement for a in claim.accounts]
    return " ".join(p for p in parts if p).lower()


def _summary(r: Sequence[Any]) -> ClaimSummary:
    # model_construct: these come from our own columns; validating 100,000 of them is the
    # cost the summary columns exist to avoid.
    return ClaimSummary.model_construct(
        id=r[0],
        ref=r[1],
        text=r[2],
        status=r[3],
        verdict=r[4],
        accounts=r[5],
        evidence=r[6],
        updated=r[7],
        tags=r[8],
    )


def _content(body: dict[str, Any]) -> dict[str, Any]:
    """A claim body without its bookkeeping, to tell whether two states say the same."""
    return {k: v for k, v in body.items() if k not in ("revision", "updated")}


def _event(row: Sequence[Any]) -> Event:
    return Event(
        seq=row[0],
        at=datetime.fromisoformat(row[1]),
        actor=row[2],
        action=row[3],
        target=row[4],
        before=None if row[5] is None else json.loads(row[5]),
        after=None if row[6] is None else json.loads(row[6]),
        undone=bool(row[7]),
    )


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    return f"{loc}: {err['msg']}" if loc else err["msg"]


def _check_header(path: Path) -> None:
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
    if head[92:96] == head[24:28] and pages and size < pages * page_size:
        raise VerifyError(
            f"{path} is damaged: truncated ({size} of {pages * page_size} bytes); "
            "restore a backup with `verify restore`"
        )
