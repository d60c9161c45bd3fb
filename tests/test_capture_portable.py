"""Captures travel in the portable JSON format: export, import into a new casebook, and the
WACZ of the copy holds the same records; a capture whose bytes lie is refused on import."""

from __future__ import annotations

import base64
import gzip
import json
import zipfile
from pathlib import Path

import pytest

from tests.capture_helpers import liveblog_html, serving
from verify.capture import records

BOTH_BACKENDS = True
"""The casebook tests run on an SQLite file and on a PostgreSQL database (see conftest)."""


@pytest.fixture
def book(cli, casebook_path: Path) -> Path:
    path = casebook_path
    pages = {"/a": (200, [("Content-Type", "text/html; charset=utf-8")], liveblog_html())}
    with serving(pages) as base:
        got = cli("--casebook", str(path), "ingest", f"{base}/a")
    assert got.code == 0, got.err
    return path


def _wacz_records(cli, book: Path, out: Path) -> tuple[list[tuple[str, str, str]], list[str]]:
    got = cli("--casebook", str(book), "export", "--format", "wacz", "-o", str(out))
    assert got.code == 0, got.err
    with zipfile.ZipFile(out) as zf:
        warc = zf.read("archive/data.warc.gz")
        pages = zf.read("pages/pages.jsonl").decode().splitlines()[1:]
    found = [
        (r.record_id, r.type, r.payload_sha256) for r in records.read(warc) if r.type != "warcinfo"
    ]
    return found, pages


def _export_json(cli, book: Path, out: Path) -> dict:
    got = cli("--casebook", str(book), "export", "--format", "json", "-o", str(out))
    assert got.code == 0, got.err
    return json.loads(out.read_text("utf-8"))


def test_a_json_round_trip_keeps_every_capture(
    cli, book: Path, copy_path: Path, tmp_path: Path
) -> None:
    before = _wacz_records(cli, book, tmp_path / "before.wacz")
    assert before[0], "the ingest made a capture"
    data = _export_json(cli, book, tmp_path / "book.json")
    assert len(data["captures"]) == 1

    copy = copy_path
    got = cli("--casebook", str(copy), "import", str(tmp_path / "book.json"))
    assert got.code == 0, got.err
    assert "captures 1" in got.out
    assert _wacz_records(cli, copy, tmp_path / "after.wacz") == before
    assert cli("--casebook", str(copy), "check").code == 0
    # And again: the copy's own export carries the same captures.
    assert _export_json(cli, copy, tmp_path / "again.json")["captures"] == data["captures"]

    # Undoing the import takes its captures with its documents; the casebook stays whole.
    assert cli("--casebook", str(copy), "undo").code == 0
    assert cli("--casebook", str(copy), "check").code == 0


def test_captures_cross_from_postgresql_to_a_file(cli, pg_server, tmp_path: Path) -> None:
    casebook_path = pg_server.new_database()
    with serving({"/a": (200, [("Content-Type", "text/html")], liveblog_html())}) as base:
        assert cli("--casebook", str(casebook_path), "ingest", f"{base}/a").code == 0
    before = _wacz_records(cli, casebook_path, tmp_path / "before.wacz")
    data = _export_json(cli, casebook_path, tmp_path / "book.json")
    book = tmp_path / "desk.casebook"
    assert cli("--casebook", str(book), "import", str(tmp_path / "book.json")).code == 0
    assert cli("--casebook", str(book), "check").code == 0
    assert _wacz_records(cli, book, tmp_path / "file.wacz") == before
    assert _export_json(cli, book, tmp_path / "file.json")["captures"] == data["captures"]


def _with_warc(data: dict, warc: bytes) -> None:
    data["captures"][0]["warc_base64"] = base64.b64encode(warc).decode()


@pytest.mark.parametrize("damage", ["bytes", "payload", "id", "base64", "document"])
def test_a_capture_that_lies_is_refused_in_one_line(
    cli, book: Path, copy_path: Path, tmp_path: Path, damage: str
) -> None:
    data = _export_json(cli, book, tmp_path / "book.json")
    capture = data["captures"][0]
    warc = base64.b64decode(capture["warc_base64"])
    if damage == "bytes":
        _with_warc(data, warc[:-10] + b"\0" * 10)
    elif damage == "payload":
        # A page changed inside its record, the record re-gzipped: its digest no longer holds.
        members = warc.split(b"\x1f\x8b\x08")
        text = gzip.decompress(b"\x1f\x8b\x08" + members[1])
        forged = gzip.compress(text.replace(b"Live blog", b"Dead blog"), mtime=0)
        warc = forged + b"".join(b"\x1f\x8b\x08" + m for m in members[2:])
        _with_warc(data, warc)
        capture["id"] = __import__("hashlib").sha256(warc).hexdigest()
    elif damage == "id":
        capture["id"] = "0" * 64
    elif damage == "base64":
        capture["warc_base64"] = "not base64!"
    else:
        capture["document_id"] = "f" * 64
    path = tmp_path / "lying.json"
    path.write_text(json.dumps(data), "utf-8")
    got = cli("--casebook", str(copy_path), "import", str(path))
    assert got.code == 1
    assert got.err.count("\n") == 1 and "captures[0]" in got.err and "Traceback" not in got.err
