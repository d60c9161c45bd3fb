"""The casebook schema on PostgreSQL: the latest SQLite schema, written as PostgreSQL DDL.

A casebook on a server starts at the latest schema (there is nothing older to migrate) and
records `schema_version` in `meta` as a file does. Text is compared byte by byte (COLLATE
"C"), as SQLite does, so list order and term ranges match whatever the database's locale.
Every table has a `rowid` (an identity; events' is their seq) so row-by-row scans read the
same on both backends. `json_extract` and `json_each` are defined as SQL functions with
SQLite's meaning for the paths verify uses, so queries over claim bodies are written once.
Full-text search is a tsvector column with a GIN index ('simple': no language's stemming,
so Russian, Ukrainian and English are indexed alike).
"""

from __future__ import annotations

import re

T = 'TEXT COLLATE "C"'
ROWID = "rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE"

DDL = [
    f"CREATE TABLE meta (key {T} PRIMARY KEY, value {T} NOT NULL, digest {T} NOT NULL "
    f"DEFAULT '', {ROWID})",
    f"""CREATE TABLE documents (
        id {T} PRIMARY KEY, address {T} NOT NULL, title {T} NOT NULL, retrieved {T} NOT NULL,
        text_sha256 {T} NOT NULL, body {T} NOT NULL, raw BYTEA NOT NULL,
        digest {T} NOT NULL DEFAULT '', {ROWID})""",
    f"""CREATE TABLE sources (
        id {T} PRIMARY KEY, name {T} NOT NULL, grade {T} NOT NULL, body {T} NOT NULL,
        digest {T} NOT NULL DEFAULT '', {ROWID})""",
    f"""CREATE TABLE claims (
        id {T} PRIMARY KEY, ref {T} NOT NULL, text {T} NOT NULL, status {T} NOT NULL,
        verdict {T}, accounts INTEGER NOT NULL, evidence INTEGER NOT NULL,
        revision INTEGER NOT NULL, created {T} NOT NULL, updated {T} NOT NULL,
        body {T} NOT NULL, tags {T} NOT NULL DEFAULT '', search {T} NOT NULL DEFAULT '',
        digest {T} NOT NULL DEFAULT '', assignee {T} NOT NULL DEFAULT '', {ROWID})""",
    f"""CREATE TABLE events (
        seq BIGINT PRIMARY KEY, at {T} NOT NULL, actor {T} NOT NULL, action {T} NOT NULL,
        target {T} NOT NULL, before {T}, after {T}, undone INTEGER NOT NULL DEFAULT 0,
        hash {T} NOT NULL DEFAULT '', grp BIGINT,
        rowid BIGINT GENERATED ALWAYS AS (seq) STORED)""",
    "CREATE INDEX idx_claims_ref ON claims (ref)",
    "CREATE INDEX idx_events_target ON events (target)",
    "CREATE INDEX idx_events_grp ON events (grp)",
    "CREATE INDEX idx_claims_order ON claims (created, id)",
    "CREATE INDEX idx_claims_assignee ON claims (assignee)",
    "CREATE INDEX idx_claims_status ON claims (status)",
    f"""CREATE TABLE match_terms (
        term {T} NOT NULL, claim_id {T} NOT NULL, tf INTEGER NOT NULL,
        length INTEGER NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (term, claim_id))""",
    "CREATE INDEX idx_match_terms_claim ON match_terms (claim_id)",
    f"CREATE TABLE match_docs (claim_id {T} PRIMARY KEY, length INTEGER NOT NULL)",
    "CREATE TABLE match_stats (id INTEGER PRIMARY KEY, docs BIGINT NOT NULL, "
    "total_length BIGINT NOT NULL)",
    "INSERT INTO match_stats (id, docs, total_length) VALUES (1, 0, 0)",
    f"CREATE TABLE match_vectors (claim_id {T} PRIMARY KEY, digest BYTEA NOT NULL, "
    "vector BYTEA NOT NULL)",
    f"""CREATE TABLE search_fts (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind {T} NOT NULL,
        item {T} NOT NULL, owner {T} NOT NULL, document {T} NOT NULL, body {T} NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED)""",
    "CREATE INDEX idx_search_fts_tsv ON search_fts USING GIN (tsv)",
    "CREATE INDEX idx_search_fts_owner ON search_fts (owner)",
    f"""CREATE TABLE media (
        document_id {T} PRIMARY KEY, media_type {T} NOT NULL, hashes {T} NOT NULL,
        body {T} NOT NULL, digest {T} NOT NULL DEFAULT '', {ROWID})""",
    f"""CREATE TABLE captures (
        id {T} PRIMARY KEY, document_id {T} NOT NULL, url {T} NOT NULL,
        captured {T} NOT NULL, response_record {T} NOT NULL, body {T} NOT NULL,
        warc BYTEA NOT NULL, digest {T} NOT NULL, {ROWID})""",
    "CREATE INDEX idx_captures_document ON captures (document_id)",
    # The number of claims, kept by the statements that add and remove them: count(*) on
    # PostgreSQL reads every row (no row count is stored), so the list's total would grow
    # with the casebook. Statement triggers with transition tables: one update per import,
    # not one per claim; an upsert that updates counts nothing.
    "CREATE TABLE claim_count (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)",
    "INSERT INTO claim_count (id, n) VALUES (1, 0)",
    """CREATE FUNCTION claim_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN UPDATE claim_count SET n = n + (SELECT count(*) FROM added) WHERE id = 1;
        RETURN NULL; END $$""",
    """CREATE FUNCTION claim_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN UPDATE claim_count SET n = n - (SELECT count(*) FROM removed) WHERE id = 1;
        RETURN NULL; END $$""",
    "CREATE TRIGGER claim_count_insert AFTER INSERT ON claims REFERENCING NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION claim_count_added()",
    "CREATE TRIGGER claim_count_delete AFTER DELETE ON claims REFERENCING OLD TABLE AS removed "
    "FOR EACH STATEMENT EXECUTE FUNCTION claim_count_removed()",
    # SQLite's JSON functions for '$.a.b' paths: json_extract gives a string element as
    # text, anything else as JSON text; json_each gives an array's elements the same way.
    """CREATE FUNCTION json_extract(doc TEXT, path TEXT) RETURNS TEXT
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE jsonb_typeof(j) WHEN 'string' THEN j #>> '{}' WHEN 'null' THEN NULL
            ELSE j::text END
        FROM (SELECT (doc::jsonb) #> string_to_array(substr(path, 3), '.') AS j) AS x $$""",
    """CREATE FUNCTION json_each(doc TEXT, path TEXT) RETURNS TABLE (value TEXT)
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE jsonb_typeof(e) WHEN 'string' THEN e #>> '{}' ELSE e::text END
        FROM jsonb_array_elements(CASE jsonb_typeof((doc::jsonb) #> string_to_array(
            substr(path, 3), '.')) WHEN 'array' THEN (doc::jsonb) #> string_to_array(
            substr(path, 3), '.') ELSE '[]'::jsonb END) AS e $$""",
]

