"""Shared by the capture tests: a page server on 127.0.0.1 and WARCs written by the tests."""

from __future__ import annotations

import contextlib
import gzip
import html
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

LIVEBLOG = Path(__file__).resolve().parent / "fixtures" / "liveblog.txt"


def liveblog_html() -> bytes:
    """The test live blog as an HTML page (a news article of invented places and people)."""
    paragraphs = [p.strip() for p in LIVEBLOG.read_text("utf-8").split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Live blog</title></head>"
        f"<body><article><h1>Live blog</h1>{body}</article></body></html>"
    ).encode()


Pages = dict[str, tuple[int, list[tuple[str, str]], bytes]]


@contextlib.contextmanager
def serving(pages: Pages) -> Iterator[str]:
    """Serve `pages` (path -> status, headers, body) on 127.0.0.1; yields the base address."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = pages.get(self.path, (404, [], b"not here"))
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def write_warc(records: list[tuple[str, str, bytes, str]], *, gz: bool = True) -> bytes:
    """A WARC of (url, content type, body, WARC-Date) responses, each with a request record,
    written the way other archiving tools write them (warcio, sha1 digests)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, ctype, body, date in records:
        http = StatusAndHeaders(
            "200 OK",
            [("Content-Type", ctype), ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )
        resp = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": date},
        )
        req = writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"GET {url.split('/', 3)[-1] or '/'} HTTP/1.1", [], is_http_request=True
            ),
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": resp.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        writer.write_record(resp)
        writer.write_record(req)
    return buf.getvalue()


def members(warc: bytes) -> list[bytes]:
    """The records of a gzipped WARC, decompressed (the tests' pages never say "WARC/1.")."""
    text = gzip.decompress(warc)
    starts = [i for i in range(len(text)) if text.startswith(b"WARC/1.", i)]
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
