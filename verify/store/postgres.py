"""The PostgreSQL backend: a casebook shared by a desk, in a database on a server.

The store's SQL is written once, with `?` placeholders; `PgConnection` takes it as SQLite's
connection does (rows as tuples, errors as `verify.store.DatabaseError`). Writers serialise
on an advisory lock per casebook taken at the start of each write transaction, so the
revision check, the event chain and every read inside see all earlier commits: a stale
write is refused exactly as on SQLite and no acknowledged write is lost. Every write
transaction sends a NOTIFY; an open TUI learns of a colleague's change by reading the
notifications already delivered to its connection, without a round trip.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

import psycopg
from psycopg import errors as pgerrors

from verify.errors import VerifyError
from verify.migrations import LATEST
from verify.scale import default_settings
from verify.store import pgschema
from verify.store.backend import Backend
from verify.store.rows import dump_json

if TYPE_CHECKING:
    from verify.store.core import StoreBase

CHANNEL = "verify_casebook"
"""The NOTIFY channel write transactions signal on (per database)."""
STREAM_BATCH = 500
"""Rows a large read fetches per round trip from its server-side cursor."""
LOCK_TIMEOUT = "15s"
"""How long a writer waits for another's transaction, as SQLite's busy timeout."""


class PgError(sqlite3.DatabaseError):
    """A PostgreSQL failure, as the backend-neutral error type."""


class PgOperationalError(sqlite3.OperationalError):
    """Connection, lock or missing-table failures (SQLite's OperationalError cases)."""


class PgIntegrityError(sqlite3.IntegrityError):
    """A constraint refused the write."""


def _mapped(exc: psycopg.Error) -> sqlite3.DatabaseError:
    message = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, psycopg.IntegrityError):
        return PgIntegrityError(message)
    if isinstance(
        exc,
        psycopg.OperationalError
        | pgerrors.UndefinedTable
        | pgerrors.UndefinedColumn
        | pgerrors.InFailedSqlTransaction,
    ):
        return PgOperationalError(message)
    return PgError(message)


@lru_cache(maxsize=512)
def translate(sql: str, params: bool = True) -> str:
    """SQLite-style SQL as psycopg takes it: `?` -> `%s`, a literal `%` doubled (when there
    are parameters), `sqlite_master` read from the catalog and SQLite's `instr` written as
    PostgreSQL's `strpos` (the same 1-based position, 0 when absent). Quoted text is left
    alone."""
    out = []
    for i, part in enumerate(re.split(r"('(?:[^']|'')*')", sql)):
        if params:
            part = part.replace("%", "%%")
        if i % 2:
            out.append(part)
            continue
        part = part.replace("?", "%s")
        part = re.sub(r"\binstr\s*\(", "strpos(", part, flags=re.IGNORECASE)
        out.append(re.sub(r"\bsqlite_master\b", _MASTER, part))
    return "".join(out)


_MASTER = """(SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'i' THEN 'index'
    WHEN 'v' THEN 'view' ELSE 'other' END AS type, c.relname::text AS name,
    c.relname::text AS tbl_name, NULL::text AS sql
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema()) AS sqlite_master"""

_PRAGMA = re.compile(r"\s*PRAGMA\s+(\w+)\s*(?:\((\w+)\)|=\s*(\S+))?\s*$", re.IGNORECASE)


def _param(value: Any) -> Any:
    # SQLite stores a bool as an integer; PostgreSQL would refuse one in an integer column.
    return int(value) if isinstance(value, bool) else value


class PgCursor:
    """The part of sqlite3.Cursor verify uses."""

    def __init__(self, rows: list[tuple[Any, ...]], rowcount: int = -1) -> None:
        self._rows = rows
        self._at = 0
        self.rowcount = rowcount
        self.lastrowid = None

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows, self._at = self._rows[self._at :], len(self._rows)
        return rows

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        while (row := self.fetchone()) is not None:
            yield row


class PgConnection:
    """A psycopg connection that takes the SQL the store writes for SQLite."""

    dialect = "postgresql"

    def __init__(self, raw: psycopg.Connection[Any], backend: PostgresBackend) -> None:
        self.raw = raw
        self.backend = backend
        self.total_changes = 0
        """Write statements run on this connection (SQLite's total_changes, roughly)."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PgCursor:
        pragma = _PRAGMA.match(sql)
        if pragma:
            return self._pragma(pragma.group(1).lower(), pragma.group(2))
        try:
            args = [_param(p) for p in params]
            cur = self.raw.execute(translate(sql, bool(args)), args or None)
            rows = cur.fetchall() if cur.description is not None else []
        except psycopg.Error as exc:
            raise _mapped(exc) from None
        if cur.description is None:
            self.total_changes += 1
        return PgCursor(rows, cur.rowcount)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        try:
            with self.raw.cursor() as cur:
                cur.executemany(translate(sql), [[_param(p) for p in row] for row in seq])
        except psycopg.Error as exc:
            raise _mapped(exc) from None
        self.total_changes += 1
        return PgCursor([])

    def _pragma(self, name: str, arg: str | None) -> PgCursor:
        if name == "data_version":
            return PgCursor([(self.backend.data_version(),)])
        if name == "integrity_check":
            return PgCursor([("ok",)])  # the server keeps its own pages whole
        if name == "table_info" and arg:
            rows = self.execute(
                "SELECT ordinal_position - 1, column_name::text, data_type::text, "
                "CASE is_nullable WHEN 'NO' THEN 1 ELSE 0 END, column_default, 0 "
                "FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = ? AND column_name <> 'rowid' ORDER BY ordinal_position",
                (arg,),
            ).fetchall()
            return PgCursor(rows)
        return PgCursor([])  # settings of SQLite's own (journal mode, busy timeout)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


def redact(url: str) -> str:
    """The address without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return parts._replace(netloc=f"{user}@{netloc}" if user else netloc).geturl()


