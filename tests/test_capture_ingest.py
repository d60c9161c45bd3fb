"""`verify ingest FILE.warc|.warc.gz|.wacz`: pages captured elsewhere become documents with
their capture time and digests; hostile archives get one line and leave the casebook alone."""

from __future__ import annotations

import gzip
import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.capture_helpers import liveblog_html, write_warc
from tests.cli_helpers import digest
from verify.capture import archives, records, table
from verify.errors import VerifyError
from verify.store import Store

BOTH_BACKENDS = True
"""The casebook tests run on an SQLite file and on a PostgreSQL database (see conftest)."""

OTHER = (
    b"<html><head><title>Second</title></head><body><article><p>The harbour authority said "
    b"that three ships were damaged in the storm on Monday night.</p><p>Insurers said the "
    b"losses would exceed two million dollars this year.</p></article></body></html>"
)
WHEN = "2023-05-06T07:08:09Z"


def _archive(gz: bool = True) -> bytes:
    return write_warc(
        [
            ("https://news.example/live", "text/html; charset=utf-8", liveblog_html(), WHEN),
            ("https://news.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64), WHEN),
            ("https://news.example/second", "text/html", OTHER, "2023-05-07T00:00:00Z"),
        ],
        gz=gz,
    )


@pytest.mark.parametrize("suffix", [".warc.gz", ".warc"])
def test_html_pages_become_documents_with_their_capture_time(
    cli, casebook_path, tmp_path, suffix
) -> None:
    warc = _archive(gz=suffix.endswith(".gz"))
    src = tmp_path / f"crawl{suffix}"
    src.write_bytes(warc)
    book = casebook_path
    got = cli("--casebook", str(book), "ingest", str(src))
    assert got.code == 0, got.err
    assert "1 record(s) that are not HTML pages at a web address skipped" in got.err
    original = {r.uri: r for r in records.read(warc) if r.type == "response"}
    with Store.open(book, create=False) as s:
        docs = {d.address: d for d in s.documents()}
        captures = table.all_captures(s.conn)
    assert set(docs) == {"https://news.example/live", "https://news.example/second"}
    assert docs["https://news.example/live"].retrieved.isoformat() == "2023-05-06T07:08:09+00:00"
    assert "nine rockets" in docs["https://news.example/live"].text
    for capture in captures:
        # The original record, byte for byte: its id and digests are the other tool's.
        rec = original[capture.url]
        assert capture.response_record == rec.record_id
        assert capture.payload_digest == rec.payload_digest and rec.payload_digest.startswith(
            "sha1:"
        )
        assert capture.document_id == docs[capture.url].id
        kept = [r.type for r in records.read(capture.warc)]
        assert kept == ["response", "request"]
    assert cli("--casebook", str(book), "check").code == 0


def test_a_wacz_round_trips_between_casebooks(cli, casebook_path, copy_path, tmp_path) -> None:
    src = tmp_path / "crawl.warc.gz"
    src.write_bytes(_archive())
    first, second = casebook_path, copy_path
    assert cli("--casebook", str(first), "ingest", str(src)).code == 0
    pack = tmp_path / "a.wacz"
    assert cli("--casebook", str(first), "export", "--format", "wacz", "-o", str(pack)).code == 0
    got = cli("--casebook", str(second), "ingest", str(pack))
    assert got.code == 0, got.err
    with Store.open(first, create=False) as a, Store.open(second, create=False) as b:
        assert [(d.id, d.retrieved) for d in a.documents()] == [
            (d.id, d.retrieved) for d in b.documents()
        ]
        ids = lambda s: sorted(c.response_record for c in table.all_captures(s.conn))  # noqa: E731
        assert ids(a) == ids(b)
    assert cli("--casebook", str(second), "check").code == 0


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _bomb() -> bytes:
    return gzip.compress(b"WARC/1.0\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n" + bytes(3 * 2**20))


HOSTILE = {
    "truncated.warc.gz": lambda: _archive()[:-40],
    "garbage.warc.gz": lambda: b"\x1f\x8b" + bytes(range(256)) * 4,
    "not-a-warc.warc": lambda: b"<html>hello</html>\n" * 10,
    "endless-header.warc": lambda: b"WARC/1.0\r\nX-Long: " + b"a" * 200_000,
    "short-length.warc": lambda: b"WARC/1.0\r\nContent-Length: 2\r\n\r\nhello there\r\n\r\n",
    "bomb.warc.gz": _bomb,
    "traversal.wacz": lambda: _zip({"../../archive/x.warc.gz": _archive()}),
    "no-warc.wacz": lambda: _zip({"datapackage.json": b"{}"}),
    "not-a-zip.wacz": lambda: b"PK\x03\x04 broken",
    "images-only.warc.gz": lambda: write_warc(
        [("https://x.example/a.png", "image/png", bytes(99), WHEN)]
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_archive_is_one_line_and_changes_nothing(
    cli, sample_path, tmp_path, monkeypatch, name
) -> None:
    monkeypatch.setattr(archives, "MAX_TOTAL", 2 * 2**20)  # the bomb holds 3 MB of zeros
    src = tmp_path / name
    src.write_bytes(HOSTILE[name]())
    before = digest(sample_path)
    got = cli("--casebook", str(sample_path), "ingest", str(src))
    assert got.code == 1
    assert got.err.count("\n") == 1 and "Traceback" not in got.err, got.err
    assert name in got.err or str(src) in got.err
    assert digest(sample_path) == before


def test_an_oversized_record_is_skipped_with_a_warning(
    cli, casebook_path, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(archives, "MAX_RECORD", 3000)
    src = tmp_path / "crawl.warc.gz"
    src.write_bytes(_archive())  # the live blog's record is over 3000 bytes, the other under
    book = casebook_path
    got = cli("--casebook", str(book), "ingest", str(src))
    assert got.code == 0, got.err
    assert "1 record(s) over" in got.err
    with Store.open(book, create=False) as s:
        assert [d.address for d in s.documents()] == ["https://news.example/second"]


def test_pages_beyond_the_limit_are_left_out_with_a_warning(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(archives, "MAX_PAGES", 1)
    src = tmp_path / "crawl.warc.gz"
    src.write_bytes(_archive())
    got = archives.read(Path(src))
    assert len(got) == 1 and any("beyond the first 1" in w for w in got[0].warnings)


def test_a_resource_record_of_html_is_a_page_too(cli, casebook_path, tmp_path) -> None:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    rec = writer.create_warc_record(
        "https://news.example/saved",
        "resource",
        payload=io.BytesIO(OTHER),
        length=len(OTHER),
        warc_content_type="text/html; charset=utf-8",
        warc_headers_dict={"WARC-Date": WHEN},
    )
    writer.write_record(rec)
    src = tmp_path / "saved.warc.gz"
    src.write_bytes(buf.getvalue())
    book = casebook_path
    assert cli("--casebook", str(book), "ingest", str(src)).code == 0
    with Store.open(book, create=False) as s:
        (doc,) = s.documents()
    assert doc.address == "https://news.example/saved" and "harbour authority" in doc.text
    assert cli("--casebook", str(book), "check").code == 0


def test_a_fifo_named_like_a_warc_is_refused_before_it_is_read(cli, tmp_path) -> None:
    fifo = tmp_path / "pipe.warc.gz"
    os.mkfifo(fifo)
    got = cli("--casebook", str(tmp_path / "b.casebook"), "ingest", str(fifo))
    assert got.code == 1 and "not a regular file" in got.err


def test_a_page_that_inflates_past_20_mb_is_skipped(cli, tmp_path) -> None:
    bomb = gzip.compress(b"<html><body>" + b" " * (21 * 2**20) + b"</body></html>")
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    http = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], "HTTP/1.1"
    )
    writer.write_record(
        writer.create_warc_record(
            "https://x.example/big",
            "response",
            payload=io.BytesIO(bomb),
            length=len(bomb),
            http_headers=http,
            warc_headers_dict={"WARC-Date": WHEN},
        )
    )
    src = tmp_path / "big.warc.gz"
    src.write_bytes(buf.getvalue() + _archive())
    got = cli("--casebook", str(tmp_path / "b.casebook"), "ingest", str(src))
    assert got.code == 0, got.err
    assert "https://x.example/big: larger than 20 MB once decoded, skipped" in got.err


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8))
def test_a_damaged_warc_is_read_or_refused_never_a_crash(tmp_path, flips) -> None:
    data = bytearray(_archive(gz=False))
    for at, value in flips:
        data[at % len(data)] = value
    src = tmp_path / "damaged.warc"
    src.write_bytes(bytes(data))
    try:
        got = archives.read(src)
    except VerifyError:
        return
    assert all(a.capture is not None for a in got)
