"""The casebook's media index: each archived photo's or video's metadata and hashes, and the
"seen before?" lookup over them.

The index is derived from the archived bytes (a row can always be computed again), so a
document archived without one (an imported casebook) is read on the fly when it is cited.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

from pydantic import ValidationError

from verify.errors import VerifyError
from verify.media import phash, sniff, video
from verify.media.info import MediaInfo, Seen
from verify.media.probe import probe
from verify.models import Claim, Evidence, EvidenceKind

TABLE = """CREATE TABLE media (
    document_id TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    hashes TEXT NOT NULL,
    body TEXT NOT NULL
)"""
"""hashes: the perceptual hashes "seen before?" compares, in hex, space-separated, so a
lookup reads them without parsing each record's metadata."""

THRESHOLD = 11
"""Largest distance (bits of 64) at which two pictures count as the same photo. Chosen with
bench/media_seen.py on its dev photos (false alarms at most 1%); the README gives the
recall and false alarms it measured on the test photos."""


def has_table(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'media'")
    return row.fetchone() is not None


def tx_put(conn: sqlite3.Connection, info: MediaInfo) -> None:
    """Record a document's media metadata (inside the transaction that archives it)."""
    conn.execute(
        "INSERT INTO media (document_id, media_type, hashes, body) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (document_id) DO UPDATE SET media_type = excluded.media_type, "
        "hashes = excluded.hashes, body = excluded.body",
        (info.sha256, info.media_type, " ".join(info.hashes), info.model_dump_json()),
    )


def get(conn: sqlite3.Connection, document_id: str) -> MediaInfo | None:
    """The metadata of an archived photo or video; None for other documents."""
    if has_table(conn):
        row = conn.execute("SELECT body FROM media WHERE document_id = ?", (document_id,))
        found = row.fetchone()
        if found is not None:
            info = _parse(found[0])
            if info is not None and info.sha256 == document_id:
                return info
    # The first bytes tell a picture from a text without loading all of a large file.
    head = conn.execute("SELECT substr(raw, 1, 64) FROM documents WHERE id = ?", (document_id,))
    first = head.fetchone()
    if first is None or not isinstance(first[0], bytes) or not sniff.is_media(first[0]):
        return None
    raw = conn.execute("SELECT raw FROM documents WHERE id = ?", (document_id,)).fetchone()
    return _probe_quietly(raw[0], document_id) if isinstance(raw[0], bytes) else None


def index_existing(conn: sqlite3.Connection) -> None:
    """Index the photos and videos archived before the media index existed."""
    # One document's bytes in memory at a time: a casebook's archive can be large.
    heads = conn.execute("SELECT id, substr(raw, 1, 64) FROM documents").fetchall()
    for doc_id, head in heads:
        if isinstance(head, bytes) and sniff.is_media(head):
            info = get(conn, doc_id)
            if info is not None:
                tx_put(conn, info)


def cited_files(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str]]]:
    """Per archived file, the (evidence id, claim id) of every item that attaches it."""
    # The instr() test skips, without parsing their JSON, the claims with no file evidence:
    # in a stored body that text can only be an item's kind (quotes in strings are escaped).
    rows = conn.execute(
        "SELECT c.id, json_extract(e.value, '$.id'), json_extract(e.value, '$.document_id') "
        "FROM claims c, json_each(c.body, '$.evidence') e "
        'WHERE c.evidence > 0 AND instr(c.body, \'"kind": "file"\') > 0 '
        "AND json_extract(e.value, '$.kind') = 'file' "
        "ORDER BY c.created, c.id"
    )
    out: dict[str, list[tuple[str, str]]] = {}
    for claim_id, evidence_id, doc_id in rows:
        if isinstance(doc_id, str) and isinstance(evidence_id, str):
            out.setdefault(doc_id, []).append((evidence_id, claim_id))
    return out


def seen(conn: sqlite3.Connection, info: MediaInfo, threshold: int = THRESHOLD) -> list[Seen]:
    """Evidence items in the casebook whose photo or video looks like `info` (or is the same
    file, hashed or not), nearest first."""
    query = [phash.from_hex(h) for h in info.hashes]
    is_video = _is_video(info.media_type)
    hits: list[Seen] = []
    for doc_id, items, other, other_video in _cited_media(conn):
        if doc_id == info.sha256:
            d = 0
        elif query and other:
            d = phash.compare(query, is_video, other, other_video)
        else:
            continue
        if d <= threshold:
            hits.extend(Seen(evidence_id=e, claim_id=c, distance=d) for e, c in items)
    return sorted(hits, key=lambda s: s.distance)


def _is_video(media_type: str) -> bool:
    return str(media_type).startswith("video/")