COPIED = [
    "meta", "documents", "sources", "claims", "events", "match_terms", "match_docs",
    "match_stats", "match_vectors", "media", "captures",
]  # fmt: skip
"""The tables a portable copy takes row by row (the search index is rebuilt instead)."""

_NAMED = re.compile(r"CREATE (TABLE|INDEX|FUNCTION|TRIGGER) (\w+)")


def expected() -> set[tuple[str, str]]:
    """(kind, name) of every table, index, function and trigger verify creates."""
    out = {(m.group(1).lower(), m.group(2)) for s in DDL for m in [_NAMED.match(s)] if m}
    return out


PRESENT = """
    SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'i' THEN 'index' WHEN 'v' THEN 'view'
        WHEN 'm' THEN 'view' WHEN 'S' THEN 'sequence' ELSE 'relation' END, c.relname::text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 'v', 'm', 'p', 'f')
      AND NOT (c.relkind = 'i' AND (c.relname LIKE '%_pkey' OR c.relname LIKE '%_rowid_key'))
    UNION ALL
    SELECT 'function', p.proname::text FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()
    UNION ALL
    SELECT 'trigger', t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND NOT t.tgisinternal
    UNION ALL
    SELECT 'rule', r.rulename::text FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r'
"""
"""What the casebook's schema holds: a trigger, rule or view slipped in would run inside
every later write, so anything verify does not create is damage, as on SQLite."""
