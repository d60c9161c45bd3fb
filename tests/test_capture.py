"""Every fetched page kept as WARC records in the casebook, and `verify check` re-checking them."""

from __future__ import annotations

import gzip
import hashlib
import io
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from tests.capture_helpers import liveblog_html, members, serving
from tests.cli_helpers import tamper
from verify.capture import records, table
from verify.store import Store

BOTH_BACKENDS = True
"""The casebook tests run on an SQLite file and on a PostgreSQL database (see conftest)."""


def _captures(path: Path) -> list[records.Capture]:
    with Store.open(path, create=False) as s:
        return table.all_captures(s.conn)


def test_an_ingested_url_keeps_request_response_and_metadata_records(cli, casebook_path) -> None:
    book = casebook_path
    page = liveblog_html()
    pages = {
        "/old": (301, [("Location", "/story")], b""),
        "/story": (200, [("Content-Type", "text/html; charset=utf-8")], page),
    }
    with serving(pages) as base:
        result = cli("--casebook", str(book), "ingest", f"{base}/old", "--json")
    assert result.code == 0, result.err
    (capture,) = _captures(book)
    with Store.open(book, create=False) as s:
        doc = s.get_document(capture.document_id)
        claims = list(s.iter_claims())
    # The document is the response's payload, dated by the capture, and linked to its record.
    assert doc.id == hashlib.sha256(page).hexdigest() == capture.payload_sha256
    assert capture.captured == doc.retrieved
    assert capture.url == f"{base}/story" == doc.address
    found = list(records.read(capture.warc))
    kinds = [(r.type, r.uri.rsplit("/", 1)[-1]) for r in found]
    assert kinds == [
        ("response", "old"),
        ("request", "old"),
        ("response", "story"),
        ("request", "story"),
        ("metadata", "story"),
    ]
    response = next(r for r in found if r.record_id == capture.response_record)
    assert response.status == "200" and response.payload_sha256 == doc.id
    assert capture.payload_digest.startswith("sha256:") and response.payload_digest
    assert all(not r.problems for r in found)
    assert records.parse_date(response.date) == doc.retrieved
    assert claims and all(
        doc.text[a.origin.position.start : a.origin.position.end] == a.origin.quote.exact
        for c in claims
        for a in c.accounts
        if a.origin and a.origin.position
    )
    assert cli("--casebook", str(book), "check").code == 0


def test_url_evidence_is_captured_with_its_document(cli, casebook_path) -> None:
    book = casebook_path
    page = liveblog_html()
    with serving({"/p": (200, [("Content-Type", "text/html")], page)}) as base:
        assert cli("--casebook", str(book), "ingest", f"{base}/p").code == 0
        with Store.open(book, create=False) as s:
            claim_id = next(s.iter_claims()).id
        other = page.replace(b"Live blog</h1>", b"Live blog, later</h1>")
        with serving({"/q": (200, [("Content-Type", "text/html")], other)}) as base2:
            got = cli("--casebook", str(book), "evidence", "add", claim_id, "--url", f"{base2}/q")
    assert got.code == 0, got.err
    captures = _captures(book)
    assert len(captures) == 2
    assert hashlib.sha256(other).hexdigest() in {c.document_id for c in captures}


def _tamper_warc(book: Path, change) -> records.Capture:
    (capture,) = _captures(book)
    parts = [change(m) for m in members(capture.warc)]
    warc = b"".join(gzip.compress(p) for p in parts)
    tamper(book, "UPDATE captures SET warc = ? WHERE id = ?", (warc, capture.id))
    return capture


def _ingested(cli, book: Path) -> Path:
    with serving({"/p": (200, [("Content-Type", "text/html")], liveblog_html())}) as base:
        assert cli("--casebook", str(book), "ingest", f"{base}/p").code == 0
    return book


def test_check_names_the_record_whose_payload_was_changed(cli, casebook_path) -> None:
    book = _ingested(cli, casebook_path)
    # Same length, one word changed inside the stored page: what a forger would do.
    capture = _tamper_warc(book, lambda m: m.replace(b"nine rockets", b"five rockets"))
    got = cli("--casebook", str(book), "check")
    assert got.code == 1
    assert f"record {capture.response_record}" in got.out
    assert "digest" in got.out and "WARC bytes do not match their sha256" in got.out


def test_check_names_a_capture_whose_row_was_rewritten(cli, casebook_path) -> None:
    book = _ingested(cli, casebook_path)
    tamper(book, "UPDATE captures SET body = replace(body, '\"fetched\"', '\"imported\"')")
    (capture,) = _captures(book)
    got = cli("--casebook", str(book), "check")
    assert got.code == 1 and f"capture {capture.id[:12]}" in got.out


def test_the_report_lists_each_capture_so_a_reader_can_recheck_it(
    cli, casebook_path, tmp_path
) -> None:
    book = _ingested(cli, casebook_path)
    (capture,) = _captures(book)
    with Store.open(book, create=False) as s:
        claim = next(s.iter_claims())
    got = cli("--casebook", str(book), "export", "--claim", claim.id)
    assert got.code == 0
    row = next(line for line in got.out.splitlines() if capture.payload_sha256 in line)
    assert capture.response_record.strip("<>") in row
    assert capture.captured.strftime("%Y-%m-%d %H:%M:%S") in row
    assert "127.0.0.1" in row
    # Doing what the report says, with nothing but the WACZ and a WARC reader:
    pack = tmp_path / "claim.wacz"
    assert (
        cli(
            "--casebook",
            str(book),
            "export",
            "--format",
            "wacz",
            "--claim",
            claim.id,
            "-o",
            str(pack),
        ).code
        == 0
    )
    with zipfile.ZipFile(pack) as zf:
        warc = zf.read("archive/data.warc.gz")
    for rec in ArchiveIterator(io.BytesIO(warc)):
        if rec.rec_headers.get_header("WARC-Record-ID").strip("<>") in row:
            assert hashlib.sha256(rec.raw_stream.read()).hexdigest() in row
            break
    else:
        raise AssertionError("the listed record is not in the WACZ")


def test_a_chunked_page_with_odd_headers_is_kept_consistent(cli, casebook_path) -> None:
    page = liveblog_html()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self._headers_buffer.append("X-Note: café — ok\r\n".encode())  # UTF-8, not ASCII
            self.send_header("Connection", "close")
            self.end_headers()
            for i in range(0, len(page), 500):
                part = page[i : i + 500]
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    book = casebook_path
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/c"
        got = cli("--casebook", str(book), "ingest", url)
    finally:
        server.shutdown()
        server.server_close()
    assert got.code == 0, got.err
    (capture,) = _captures(book)
    assert capture.document_id == hashlib.sha256(page).hexdigest()
    response = next(m for m in members(capture.warc) if b"WARC-Type: response" in m)
    assert b"X-Archive-Orig-Transfer-Encoding: chunked" in response
    assert f"Content-Length: {len(page)}\r\n".encode() in response
    assert cli("--casebook", str(book), "check").code == 0
