"""Random bit flips and digit changes over a real casebook file, each checked by `verify check`.

Each round changes one bit (or one ASCII digit into another) somewhere in a copy of a casebook
built from the committed sample, and asks two questions: did the stored content change (the
claims, sources, documents, settings and history, read back with plain SQLite), and did
`check` name the damage (a finding, or a one-line refusal to open the file)? A content change
nobody named is silent tampering; an exception out of `check` is an internal failure. Both
must be zero. Used by the test suite (a few dozen rounds) and bench/tamper_campaign.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from verify import portable
from verify.errors import VerifyError
from verify.integrity import check
from verify.store import Store

SAMPLE = Path(__file__).resolve().parent.parent / "casebook" / "sample.casebook.json"
CONTENT = ("claims", "sources", "documents", "events", "meta")
DERIVED = ("match_terms", "match_docs", "match_stats", "match_vectors")


def build(path: Path) -> bytes:
    """A casebook from the sample, with edits and an undo in its history; its bytes."""
    with Store.open(path) as store:
        portable.import_casebook(store, json.loads(SAMPLE.read_text("utf-8")))
        first = store.summaries()[0].id
        store.update_claim(first, lambda c: c.model_copy(update={"tags": ["tampered?"]}), "edit")
        store.update_claim(first, lambda c: c.model_copy(update={"claimant": "Someone"}), "edit")
        store.undo()
        store.set_settings(store.settings().model_copy(update={"name": "Desk 7"}))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()


def content(path: Path, tables: tuple[str, ...]) -> str:
    """A digest of what the tables hold, read without verify; 'unreadable' if SQLite cannot."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.text_factory = bytes
        try:
            h = hashlib.sha256()
            for table in tables:
                info = conn.execute(f"PRAGMA table_info({table})").fetchall()
                # quote() tells text from a blob of the same bytes, and 1 from '1'.
                cols = ", ".join(f"quote({r[1].decode()})" for r in info)
                for row in conn.execute(f"SELECT {cols} FROM {table} ORDER BY 1"):
                    h.update(repr(row).encode())
            return h.hexdigest()
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError):  # a damaged schema names columns in garbage
        return "unreadable"


@dataclass
class Tally:
    rounds: int = 0
    content_changed: int = 0
    named: int = 0
    """Content changes that check named (a finding or a one-line refusal)."""
    refused: int = 0
    """Of those, how many were refused at opening (header, schema version) in one line."""
    silent: list[str] = field(default_factory=list)
    internal: list[str] = field(default_factory=list)
    index_only: int = 0
    """Changes only to the derived search index (rebuilt from claims; not content)."""
    harmless: int = 0
    """Flips in free space or padding: nothing anyone can read changed."""
    flagged_file: int = 0
    """No content change, but check names file damage (an index or page structure)."""


def mutate(data: bytes, rng: random.Random, kind: str) -> tuple[bytes, str]:
    buf = bytearray(data)
    if kind == "digit":
        while True:
            pos = rng.randrange(len(buf))
            if 48 <= buf[pos] <= 57:
                break
        old = buf[pos]
        buf[pos] = rng.choice([d for d in range(48, 58) if d != old])
        return bytes(buf), f"digit at {pos}: {chr(old)} -> {chr(buf[pos])}"
    pos = rng.randrange(len(buf))
    bit = rng.randrange(8)
    buf[pos] ^= 1 << bit
    return bytes(buf), f"bit {bit} at {pos}"


def run_round(folder: Path, base: bytes, rng: random.Random, tally: Tally, n: int) -> None:
    kind = "digit" if n % 2 else "bit"
    data, what = mutate(base, rng, kind)
    path = folder / f"round{n}.casebook"
    path.write_bytes(data)
    try:
        changed = content(path, CONTENT) != tally_base(folder, base, CONTENT)
        index_changed = content(path, DERIVED) != tally_base(folder, base, DERIVED)
        named = False
        try:
            with Store.open(path, create=False) as store:
                named = any(f.severity == "damage" for f in check(store))
        except VerifyError:
            named = True  # refused with one line
            tally.refused += changed
        except Exception as exc:  # what the campaign exists to catch
            tally.internal.append(f"{what}: {type(exc).__name__}: {exc}")
            return
        tally.rounds += 1
        if changed:
            tally.content_changed += 1
            if named:
                tally.named += 1
            else:
                tally.silent.append(what)
        elif index_changed:
            tally.index_only += 1
        elif named:
            tally.flagged_file += 1
        else:
            tally.harmless += 1
    finally:
        for p in folder.glob(f"round{n}.casebook*"):
            with contextlib.suppress(OSError):
                os.unlink(p)


_BASE: dict[tuple[str, tuple[str, ...]], str] = {}


def tally_base(folder: Path, base: bytes, tables: tuple[str, ...]) -> str:
    key = (str(folder), tables)
    if key not in _BASE:
        path = folder / "base-copy.casebook"
        path.write_bytes(base)
        _BASE[key] = content(path, tables)
        path.unlink()
    return _BASE[key]


def run(folder: Path, rounds: int, seed: int = 0) -> Tally:
    folder.mkdir(parents=True, exist_ok=True)
    base = build(folder / "base.casebook")
    rng = random.Random(seed)
    tally = Tally()
    for n in range(rounds):
        run_round(folder, base, rng, tally, n)
    return tally
