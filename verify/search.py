"""Full-text search over everything a desk has: archived documents, claims, accounts, notes.

SQLite FTS5 (BM25) or, on PostgreSQL, a tsvector with a GIN index (ts_rank) finds and ranks
the items; the offsets and snippet of each hit are found
in Python on the stored text, so they count characters of that text the way selectors do.
Index rows are kept current with every write (`index_claim`, `index_document`); a side
table maps each claim to its rows so a write deletes them by rowid instead of scanning.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from verify import dialect
from verify.errors import VerifyError
from verify.models import Claim, Document
from verify.textsafe import one_line

SNIPPET_CHARS = 160
"""Characters of context shown around a hit."""
MAX_QUERY_WORDS = 32
_WORD = re.compile(r"\w+", re.UNICODE)

TABLES = [
    # kind: claim | account | note | document; item: its id; owner: the claim (or document)
    # the row belongs to; document: the archived document, when the text is one.
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        kind UNINDEXED, item UNINDEXED, owner UNINDEXED, document UNINDEXED, body,
        tokenize = 'unicode61 remove_diacritics 2'
    )""",
    """CREATE TABLE search_rows (
        owner TEXT NOT NULL,
        rid INTEGER NOT NULL
    )""",
    "CREATE INDEX idx_search_rows_owner ON search_rows (owner)",
]
"""The schema the migration adds."""


@dataclass(frozen=True)
class Hit:
    kind: str
    """claim, account, note or document."""
    id: str
    """The claim, account, evidence item or document found."""
    claim_id: str | None
    document: str | None
    """The document (sha256) the text belongs to, when it is an archived document."""
    start: int | None
    end: int | None
    """Character offsets of the first matching word in the item's text."""
    snippet: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def has_index(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_fts'").fetchone()
    return row is not None


def _add(conn: sqlite3.Connection, kind: str, item: str, owner: str, doc: str, body: str) -> None:
    if not body.strip():
        return
    cur = conn.execute(
        "INSERT INTO search_fts (kind, item, owner, document, body) VALUES (?, ?, ?, ?, ?)",
        (kind, item, owner, doc, body),
    )
    if dialect.on_server(conn):
        return  # the server's index is a table with an owner column: no side table
    conn.execute("INSERT INTO search_rows (owner, rid) VALUES (?, ?)", (owner, cur.lastrowid))


def unindex(conn: sqlite3.Connection, owner: str) -> None:
    """Forget every row of a claim (or document)."""
    if dialect.on_server(conn):
        conn.execute("DELETE FROM search_fts WHERE owner = ?", (owner,))
        return
    rids = [r[0] for r in conn.execute("SELECT rid FROM search_rows WHERE owner = ?", (owner,))]
    for rid in rids:
        conn.execute("DELETE FROM search_fts WHERE rowid = ?", (rid,))
    conn.execute("DELETE FROM search_rows WHERE owner = ?", (owner,))


def index_claim(conn: sqlite3.Connection, claim: Claim) -> None:
    """(Re)index a claim's text, its accounts' statements and its evidence notes."""
    unindex(conn, claim.id)
    _add(conn, "claim", claim.id, claim.id, "", claim.text)
    for account in claim.accounts:
        _add(conn, "account", account.id, claim.id, "", account.statement)
    for ev in claim.evidence:
        _add(conn, "note", ev.id, claim.id, "", "\n".join(p for p in (ev.summary, ev.note) if p))


def index_document(conn: sqlite3.Connection, doc: Document) -> None:
    unindex(conn, doc.id)
    _add(conn, "document", doc.id, doc.id, doc.id, "\n".join(p for p in (doc.title, doc.text) if p))


def rebuild(conn: sqlite3.Connection) -> None:
    """Index every claim and document from scratch (the migration that adds the index)."""
    conn.execute("DELETE FROM search_fts")
    if not dialect.on_server(conn):
        conn.execute("DELETE FROM search_rows")
    for (body,) in conn.execute("SELECT body FROM claims").fetchall():
        index_claim(conn, Claim.model_validate_json(body))
    for (body,) in conn.execute("SELECT body FROM documents").fetchall():
        index_document(conn, Document.model_validate_json(body))


def _words(query: str) -> list[str]:
    return _WORD.findall(query)[:MAX_QUERY_WORDS]


def fts_query(query: str) -> str:
    """The reviewer's words as an FTS5 query: every word must occur, the last may be a prefix.

    Each word is quoted, so nothing the reviewer types is read as FTS5 syntax.
    """
    words = _words(query)
    if not words:
        raise VerifyError("search for at least one word")
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def ts_query(query: str) -> str:
    """The same query for PostgreSQL's to_tsquery: every word (quoted, so nothing typed is
    read as syntax), the last as a prefix."""
    words = _words(query)
    if not words:
        raise VerifyError("search for at least one word")
    quoted = ["'" + w.replace("'", "''") + "'" for w in words]
    quoted[-1] += ":*"
    return " & ".join(quoted)


def _locate(body: str, words: list[str]) -> tuple[int | None, int | None]:
    best: tuple[int, int] | None = None
    for w in words:
        m = re.search(rf"\b{re.escape(w)}", body, re.IGNORECASE)
        if m and (best is None or m.start() < best[0]):
            end = m.end()
            while end < len(body) and body[end].isalnum():
                end += 1
            best = (m.start(), end)
    return best if best else (None, None)


def _snippet(body: str, start: int | None, end: int | None) -> str:
    if start is None or end is None:
        return one_line(body, SNIPPET_CHARS)
    half = max(0, (SNIPPET_CHARS - (end - start)) // 2)
    lo, hi = max(0, start - half), min(len(body), end + half)
    text = one_line(body[lo:hi])
    return ("…" if lo > 0 else "") + text + ("…" if hi < len(body) else "")


def search(conn: sqlite3.Connection, query: str, limit: int = 50) -> list[Hit]:
    """Items matching every word of `query`, best first."""
    if not has_index(conn):
        raise VerifyError("this casebook has no search index yet; open it with this verify once")
    words = _words(query)
    if dialect.on_server(conn):
        rows = conn.execute(
            "SELECT kind, item, owner, document, body FROM search_fts, "
            "to_tsquery('simple', ?) AS q WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC, id "
            "LIMIT ?",
            (ts_query(query), int(limit)),
        ).fetchall()
    else:
        rows = conn.execute(
            "SELECT kind, item, owner, document, body FROM search_fts WHERE search_fts MATCH ? "
            "ORDER BY bm25(search_fts) LIMIT ?",
            (fts_query(query), int(limit)),
        ).fetchall()
    hits = []
    for kind, item, owner, doc, body in rows:
        title_len = 0
        if kind == "document":
            # Offsets count characters of the document's text, as selectors do.
            title = _document_title(conn, item)
            title_len = len(title) + 1 if title else 0
        start, end = _locate(body[title_len:], words)
        if start is None and title_len:
            start_t, _ = _locate(body[:title_len], words)
            snippet = _snippet(body, start_t, start_t)
        else:
            snippet = _snippet(body[title_len:], start, end)
        hits.append(
            Hit(
                kind=kind,
                id=item,
                claim_id=owner if kind != "document" else None,
                document=doc or None,
                start=start,
                end=end,
                snippet=snippet,
            )
        )
    return hits


def _document_title(conn: sqlite3.Connection, doc_id: str) -> str:
    row = conn.execute("SELECT body FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return str(json.loads(row[0]).get("title") or "") if row else ""
