"""Fetching a URL for archiving: http(s) only, a size cap, a timeout, clear errors."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlparse

from verify.errors import VerifyError

MAX_BYTES = 20 * 1024 * 1024
TIMEOUT_S = 20.0
USER_AGENT = "verify/0.1 (fact-checking workbench; archiving a source)"


@dataclass(frozen=True)
class Fetched:
    url: str
    """The address after redirects."""
    raw: bytes
    media_type: str
    charset: str | None


def fetch(url: str, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_S) -> Fetched:
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise VerifyError(f"only http(s) addresses can be fetched: {url[:200]}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            final = response.geturl()
            if urlparse(final).scheme not in ("http", "https"):
                raise VerifyError(f"{url[:200]} redirected to a non-http address")
            raw = response.read(max_bytes + 1)
            media_type = response.headers.get_content_type() or "application/octet-stream"
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        raise VerifyError(f"{url[:200]} answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise VerifyError(f"cannot reach {url[:200]}: {exc.reason}") from None
    except TimeoutError:
        raise VerifyError(f"{url[:200]} did not answer within {timeout:.0f} s") from None
    except (OSError, ValueError) as exc:
        raise VerifyError(f"cannot fetch {url[:200]}: {exc}") from None
    if len(raw) > max_bytes:
        raise VerifyError(f"{url[:200]} is larger than {max_bytes // 2**20} MB")
    return Fetched(final, raw, media_type, charset)
