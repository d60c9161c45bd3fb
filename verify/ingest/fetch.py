"""Fetching a URL for archiving: http(s) only at every hop, a size cap, a total deadline."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlparse

from verify.errors import VerifyError

MAX_BYTES = 20 * 1024 * 1024
TIMEOUT_S = 30.0
"""The whole fetch (connect, redirects, every byte) must finish within this."""
MAX_REDIRECTS = 5
USER_AGENT = "verify/0.1 (fact-checking workbench; archiving a source)"
_CHUNK = 64 * 1024


Headers = list[tuple[str, str]]


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and the response to it, as sent and received (for the WARC records)."""

    url: str
    request_headers: Headers
    status: int
    reason: str
    headers: Headers
    body: bytes


@dataclass(frozen=True)
class Fetched:
    url: str
    """The address after redirects."""
    raw: bytes
    media_type: str
    charset: str | None
    exchanges: list[Exchange] = field(default_factory=list)
    """Every hop, redirects first and the final response last (its body is `raw`)."""


def _web(url: str) -> bool:
    parts = urlparse(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


_REDIRECT_BODY = 64 * 1024
"""How much of a redirect's own body is kept in its record (it is rarely more than a line)."""


def _request_headers(url: str) -> Headers:
    """The headers urllib sends for a plain GET (http.client adds Host and Accept-Encoding)."""
    return [
        ("Host", urlparse(url).netloc),
        ("User-Agent", USER_AGENT),
        ("Accept-Encoding", "identity"),
        ("Connection", "close"),
    ]


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Every redirect target is checked before it is followed, not after it was fetched."""

    max_redirections = MAX_REDIRECTS

    def __init__(self) -> None:
        super().__init__()
        self.hops: list[Exchange] = []

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str):
        target = urljoin(req.full_url, newurl)
        if not _web(target):
            raise VerifyError(f"{req.full_url[:200]} redirected to a non-http address")
        return super().redirect_request(req, fp, code, msg, headers, target)

    def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any):
        hops = getattr(req, "redirect_dict", {})
        if sum(hops.values()) >= MAX_REDIRECTS:
            raise VerifyError(f"{req.full_url[:200]}: more than {MAX_REDIRECTS} redirects")
        body = fp.read(_REDIRECT_BODY) if fp is not None else b""
        self.hops.append(
            Exchange(
                req.full_url, _request_headers(req.full_url), code, msg, list(headers.items()), body
            )
        )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def fetch(url: str, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_S) -> Fetched:
    """The bytes at `url`; refused past `timeout` seconds in total, however slowly a server
    drips (a per-read timeout alone lets one byte every few seconds hold it for ever)."""
    if not _web(url):
        raise VerifyError(f"only http(s) addresses can be fetched: {url[:200]}")
    result: list[Fetched | BaseException] = []
    deadline = time.monotonic() + timeout

    def run() -> None:
        try:
            result.append(_fetch(url, max_bytes, timeout, deadline))
        except BaseException as exc:  # handed to the caller's thread
            result.append(exc)

    # The worker is abandoned at the deadline; its socket times out on its own soon after.
    worker = threading.Thread(target=run, name="verify-fetch", daemon=True)
    worker.start()
    worker.join(timeout)
    if not result:
        raise VerifyError(f"{url[:200]} did not finish within {timeout:g} s")
    got = result[0]
    if isinstance(got, BaseException):
        raise got
    return got


def _fetch(url: str, max_bytes: int, timeout: float, deadline: float) -> Fetched:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    # One opener per fetch: its redirect handler keeps this fetch's hops.
    redirects = _CheckedRedirects()
    opener = urllib.request.build_opener(redirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            final = response.geturl()
            chunks: list[bytes] = []
            size = 0
            while size <= max_bytes and time.monotonic() < deadline:
                chunk = response.read1(_CHUNK) if hasattr(response, "read1") else b""
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            raw = b"".join(chunks)
            media_type = response.headers.get_content_type() or "application/octet-stream"
            charset = response.headers.get_content_charset()
            final_exchange = Exchange(
                final,
                _request_headers(final),
                int(getattr(response, "status", 200)),
                str(getattr(response, "reason", "")),
                list(response.headers.items()),
                raw,
            )
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            raise VerifyError(f"{url[:200]}: redirects loop or exceed {MAX_REDIRECTS}") from None
        reason = " ".join(str(exc.reason).split())[:200]
        raise VerifyError(f"{url[:200]} answered HTTP {exc.code} {reason}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, VerifyError):
            raise exc.reason from None
        raise VerifyError(f"cannot reach {url[:200]}: {exc.reason}") from None
    except TimeoutError:
        raise VerifyError(f"{url[:200]} did not finish within {timeout:g} s") from None
    except (OSError, ValueError) as exc:
        raise VerifyError(f"cannot fetch {url[:200]}: {exc}") from None
    if len(raw) > max_bytes:
        raise VerifyError(f"{url[:200]} is larger than {max_bytes // 2**20} MB")
    return Fetched(final, raw, media_type, charset, [*redirects.hops, final_exchange])
