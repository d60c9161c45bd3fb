"""Numbered schema migrations. Each runs inside one transaction after the file is backed up.

The SQL stays close to the common subset (TEXT/INTEGER/BLOB, no SQLite-only tricks beyond
AUTOINCREMENT) so a PostgreSQL backend can follow.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def _index_existing_claims(conn: sqlite3.Connection) -> None:
    from verify import match

    match.rebuild(conn)


def _encode_existing_claims(conn: sqlite3.Connection) -> None:
    from verify import match

    # Terms too: a casebook at 4 written while a migration was pending may lack postings.
    match.rebuild(conn)
    match.rebuild_vectors(conn)


def _search_index(conn: sqlite3.Connection) -> None:
    from verify import search

    for statement in search.TABLES:
        conn.execute(statement)
    search.rebuild(conn)


def _seal_existing(conn: sqlite3.Connection) -> None:
    from verify import digests

    digests.seal_existing(conn)


def _media_index(conn: sqlite3.Connection) -> None:
    from verify.media import index

    conn.execute(index.TABLE)
    index.index_existing(conn)


def _seal_media(conn: sqlite3.Connection) -> None:
    from verify.media import index

    index.seal_existing(conn)


Step = str | Callable[[sqlite3.Connection], None]

MIGRATIONS: dict[int, list[Step]] = {
    1: [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            address TEXT NOT NULL,
            title TEXT NOT NULL,
            retrieved TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            body TEXT NOT NULL,
            raw BLOB NOT NULL
        )""",
        """CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            grade TEXT NOT NULL,
            body TEXT NOT NULL
        )""",
        """CREATE TABLE claims (
            id TEXT PRIMARY KEY,
            ref TEXT NOT NULL,
            text TEXT NOT NULL,
            status TEXT NOT NULL,
            verdict TEXT,
            accounts INTEGER NOT NULL,
            evidence INTEGER NOT NULL,
            revision INTEGER NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            body TEXT NOT NULL
        )""",
        """CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            before TEXT,
            after TEXT,
            undone INTEGER NOT NULL DEFAULT 0
        )""",
    ],
    # 2: tags as a summary column (the list filter ranks on them without loading claims),
    # and indexes for lookups by ref and by event target.
    2: [
        "ALTER TABLE claims ADD COLUMN tags TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX idx_claims_ref ON claims (ref)",
        "CREATE INDEX idx_events_target ON events (target)",
        """UPDATE claims SET tags = COALESCE(
            (SELECT group_concat(value, ' ') FROM json_each(json_extract(claims.body, '$.tags'))),
            '')""",
    ],
    # 3: a search summary (claim, accounts, claimant, tags) so the TUI filter ranks claims
    # without loading them, and an index in list order so a page of the list is one lookup.
    3: [
        "ALTER TABLE claims ADD COLUMN search TEXT NOT NULL DEFAULT ''",
        """UPDATE claims SET search = lower(text || ' ' || json_extract(body, '$.claimant')
            || ' ' || tags || ' ' || COALESCE((SELECT group_concat(json_extract(value,
            '$.statement'), ' ') FROM json_each(json_extract(claims.body, '$.accounts'))), ''))""",
        "CREATE INDEX idx_claims_order ON claims (created, id)",
    ],
    # 4: the "already checked?" index: BM25 postings kept beside the claims, updated with
    # every claim write so matching never needs a rebuild.
    4: [
        # Postings clustered by term (WITHOUT ROWID: the table is its primary-key b-tree),
        # carrying the claim's length and entry order (seq) so scoring reads one range and
        # joins nothing; seq breaks ties in favour of the claim that was checked first.
        """CREATE TABLE match_terms (
            term TEXT NOT NULL,
            claim_id TEXT NOT NULL,
            tf INTEGER NOT NULL,
            length INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (term, claim_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX idx_match_terms_claim ON match_terms (claim_id)",
        "CREATE TABLE match_docs (claim_id TEXT PRIMARY KEY, length INTEGER NOT NULL)",
        """CREATE TABLE match_stats (
            id INTEGER PRIMARY KEY,
            docs INTEGER NOT NULL,
            total_length INTEGER NOT NULL
        )""",
        "INSERT INTO match_stats (id, docs, total_length) VALUES (1, 0, 0)",
        _index_existing_claims,
    ],
    # 5: what each claim means, as a sentence-encoder vector beside its postings, so the
    # "already checked?" search finds the same claim in other words. digest says which
    # text the vector is of, so a write that leaves the text alone costs no encoding.
    5: [
        """CREATE TABLE match_vectors (
            claim_id TEXT PRIMARY KEY,
            digest BLOB NOT NULL,
            vector BLOB NOT NULL
        )""",
        _encode_existing_claims,
    ],
    # 6: tamper evidence: a digest on every stored record and the history as a hash chain
    # (see verify/digests.py), computed here for everything written before.
    6: [
        "ALTER TABLE claims ADD COLUMN digest TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE sources ADD COLUMN digest TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE documents ADD COLUMN digest TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE meta ADD COLUMN digest TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE events ADD COLUMN hash TEXT NOT NULL DEFAULT ''",
        _seal_existing,
    ],
    # 7: full-text search over documents, claims, accounts and notes (FTS5), and action
    # groups in the event log: the events one action wrote (a source merge touches many
    # claims) share `grp`, so undo and redo take them back together.
    7: [
        "ALTER TABLE events ADD COLUMN grp INTEGER",
        _search_index,
    ],
    # 8: photos and videos: metadata and perceptual hashes per archived file, so "seen
    # before?" compares hashes instead of decoding every picture in the casebook.
    8: [_media_index],
    # 9: web captures: each fetched or imported page's WARC records (gzipped, keyed by their
    # sha256) beside the document made from the response, found by that document.
    9: [
        """CREATE TABLE captures (
            id TEXT PRIMARY KEY,
            document_id TEXT NOT NULL,
            url TEXT NOT NULL,
            captured TEXT NOT NULL,
            response_record TEXT NOT NULL,
            body TEXT NOT NULL,
            warc BLOB NOT NULL,
            digest TEXT NOT NULL
        )""",
        "CREATE INDEX idx_captures_document ON captures (document_id)",
    ],
    # 10: a digest on every media row like other records, so `verify check` names a row
    # edited outside verify (a recycled photo's hashes changed so it is no longer seen).
    10: [
        "ALTER TABLE media ADD COLUMN digest TEXT NOT NULL DEFAULT ''",
        _seal_media,
    ],
    # 11: who on the desk a claim is assigned to, as a summary column (the body says it
    # too) so "assigned to me" is one indexed lookup; existing claims are unassigned. And
    # claims by status: the list filter asks "any dropped?" on every keystroke and every
    # colleague's save, which without it reads the whole claims table when there are none.
    11: [
        "ALTER TABLE claims ADD COLUMN assignee TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX idx_claims_assignee ON claims (assignee)",
        "CREATE INDEX idx_claims_status ON claims (status)",
    ],
}

LATEST = max(MIGRATIONS)
