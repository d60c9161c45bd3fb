"""Untrusted text is cleaned once, when it enters: no escape or bidi override is stored.

Every route in (portable and JSON-lines imports, ClaimReview feeds, `config set`, ingest of
text and pages) is fed escape sequences and bidi overrides; the casebook file, read back
with plain SQLite, must hold none of them. Quote selectors and document text are the archived
record (their offsets and sha256 count every character), so they are left as extracted and
cleaned where they are shown.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli_helpers import digest
from tests.conftest import SAMPLE
from tests.test_escape_routes import _payload, escape

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
ARCHIVED = {"exact", "prefix", "suffix"}  # quote selectors: characters of the document text

# The escape sequences of tests/test_escape_routes.py, and lone controls and bidi overrides.
_sequence = st.one_of(
    escape,
    st.sampled_from(["\x1b", "\u202e", "\u2066", "\u200f", "\x00", "\x7f", "\x85", "\r"]),
)
evil_text = st.lists(st.one_of(_sequence, _payload), min_size=1, max_size=5).map("".join)


def _strings(value: Any, key: str = "") -> list[str]:
    if isinstance(value, str):
        return [] if key in ARCHIVED else [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *_strings(v, k)]]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, key)]
    return []


def stored_unsafe(book: Path) -> list[tuple[str, str]]:
    """Every stored string (JSON bodies walked) holding a control code or bidi override."""
    conn = sqlite3.connect(book)
    found = []
    for table in ("claims", "sources", "meta", "events", "documents"):
        cursor = conn.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cursor.description]
        for row in cursor:
            for name, cell in zip(names, row, strict=True):
                if not isinstance(cell, str):
                    continue  # raw document bytes are kept as retrieved
                try:
                    value = json.loads(cell)
                except ValueError:
                    value = cell
                if table == "documents" and isinstance(value, dict):
                    value.pop("text", None)
                if table == "documents" and name == "text":
                    continue
                found += [(f"{table}.{name}", s) for s in _strings(value) if UNSAFE.search(s)]
    conn.close()
    return found


def _portable(evil: str) -> dict[str, Any]:
    data = json.loads(SAMPLE.read_text("utf-8"))
    data["settings"]["name"] = evil
    data["settings"]["publisher_name"] = evil
    data["settings"]["scale"][0]["description"] = evil
    data["settings"]["scale"][0]["alternate_name"] = evil
    data["sources"][0]["name"] = evil
    data["sources"][0]["notes"] = f"para\n\n{evil}"
    claim = next(c for c in data["claims"] if c["verdict"] and c["accounts"])
    claim.update(claimant=evil, topic=evil, tags=[evil], extra={evil: [evil, {"k": evil}]})
    claim["text"] = f"claim {evil}"
    claim["verdict"].update(rationale=f"one\n\n{evil}", reviewer=evil)
    claim["accounts"][0]["statement"] = f"said {evil}"
    for ev in claim["evidence"]:
        ev.update(note=evil, summary=evil)
    data["documents"][0]["title"] = evil
    data["events"][0]["actor"] = evil
    data["events"][0]["after"] = {"name": evil}
    return data


def _claimreview(evil: str) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": f"cr-{evil}",
        "claimReviewed": f"claim {evil}",
        "headline": evil,
        "reviewBody": f"body\n{evil}",
        "author": {"@type": "Organization", "name": evil},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": evil}},
    }


def _jsonl(evil: str) -> dict[str, Any]:
    return {
        "id": f"r-{evil}",
        "text": f"claim {evil}",
        "claimant": evil,
        "tags": [evil, "plain"],
        "verdict": "false",
        "rationale": f"one\n\n{evil}",
        "reviewer": evil,
        "title": evil,
        "nested": {evil: [evil]},
    }


def _enter(cli, route: str, evil: str, folder: Path) -> Path | None:
    """Send `evil` into a fresh casebook by `route`; returns the casebook (None: refused)."""
    book = folder / f"{route}.casebook"
    cb = ["--casebook", str(book)]
    if route == "portable":
        src = folder / "book.json"
        src.write_text(json.dumps(_portable(evil)), "utf-8")
        res = cli("import", str(src), *cb)
    elif route == "jsonl":
        src = folder / "feed.jsonl"
        src.write_text(json.dumps(_jsonl(evil)) + "\n", "utf-8")
        res = cli("import", str(src), *cb)
    elif route == "claimreview":
        src = folder / "feed.json"
        src.write_text(json.dumps([_claimreview(evil)]), "utf-8")
        res = cli("import", str(src), *cb)
    elif route == "config":
        for key in ("name", "publisher.name", "publisher.url"):
            res = cli("config", "set", key, evil, *cb)
            assert res.code == 0, res.err
    elif route == "text":
        src = folder / "statement.txt"
        words = f"Officials said the bridge was closed. Ivan {evil} Petrov said 25 people died."
        src.write_text(words + "\n", "utf-8")
        res = cli("ingest", str(src), *cb)
    else:
        src = folder / "page.html"
        body = "<p>The governor said that 25 people were killed in the attack overnight.</p>"
        page = f"<html><head><title>{evil}</title></head><body><article>{body * 3}</article>"
        src.write_text(page + "</body></html>", "utf-8")
        res = cli("ingest", str(src), *cb)
    if route in ("text", "html") and "binary file" in res.err:
        return None  # mostly control codes: refused as a whole, and nothing stored
    assert res.code == 0, res.err
    return book


ROUTES = ["portable", "jsonl", "claimreview", "config", "text", "html"]


def test_imported_escape_and_bidi_bytes_are_not_stored(cli, tmp_path: Path) -> None:
    evil = "A\x1b]0;pwned\x07B\x1b[2J\u202eC\x9b31mD\x1b]52;c;eA==\x07E"
    for route in ROUTES:
        folder = tmp_path / route
        folder.mkdir()
        book = _enter(cli, route, evil, folder)
        assert book is not None and stored_unsafe(book) == [], route
    # What is kept is the readable text, paragraphs and all.
    conn = sqlite3.connect(tmp_path / "portable" / "portable.casebook")
    bodies = [json.loads(r[0]) for r in conn.execute("SELECT body FROM claims")]
    conn.close()
    claim = next(c for c in bodies if c["claimant"])
    assert claim["claimant"] == "ABC31mDE"
    assert claim["verdict"]["rationale"] == "one\n\nABC31mDE"


def test_names_keep_one_line_and_paragraphs_keep_their_breaks(cli, tmp_path: Path) -> None:
    book = _enter(cli, "jsonl", "x\ny\tz", tmp_path)
    assert book is not None
    body = json.loads(sqlite3.connect(book).execute("SELECT body FROM claims").fetchone()[0])
    assert body["claimant"] == "x y z" and body["tags"] == ["x y z", "plain"]
    assert body["verdict"]["rationale"] == "one\n\nx\ny\tz"


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(evil=evil_text, route=st.sampled_from(ROUTES))
def test_no_route_in_stores_control_codes_or_bidi_overrides(cli, evil: str, route: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = _enter(cli, route, evil, Path(tmp))
        assert book is None or stored_unsafe(book) == []


def _off_scale(cli, tmp_path: Path, record: dict[str, Any], name: str) -> Any:
    book = tmp_path / "b.casebook"
    assert cli("config", "set", "name", "Desk", "--casebook", str(book)).code == 0
    src = tmp_path / name
    src.write_text(json.dumps(record) + "\n", "utf-8")
    before = digest(book)
    res = cli("import", str(src), "--casebook", str(book))
    return res, digest(book) == before


def test_a_verdict_off_the_scale_is_refused_in_one_line(cli, tmp_path: Path) -> None:
    record = {"id": "1", "text": "The dam burst.", "verdict": "Pants on \x1b[31mFire"}
    res, unchanged = _off_scale(cli, tmp_path, record, "feed.jsonl")
    assert res.code == 1 and unchanged
    assert res.err.count("\n") == 1 and "\x1b" not in res.err
    assert "'Pants on Fire' is not on the casebook's rating scale" in res.err


def test_a_claimreview_rating_off_the_scale_maps_by_its_value(cli, tmp_path: Path) -> None:
    review = _claimreview("plain")
    # 0 on the feed's 0..6 scale is the worst rating: the scale's label rated 1.
    review["reviewRating"] = {"ratingValue": 0, "worstRating": 0, "bestRating": 6}
    review["reviewRating"]["alternateName"] = "Pants on Fire"
    res, _ = _off_scale(cli, tmp_path, review, "feed.json")
    assert res.code == 0, res.err
    shown = cli("list", "--json", "--casebook", str(tmp_path / "b.casebook")).json_lines()
    assert [row["verdict"] for row in shown] == ["false"]
    review["reviewRating"] = {"alternateName": "Pants on Fire"}
    res, unchanged = _off_scale(cli, tmp_path, review | {"identifier": "other"}, "feed2.json")
    assert res.code == 1 and unchanged and "not on the casebook's rating scale" in res.err


def test_a_casebook_written_before_cleaning_still_checks_whole(cli, tmp_path: Path) -> None:
    from verify import digests

    book = _enter(cli, "jsonl", "plain", tmp_path)
    assert book is not None
    # What an older verify stored: the control codes in the record and its summary columns,
    # sealed by its digest as that verify sealed it.
    conn = sqlite3.connect(book)
    claim_id, body, search = conn.execute("SELECT id, body, search FROM claims").fetchone()
    data = json.loads(body)
    search = search.replace(data["text"].lower(), "claim \x1b[31mred\u202e")
    data["text"] = "claim \x1b[31mred\u202e"
    body = json.dumps(data, ensure_ascii=False, sort_keys=True)
    conn.execute(
        "UPDATE claims SET body = ?, text = ?, search = ?, digest = ? WHERE id = ?",
        (body, data["text"], search, digests.record("claims", claim_id, body), claim_id),
    )
    conn.commit()
    conn.close()
    res = cli("check", "--casebook", str(book))
    assert res.code == 0, res.out + res.err
