"""`verify check`: is the casebook whole? Schema, digests, history chain, summaries, anchors.

One streamed pass: rows are visited one at a time by key, so memory does not grow with the
casebook, and every read is guarded, so a damaged page or a record that is not even text
becomes a finding naming that record, never a failure of the check itself.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from verify import anchor, dialect, digests, schema
from verify.migrations import LATEST
from verify.models import AnchorStatus, Claim, Document, Selector, Settings, Source
from verify.store import Store, claim_columns
from verify.store.backend import Backend
from verify.textsafe import clean, clean_line


@dataclass(frozen=True)
class Finding:
    severity: str
    """`damage` breaks the casebook (exit non-zero); `drift` is a quote that moved or changed."""
    where: str
    message: str


class _Damage(Exception):
    """One record's problem, raised from deep inside its check."""


def check(store: Store) -> list[Finding]:
    found: list[Finding] = []
    conn = store.conn
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        problems = [str(r[0]) for r in rows if r[0] != "ok"]
    except sqlite3.DatabaseError as exc:
        problems = [f"SQLite cannot read the file: {exc}"]
    for p in problems[:20]:
        found.append(Finding("damage", "file", f"SQLite integrity: {p}"))
    try:
        version = store.schema_version()
    except (sqlite3.DatabaseError, ValueError) as exc:
        found.append(Finding("damage", "schema", f"schema version unreadable: {exc}"))
        return found
    if version != LATEST:
        found.append(Finding("damage", "schema", f"schema {version}, expected {LATEST}"))
        return found
    for line in schema.differences(conn, LATEST):
        found.append(Finding("damage", "schema", line))
    if any(f.where == "schema" for f in found):
        return found  # the tables below cannot be trusted to mean what they should
    _Checker(conn, found).run()
    if store.backend.count_claims_sql != Backend.count_claims_sql:
        # A kept count (PostgreSQL) must agree with the rows it counts.
        kept, rows = store.count_claims(), conn.execute(Backend.count_claims_sql).fetchone()[0]
        if kept != rows:
            found.append(Finding("damage", "claims", f"the claim count says {kept}, not {rows}"))
    from verify.capture import verification  # web captures: WARC records and their digests

    found += [Finding("damage", where, what) for where, what in verification.problems(conn)]
    from verify.media import verification as media_check  # photo and video metadata rows

    found += [Finding("damage", where, what) for where, what in media_check.problems(conn)]
    return found


