"""The "seen before?" index: every cited photo's and video's hashes, split into bands.

Multi-index hashing: each 64-bit hash is cut into BANDS bands. Two hashes at most
`threshold` bits apart differ, by pigeonhole, in at most threshold // BANDS bits in one of
the bands, so looking up each band's value and its near neighbours (every value within that
many bits) finds every picture within the threshold, and only a few others, which the exact
comparison then drops. A look-up costs the same at a thousand photos as at a hundred
thousand; building the index reads each cited file's row once.
"""

from __future__ import annotations

import itertools
import sqlite3
import struct
from dataclasses import dataclass

import numpy as np

from verify.media import index, phash
from verify.media.info import MediaInfo, Seen

BANDS = 3
WIDTHS = (21, 21, 22)
"""Bits per band: about log2 of the hashes a large casebook holds, so a probed value is
shared by few of them."""
SHIFTS = (0, 21, 42)
_BITS_SET = np.array([bin(n).count("1") for n in range(256)], dtype=np.uint8)


def _popcount(values: np.ndarray) -> np.ndarray:
    """Bits set in each uint64 (numpy before 2.0 has no bitwise_count)."""
    as_bytes = values.astype("<u8").view(np.uint8).reshape(-1, 8)
    return _BITS_SET[as_bytes].sum(axis=1, dtype=np.int64)


@dataclass
class Entry:
    document_id: str
    items: list[tuple[str, str]]
    """(evidence id, claim id) of every item citing the file."""
    hashes: list[int]
    video: bool


def _neighbours(value: int, radius: int, width: int) -> list[int]:
    """Every band value within `radius` bits of `value`."""
    out = [value]
    for r in range(1, radius + 1):
        for bits in itertools.combinations(range(width), r):
            flip = 0
            for b in bits:
                flip |= 1 << b
            out.append(value ^ flip)
    return out


class SeenIndex:
    """The cited media of one casebook state, ready for look-ups."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.by_document = {e.document_id: n for n, e in enumerate(entries)}
        counts = np.array([len(e.hashes) for e in entries], dtype=np.int64)
        self.owners = np.repeat(np.arange(len(entries), dtype=np.int64), counts)
        self.values = np.fromiter(
            itertools.chain.from_iterable(e.hashes for e in entries),
            dtype=np.uint64,
            count=int(counts.sum()),
        )
        self.bands: list[tuple[np.ndarray, np.ndarray]] = []
        for shift, width in zip(SHIFTS, WIDTHS, strict=True):
            keys = ((self.values >> np.uint64(shift)) & np.uint64((1 << width) - 1)).astype(
                np.int64
            )
            order = np.argsort(keys, kind="stable")
            self.bands.append((keys[order], order))

    @classmethod
    def build(cls, conn: sqlite3.Connection) -> SeenIndex:
        entries = [Entry(d, items, h, v) for d, items, h, v in _cited_media(conn)]
        return cls(entries)

    def candidates(self, query: list[int], threshold: int) -> set[int]:
        """Entries holding a hash within `threshold` of one of `query`'s."""
        radius = threshold // BANDS
        found: set[int] = set()
        for q in query:
            near: list[np.ndarray] = []
            for (keys, order), shift, width in zip(self.bands, SHIFTS, WIDTHS, strict=True):
                if not len(keys):
                    continue
                band = (q >> shift) & ((1 << width) - 1)
                probes = np.array(_neighbours(band, radius, width), dtype=np.int64)
                lo = np.searchsorted(keys, probes, side="left")
                hi = np.searchsorted(keys, probes, side="right")
                near += [order[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
            if not near:
                continue
            at = np.unique(np.concatenate(near))
            close = _popcount(self.values[at] ^ np.uint64(q)) <= threshold
            found.update(self.owners[at[close]].tolist())
        return found

    def seen(self, info: MediaInfo, threshold: int = index.THRESHOLD) -> list[Seen]:
        """Evidence items whose photo or video looks like `info` (or is the same file, hashed
        or not), nearest first."""
        query = [phash.from_hex(h) for h in info.hashes]
        is_video = index.is_video(info.media_type)
        hits: list[Seen] = []
        same = self.by_document.get(info.sha256)
        near = self.candidates(query, threshold) if query else set()
        for n in sorted(near | ({same} if same is not None else set())):
            entry = self.entries[n]
            d = 0 if n == same else phash.compare(query, is_video, entry.hashes, entry.video)
            if d <= threshold:
                hits.extend(Seen(evidence_id=e, claim_id=c, distance=d) for e, c in entry.items)
        return sorted(hits, key=lambda s: s.distance)


def _cited_media(
    conn: sqlite3.Connection,
) -> list[tuple[str, list[tuple[str, str]], list[int], bool]]:
    """(document id, the items citing it, its hashes, whether a video) for every file that
    evidence cites."""
    cited = index.cited_files(conn)
    stored: dict[str, tuple[list[int], bool]] = {}
    if cited and index.has_table(conn):
        sealed = index.sealed(conn)
        select = "document_id, media_type, hashes, body" + (", digest" if sealed else "")
        for row in conn.execute(f"SELECT {select} FROM media"):
            doc_id, kind, text = row[0], row[1], row[2]
            if doc_id not in cited:
                continue
            if sealed and (
                not all(isinstance(v, str) for v in row)
                or row[4] != index.digest_of(*(str(v) for v in row[:4]))
            ):
                continue  # changed outside verify: the archived bytes are read instead, below
            hashes = _unpack(str(text))
            if hashes is None:
                continue  # a damaged row: the archived bytes are read instead, below
            stored[doc_id] = (hashes, index.is_video(kind))
    out = []
    for doc_id, items in cited.items():
        found = stored.get(doc_id)
        if found is None:
            # Archived without an index row (brought in by an import): read it now.
            info = index.get(conn, doc_id)
            found = ([], False)
            if info is not None:
                found = ([phash.from_hex(h) for h in info.hashes], index.is_video(info.media_type))
        out.append((doc_id, items, *found))
    return out


def _unpack(text: str) -> list[int] | None:
    """The hashes of a row's `hashes` column (16 hex digits each, space-separated); None
    when it is not that."""
    parts = text.split()
    if any(len(p) != 16 for p in parts):
        return None
    try:
        return list(struct.unpack(f">{len(parts)}Q", bytes.fromhex("".join(parts))))
    except ValueError:
        return None


class _Cache:
    """The last index built, with the connection and state it was built from, as one tuple
    (replaced whole, so a thread never reads half of it). The connection itself is held,
    not its id, which a later connection may reuse."""

    last: tuple[sqlite3.Connection, tuple[int, int], SeenIndex] | None = None


def for_connection(conn: sqlite3.Connection) -> SeenIndex:
    """The index of this connection's casebook, built again only when something changed
    (a commit here or by another process)."""
    stamp = (int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes)
    last = _Cache.last
    if last is not None and last[0] is conn and last[1] == stamp:
        return last[2]
    built = SeenIndex.build(conn)
    _Cache.last = (conn, stamp, built)
    return built
