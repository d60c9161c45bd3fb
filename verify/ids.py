"""Short, stable ids that are safe in a file name and a URL."""

from __future__ import annotations

import hashlib
import secrets

ID_PATTERN = r"^[a-z][a-z0-9-]{1,47}$"
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: ids get read aloud and retyped


def new_id(prefix: str) -> str:
    """A fresh random id such as `c-7hq3kxw2`."""
    return f"{prefix}-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def stable_id(prefix: str, *parts: str) -> str:
    """An id derived from content, so the same input always gets the same id."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    n = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(8):
        n, r = divmod(n, len(_ALPHABET))
        chars.append(_ALPHABET[r])
    return f"{prefix}-" + "".join(chars)