class _Checker:
    def __init__(self, conn: sqlite3.Connection, found: list[Finding]) -> None:
        self.conn = conn
        self.found = found
        self.document_text = lru_cache(maxsize=64)(self._document_text)

    def damage(self, where: str, message: str) -> None:
        self.found.append(Finding("damage", where, message))

    def run(self) -> None:
        for table, kind, visit in (
            ("meta", "casebook record", self.meta),
            ("documents", "document", self.document),
            ("sources", "source", self.source),
            ("claims", "claim", self.claim),
        ):
            key = "key" if table == "meta" else "id"
            for row in self.rows(table, key):
                self.guarded(kind, row, visit)
        self.events()

    def rows(self, table: str, key: str) -> Iterator[dict[str, Any]]:
        """Each row of `table` as text, fetched by rowid so one bad row stops nothing else."""
        info = self.conn.execute(f"PRAGMA table_info({table})").fetchall()
        columns = [str(r[1]) for r in info]
        # The storage class of each value, as the schema declares it: a flipped bit in a
        # record header can turn text into a blob of the same bytes.
        types = {str(r[1]): {str(r[2]).lower()} | (set() if r[3] else {"null"}) for r in info}
        on_server = dialect.on_server(self.conn)
        select = ", ".join(f"CAST({c} AS BLOB)" if c != "raw" else c for c in columns)
        select += ", " + ", ".join(f"typeof({c})" for c in columns)
        if on_server:
            select = ", ".join(columns)  # the server enforces each column's type itself
        for rowid in self.rowids(table):
            try:
                found = self.conn.execute(
                    f"SELECT {select} FROM {table} WHERE rowid = ?", (rowid,)
                ).fetchone()
            except sqlite3.DatabaseError as exc:
                self.damage(f"{table} row {rowid}", f"cannot be read: {exc}")
                continue
            if found is None:
                continue
            if on_server:
                found = _as_stored(columns, info, found)
            row: dict[str, Any] = {"rowid": rowid}
            n = len(columns)
            wrong = [c for c, t in zip(columns, found[n:], strict=True) if t not in types[c]]
            if wrong:
                self.damage(f"{table} row {rowid}", f"wrong kind of value in {', '.join(wrong)}")
            for name, value in zip(columns, found[:n], strict=True):
                if name == "raw" or value is None:
                    row[name] = value
                    continue
                try:
                    row[name] = bytes(value).decode("utf-8")
                except UnicodeDecodeError:
                    label = row.get(key) or f"row {rowid}"
                    self.damage(f"{table} {label}", f"{name} is not valid text")
                    row = {}
                    break
            if row:
                yield row

    def rowids(self, table: str) -> Iterator[int]:
        """The table's row ids in order, a page at a time (never all of them at once)."""
        last = -(2**63)
        while True:
            try:
                page = [
                    int(r[0])
                    for r in self.conn.execute(
                        f"SELECT rowid FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 500",
                        (last,),
                    )
                ]
            except sqlite3.DatabaseError as exc:
                self.damage(table, f"cannot be read after row {last}: {exc}")
                return
            if not page:
                return
            yield from page
            last = page[-1]

    def guarded(self, kind: str, row: dict[str, Any], visit: Any) -> None:
        where = f"{kind} {row.get('id') or row.get('key')}"
        try:
            visit(row, where)
        except _Damage as exc:
            self.damage(where, str(exc))
        except Exception as exc:  # a record built to break the checker is damage too
            self.damage(where, f"record cannot be checked ({type(exc).__name__}: {exc})")

    def sealed(self, table: str, key: str, body: str, digest: str) -> None:
        if digest != digests.record(table, key, body):
            raise _Damage("content does not match its digest (changed outside verify)")

    def meta(self, row: dict[str, Any], where: str) -> None:
        self.sealed("meta", row["key"], row["value"], row["digest"])
        if row["key"] == "settings":
            Settings.model_validate_json(row["value"])

    def document(self, row: dict[str, Any], where: str) -> None:
        doc_id = row["id"]
        self.sealed("documents", doc_id, row["body"], row["digest"])
        doc = Document.model_validate_json(row["body"])
        raw = row["raw"]
        if not isinstance(raw, bytes) or hashlib.sha256(raw).hexdigest() != doc_id:
            self.damage(where, "archived bytes do not match their sha256")
        if hashlib.sha256(doc.text.encode("utf-8")).hexdigest() != doc.text_sha256:
            self.damage(where, "extracted text does not match its sha256")
        columns = {
            "id": doc.id,
            "address": doc.address,
            "title": doc.title,
            "retrieved": doc.retrieved.isoformat(),
            "text_sha256": doc.text_sha256,
        }
        self.columns(where, row, columns)

    def source(self, row: dict[str, Any], where: str) -> None:
        self.sealed("sources", row["id"], row["body"], row["digest"])
        src = Source.model_validate_json(row["body"])
        self.columns(where, row, {"id": src.id, "name": src.name, "grade": src.grade})

    def columns(self, where: str, row: dict[str, Any], want: dict[str, Any]) -> None:
        wrong = [name for name, value in want.items() if _text(value) != row.get(name)]
        # A record written before text was cleaned on entry reads back cleaned: its columns
        # still hold the control codes, and that is not damage.
        wrong = [n for n in wrong if _text(want[n]) not in _cleaned(row.get(n))]
        if wrong:
            self.damage(where, f"summary columns disagree with the record: {', '.join(wrong)}")

    def claim(self, row: dict[str, Any], where: str) -> None:
        claim_id = row["id"]
        self.sealed("claims", claim_id, row["body"], row["digest"])
        try:
            claim = Claim.model_validate_json(row["body"])
        except ValueError as exc:
            errors = getattr(exc, "errors", None)
            if callable(errors):
                err = errors()[0]
                raise _Damage(
                    f"record is unreadable: {'.'.join(map(str, err['loc']))}: {err['msg']}"
                ) from None
            raise
        self.columns(where, row, {"id": claim.id, **claim_columns(claim)})
        selectors: list[tuple[str, Selector]] = []
        if claim.origin:
            selectors.append(("origin", claim.origin))
        selectors += [(f"account {a.id}", a.origin) for a in claim.accounts if a.origin]
        selectors += [(f"evidence {e.id}", e.selector) for e in claim.evidence if e.selector]
        for label, sel in selectors:
            text = self.document_text(sel.document_id)
            at = f"{where} {label}"
            if text is None:
                self.damage(at, f"document {sel.document_id[:12]} is missing")
                continue
            now = anchor.reanchor(sel, text)
            if now.status is AnchorStatus.not_found:
                self.damage(at, "quote no longer found in its document")
            elif now.status != sel.status or now.position != sel.position:
                position = now.position.start if now.position else "?"
                self.found.append(
                    Finding("drift", at, f"quote now {now.status.value} at {position}")
                )

    def batch_of_undone(self, seq: int, undone: set[int]) -> bool:
        """Whether `seq` is one batch of a multi-event action (an import) that was undone.

        Such an action logs several events under one action target (not a record's), and
        its undo marks them all while naming one.
        """
        row = self.conn.execute("SELECT target, action FROM events WHERE seq = ?", (seq,))
        found = row.fetchone()
        if found is None or str(found[0]).startswith(("claim:", "source:", "casebook")):
            return False
        same = self.conn.execute(
            "SELECT seq FROM events WHERE target = ? AND action = ?", (found[0], found[1])
        )
        return any(int(r[0]) in undone for r in same)

    def groups(self, seqs: set[int]) -> set[int]:
        """The action groups (where the log has them) of these events."""
        columns = {str(r[1]) for r in self.conn.execute("PRAGMA table_info(events)")}
        if "grp" not in columns:
            return set()
        out = set()
        for seq in seqs:
            row = self.conn.execute("SELECT grp FROM events WHERE seq = ?", (seq,)).fetchone()
            if row and isinstance(row[0], int):
                out.add(row[0])
        return out

    def _document_text(self, doc_id: str) -> str | None:
        try:
            row = self.conn.execute("SELECT body FROM documents WHERE id = ?", (doc_id,)).fetchone()
            return Document.model_validate_json(row[0]).text if row else None
        except Exception:
            return None  # named where the document itself is checked

    def events(self) -> None:
        """The history as a chain: each entry's hash covers it and the hash before it."""
        prev, last_seq = digests.GENESIS, 0
        flagged: dict[int, bool] = {}
        undone: set[int] = set()
        for row in self.rows("events", "seq"):
            where = f"event {row.get('seq')}"
            try:
                seq = int(row["seq"])
                fields = [row[c] for c in ("at", "actor", "action", "target", "before", "after")]
                if digests.event(prev, seq, *fields) != row["hash"]:
                    self.damage(
                        where, "history entry was changed, removed or reordered (hash chain)"
                    )
                prev, last_seq = row["hash"], seq
                if row["undone"] == "1":
                    undone.add(seq)
                before = None if fields[4] is None else json.loads(fields[4])
                if fields[5] is not None:
                    json.loads(fields[5])
            except (ValueError, RecursionError):
                self.damage(where, "history entry is unreadable")
                continue
            except Exception as exc:
                self.damage(where, f"history entry cannot be checked ({type(exc).__name__})")
                continue
            if fields[2] in ("undo", "redo") and isinstance(before, dict):
                target = before.get("seq")
                if isinstance(target, int):
                    flagged[target] = fields[2] == "undo"
        expect = {seq for seq, is_undone in flagged.items() if is_undone}
        groups = self.groups(expect)
        for seq in sorted(undone ^ expect):
            own = self.groups({seq})
            if seq in undone and own and own <= groups:
                continue  # undone with the rest of its action group
            if seq in undone and self.batch_of_undone(seq, expect):
                continue
            self.damage(f"event {seq}", "undone flag disagrees with the undo/redo history")
        try:
            head = digests.head(self.conn)
        except (sqlite3.DatabaseError, ValueError) as exc:
            self.damage("history", f"the newest entry's record is unreadable: {exc}")
            return
        if head != (last_seq, prev):
            self.damage(
                "history",
                f"newest entries are missing or changed (the casebook ends at event {head[0]}, "
                f"the log at {last_seq})",
            )


def _as_stored(columns: list[str], info: list[Any], found: Any) -> tuple[Any, ...]:
    """A server row as the SQLite check reads one: text as bytes, and each value's kind."""
    declared = {str(r[1]): str(r[2]).lower() for r in info}
    values = tuple(
        v if c == "raw" or v is None else str(v).encode("utf-8", "surrogatepass")
        for c, v in zip(columns, found, strict=True)
    )
    kinds = tuple("null" if v is None else declared[c] for c, v in zip(columns, found, strict=True))
    return values + kinds


def _cleaned(value: Any) -> tuple[str, ...]:
    return (clean(value), clean_line(value)) if isinstance(value, str) else ()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