def _cited_media(
    conn: sqlite3.Connection,
) -> Iterator[tuple[str, list[tuple[str, str]], list[int], bool]]:
    """(document id, the items citing it, its hashes, whether a video) for every file that
    evidence cites."""
    cited = cited_files(conn)
    stored: dict[str, tuple[list[int], bool]] = {}
    if cited and has_table(conn):
        for doc_id, kind, text in conn.execute("SELECT document_id, media_type, hashes FROM media"):
            if doc_id in cited:
                try:
                    stored[doc_id] = (
                        [phash.from_hex(h) for h in str(text).split()],
                        _is_video(kind),
                    )
                except ValueError:
                    continue  # a damaged row: the archived bytes are read instead, below
    for doc_id, items in cited.items():
        found = stored.get(doc_id)
        if found is None:
            # Archived without an index row (brought in by an import): read it now.
            info = get(conn, doc_id)
            found = ([], False)
            if info is not None:
                found = ([phash.from_hex(h) for h in info.hashes], _is_video(info.media_type))
        yield doc_id, items, *found


def _parse(body: str) -> MediaInfo | None:
    try:
        info = MediaInfo.model_validate_json(body)
        for h in info.hashes:
            phash.from_hex(h)
    except (ValidationError, ValueError):
        return None  # a damaged row: the archived bytes are the truth, read them instead
    return info


def _probe_quietly(raw: bytes, doc_id: str) -> MediaInfo | None:
    if not sniff.is_media(raw):
        return None
    try:
        return probe(raw, doc_id[:12])
    except VerifyError:
        return None


def look_up(conn: sqlite3.Connection, raw: bytes, name: str) -> tuple[MediaInfo, list[Seen]]:
    """What `verify media` reports: the file's metadata and where the casebook has it."""
    info = probe(raw, name)
    if info is None:
        raise VerifyError(f"{name}: not a photo or video verify can read")
    return info, seen(conn, info)


def report(info: MediaInfo, hits: list[Seen]) -> dict[str, object]:
    """The JSON form: the fields scripts rely on, then video metadata and notes."""
    return {
        "sha256": info.sha256,
        "media_type": info.media_type,
        "width": info.width,
        "height": info.height,
        "phash": info.phash,
        "exif": info.exif,
        "gps": info.gps.model_dump() if info.gps else None,
        "taken": info.taken,
        "seen": [h.model_dump() for h in hits],
        "hashes": info.hashes,
        "video": info.video,
        "notes": info.notes,
    }


def facts(info: MediaInfo, hits: list[Seen]) -> list[tuple[str, str]]:
    """The plain-text form, one (label, value) a line; values from the file are untrusted
    and cleaned where they are shown."""
    out = [
        ("sha256", info.sha256),
        ("media_type", info.media_type),
        ("size", f"{info.width} x {info.height}" if info.width else "unknown"),
        ("phash", info.phash or "-"),
        ("taken", info.taken or "-"),
        ("gps", f"{info.gps.lat}, {info.gps.lon}" if info.gps else "-"),
    ]
    out += [(f"exif {key}", value) for key, value in info.exif.items()]
    out += [(f"video {key}", str(value)) for key, value in info.video.items()]
    out += [("note", note) for note in info.notes]
    if not info.hashes:
        out.append(("seen before", "cannot tell (no perceptual hash)"))
    elif not hits:
        out.append(("seen before", "no"))
    for h in hits:
        where = f"evidence {h.evidence_id} on claim {h.claim_id} (distance {h.distance})"
        out.append(("seen before", where))
    return out


def about(conn: sqlite3.Connection, item: Evidence) -> tuple[MediaInfo, list[Seen]] | None:
    """A photo or video evidence item's metadata, and where else the casebook has the same
    picture (the item itself left out); None for other evidence."""
    if item.kind is not EvidenceKind.file or not item.document_id:
        return None
    info = get(conn, item.document_id)
    if info is None:
        return None
    return info, [s for s in seen(conn, info) if s.evidence_id != item.id]


def for_claim(
    conn: sqlite3.Connection, claim: Claim
) -> list[tuple[Evidence, MediaInfo, list[Seen]]]:
    """A claim's photo and video evidence, each with what `about` says of it."""
    out = []
    for item in claim.evidence:
        found = about(conn, item)
        if found is not None:
            out.append((item, *found))
    return out


def tell(
    found: tuple[MediaInfo, list[Seen]],
    say: Callable[[str], None] | None,
    warn: Callable[[str], None],
) -> None:
    """After attaching: where the picture was seen before (when there is room for plain
    lines), and on stderr what could not be done (a video without ffmpeg)."""
    info, hits = found
    for note in info.notes:
        if note == video.MISSING:
            warn(note)
    if say is None:
        return
    for label, value in facts(info, hits):
        if label == "seen before":
            say(f"{label}: {value}")