class PostgresBackend(Backend):
    kind = "postgresql"
    count_claims_sql = "SELECT n FROM claim_count WHERE id = 1"

    def __init__(self, raw: psycopg.Connection[Any], url: str, create: bool) -> None:
        self.name = redact(url)
        self.location = url
        database = urlsplit(url).path.strip("/") or "casebook"
        self.path = Path(re.sub(r"[^\w.-]", "_", database))
        self.create = create
        self.adapter = PgConnection(raw, self)
        self.conn = cast(sqlite3.Connection, self.adapter)
        self.raw = raw
        self._pid = raw.info.backend_pid
        self._changes = 0
        self._writing = False
        self._streams = 0
        raw.add_notify_handler(self._notified)
        raw.execute(f"LISTEN {CHANNEL}")

    def _notified(self, note: psycopg.Notify) -> None:
        if note.pid != self._pid:
            self._changes += 1

    def data_version(self) -> int:
        """Counts other connections' commits from the notifications already received:
        reading them sends nothing to the server and never waits."""
        pgconn = self.raw.pgconn
        with self.raw.lock:
            pgconn.consume_input()
            while (note := pgconn.notifies()) is not None:
                if note.be_pid != self._pid:
                    self._changes += 1
        return self._changes

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """A server-side cursor read a batch at a time, so a read of every claim holds one
        batch in memory, not the whole table (a plain query's result arrives whole). Outside
        a write it runs in its own read transaction, which the cursor needs."""
        args = [_param(p) for p in params]
        own = not self.adapter.in_transaction
        self._streams += 1
        try:
            if own:
                self.raw.execute("BEGIN")
            with self.raw.cursor(name=f"verify_stream_{self._streams}") as cur:
                cur.itersize = STREAM_BATCH
                cur.execute(translate(sql, bool(args)), args or None)
                yield from cur
            if own:
                self.raw.execute("COMMIT")
        except psycopg.Error as exc:
            if own and self.adapter.in_transaction:
                self.raw.execute("ROLLBACK")
            raise _mapped(exc) from None
        finally:
            if own and self.adapter.in_transaction and not self._writing:
                self.raw.execute("ROLLBACK")  # left before its end: nothing was written

    def begin_write(self) -> None:
        try:
            self.raw.execute("BEGIN")
            # One writer per casebook at a time, as SQLite's write lock: the transaction
            # reads what every earlier writer committed.
            self.raw.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")
        except psycopg.Error as exc:
            if self.adapter.in_transaction:
                self.raw.execute("ROLLBACK")
            raise VerifyError(f"casebook is busy or unreachable: {_mapped(exc)}") from None
        self._writing = True

    def commit(self) -> None:
        try:
            if self._writing:
                self.raw.execute(f"NOTIFY {CHANNEL}")
            self.raw.execute("COMMIT")
        except psycopg.Error as exc:
            raise _mapped(exc) from None
        finally:
            self._writing = False

    def rollback(self) -> None:
        self._writing = False
        try:
            self.raw.execute("ROLLBACK")
        except psycopg.Error as exc:
            raise _mapped(exc) from None

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()
        if not row or not row[0]:
            return 0
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0]) if row else 0

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
        if current == 0:
            tables = self.conn.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            ).fetchone()[0]
            if tables:
                raise VerifyError(f"{self.name} holds other tables: it is not a casebook")
            if not self.create:
                raise VerifyError(
                    f"no casebook at {self.name}; `verify new ADDRESS` makes one there"
                )
        elif current > LATEST:
            raise VerifyError(
                f"{self.name} uses casebook schema {current}, newer than this verify "
                f"understands ({LATEST}); upgrade verify to open it"
            )
        elif current != LATEST:
            raise VerifyError(f"{self.name} uses casebook schema {current}, not {LATEST}")
        if target != LATEST:
            raise VerifyError("a casebook on PostgreSQL is always at the latest schema")
        if current == LATEST:
            return
        with store.transaction():
            if self.schema_version() == LATEST:
                return  # another reviewer created it while this one waited
            for statement in pgschema.DDL:
                self.conn.execute(statement)
            store._sealed = True
            store.put_meta("schema_version", str(LATEST))
            store.put_meta("settings", dump_json(default_settings()))
            from verify import digests

            digests.put_meta(self.conn, digests.HEAD_KEY, f"0 {digests.GENESIS}")

    def backup(self, store: StoreBase, dest: Path) -> Path:
        from verify.store.pgcopy import to_sqlite

        return to_sqlite(store, dest)

    def close(self) -> None:
        self.adapter.close()


def connect(url: str, *, create: bool) -> PostgresBackend:
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=15)
    except psycopg.Error as exc:
        raise VerifyError(f"cannot open casebook {redact(url)}: {_mapped(exc)}") from None
    except Exception as exc:  # a malformed address (psycopg.ProgrammingError is one)
        raise VerifyError(f"cannot open casebook {redact(url)}: {exc}") from None
    try:
        raw.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
        return PostgresBackend(raw, url, create)
    except psycopg.Error as exc:
        raw.close()
        raise VerifyError(f"cannot open casebook {redact(url)}: {_mapped(exc)}") from None
