"""Fetching from hostile servers on 127.0.0.1: a total deadline, checked redirects, charsets."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from verify.errors import VerifyError
from verify.ingest import documents
from verify.ingest.fetch import fetch

Route = Callable[[BaseHTTPRequestHandler], None]


@pytest.fixture
def serve() -> Iterator[Callable[[Route], str]]:
    servers: list[ThreadingHTTPServer] = []

    def start(route: Route) -> str:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    route(self)

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _page(body: bytes, content_type: str) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return route


def test_a_dripping_server_meets_the_total_deadline(serve) -> None:
    def drip(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.send_header("Content-Length", "60")
        h.end_headers()
        for _ in range(60):  # each byte well inside any per-read timeout
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(0.25)

    url = serve(drip)
    with pytest.raises(VerifyError, match="did not finish within 1 s"):
        fetch(url, timeout=1.0)


def test_a_redirect_to_ftp_is_refused_before_it_is_followed(serve) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]

    def redirect(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", f"ftp://127.0.0.1:{port}/secret")
        h.send_header("Content-Length", "0")
        h.end_headers()

    with pytest.raises(VerifyError, match="non-http"):
        fetch(serve(redirect), timeout=5)
    with pytest.raises(TimeoutError):
        listener.accept()  # nobody came: the ftp address was never contacted
    listener.close()


def test_redirects_stop_after_five_hops(serve) -> None:
    def loop(h: BaseHTTPRequestHandler) -> None:
        n = int(h.path.strip("/") or 0)
        h.send_response(302)
        h.send_header("Location", f"/{n + 1}")
        h.send_header("Content-Length", "0")
        h.end_headers()

    with pytest.raises(VerifyError, match="redirect"):
        fetch(serve(loop), timeout=5)


RUSSIAN = "Губернатор заявил, что погибли 25 человек."
PAGE = (
    "<html><head>{meta}<title>t</title></head>"
    "<body><article><p>{text}</p><p>{text}</p></article></body></html>"
)


@pytest.mark.parametrize(
    ("encoding", "text", "header", "meta"),
    [
        ("cp1251", RUSSIAN, "text/html; charset=windows-1251", ""),
        ("koi8-r", RUSSIAN, "text/html; charset=koi8-r", ""),
        (
            "latin-1",
            "Le préfet a déclaré que 25 personnes étaient mortes.",
            "text/html; charset=iso-8859-1",
            "",
        ),
        ("cp1251", RUSSIAN, "text/html", '<meta charset="windows-1251">'),
        (
            "koi8-r",
            RUSSIAN,
            "text/html",
            '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">',
        ),
        ("utf-16", RUSSIAN, "text/html", ""),
        ("cp1251", RUSSIAN, "text/plain; charset=windows-1251", None),
        ("utf-16", RUSSIAN, "text/plain", None),
    ],
)
def test_the_declared_charset_is_honoured(serve, encoding, text, header, meta) -> None:
    body = text if meta is None else PAGE.format(meta=meta, text=text)
    url = serve(_page(body.encode(encoding), header))
    raw, address, media = documents.read_source(url, timeout=5)
    archived = documents.archive(raw, address, media, retrieved=datetime.now(UTC))
    assert text in archived.document.text
    assert "\ufffd" not in archived.document.text and not archived.warnings
