"""The casebook's media index: each archived photo's or video's metadata and hashes, and the
"seen before?" lookup over them.

The index is derived from the archived bytes (a row can always be computed again), so a
document archived without one (an imported casebook) is read on the fly when it is cited.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable

from pydantic import ValidationError

from verify import digests
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


def sealed(conn: sqlite3.Connection) -> bool:
    """Whether media rows carry a digest (schema 10 on; a migration may run before it)."""
    return any(str(r[1]) == "digest" for r in conn.execute("PRAGMA table_info(media)"))


def digest_of(document_id: str, media_type: str, hashes: str, body: str) -> str:
    """The digest of one media row: the columns "seen before?" reads and the record."""
    return digests.record("media", document_id, f"{media_type}\x00{hashes}\x00{body}")


def tx_put(conn: sqlite3.Connection, info: MediaInfo) -> None:
    """Record a document's media metadata (inside the transaction that archives it)."""
    row = (info.sha256, info.media_type, " ".join(info.hashes), info.model_dump_json())
    if not sealed(conn):
        conn.execute(
            "INSERT INTO media (document_id, media_type, hashes, body) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (document_id) DO UPDATE SET media_type = excluded.media_type, "
            "hashes = excluded.hashes, body = excluded.body",
            row,
        )
        return
    conn.execute(
        "INSERT INTO media (document_id, media_type, hashes, body, digest) "
        "VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (document_id) DO UPDATE SET media_type = excluded.media_type, "
        "hashes = excluded.hashes, body = excluded.body, digest = excluded.digest",
        (*row, digest_of(*row)),
    )


def seal_existing(conn: sqlite3.Connection) -> None:
    """Migration step: compute the digest of every media row written before."""
    rows = conn.execute("SELECT document_id, media_type, hashes, body FROM media").fetchall()
    for row in rows:
        conn.execute(
            "UPDATE media SET digest = ? WHERE document_id = ?",
            (digest_of(*(str(v) for v in row)), row[0]),
        )


def get(conn: sqlite3.Connection, document_id: str) -> MediaInfo | None:
    """The metadata of an archived photo or video; None for other documents."""
    if has_table(conn):
        found = _row(conn, document_id)
        if found is not None:
            info = _parse(found)
            if info is not None and info.sha256 == document_id:
                return info
    # The first bytes tell a picture from a text without loading all of a large file.
    head = conn.execute("SELECT substr(raw, 1, 64) FROM documents WHERE id = ?", (document_id,))
    first = head.fetchone()
    if first is None or not isinstance(first[0], bytes) or not sniff.is_media(first[0]):
        return None
    raw = conn.execute("SELECT raw FROM documents WHERE id = ?", (document_id,)).fetchone()
    return _probe_quietly(raw[0], document_id) if isinstance(raw[0], bytes) else None


def _row(conn: sqlite3.Connection, document_id: str) -> str | None:
    """The stored record of a file, when its digest still holds (a row changed outside
    verify is passed over: the archived bytes are the truth)."""
    if not sealed(conn):
        row = conn.execute("SELECT body FROM media WHERE document_id = ?", (document_id,))
        found = row.fetchone()
        return str(found[0]) if found else None
    row = conn.execute(
        "SELECT media_type, hashes, body, digest FROM media WHERE document_id = ?",
        (document_id,),
    )
    found = row.fetchone()
    if found is None or not all(isinstance(v, str) for v in found):
        return None
    if found[3] != digest_of(document_id, *found[:3]):
        return None
    return str(found[2])


def index_existing(conn: sqlite3.Connection) -> None:
    """Index the photos and videos archived before the media index existed."""
    # One document's bytes in memory at a time: a casebook's archive can be large.
    heads = conn.execute("SELECT id, substr(raw, 1, 64) FROM documents").fetchall()
    for doc_id, head in heads:
        if isinstance(head, bytes) and sniff.is_media(head):
            info = get(conn, doc_id)
            if info is not None:
                tx_put(conn, info)


def read_all(raws: Iterable[bytes]) -> list[MediaInfo]:
    """The media records of arriving files (an import) that are photos or videos verify
    can read; the others are left out as they are at attach time."""
    out = []
    for raw in raws:
        if sniff.is_media(raw[:64]):
            info = _probe_quietly(raw, hashlib.sha256(raw).hexdigest())
            if info is not None:
                out.append(info)
    return out


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
    from verify.media import seen as seen_index  # it builds on this module

    return seen_index.for_connection(conn).seen(info, threshold)


def is_video(media_type: str) -> bool:
    return str(media_type).startswith("video/")


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


def media_of(conn: sqlite3.Connection, claim: Claim) -> list[tuple[Evidence, MediaInfo]]:
    """A claim's photo and video evidence with its metadata, without looking for it
    elsewhere (quick: what a screen shows before "seen before?" is answered)."""
    out = []
    for item in claim.evidence:
        if item.kind is EvidenceKind.file and item.document_id:
            info = get(conn, item.document_id)
            if info is not None:
                out.append((item, info))
    return out


def seen_elsewhere(conn: sqlite3.Connection, item: Evidence, info: MediaInfo) -> list[Seen]:
    """Where else the casebook has this item's picture (the item itself left out)."""
    return [s for s in seen(conn, info) if s.evidence_id != item.id]


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
