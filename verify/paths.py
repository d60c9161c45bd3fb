"""Where casebooks and the resume state live; nothing is created at import time."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

from verify.errors import VerifyError

APP = "verify"


def _platformdirs() -> Any:
    # Imported when a default folder is needed: a command given its casebook never needs one.
    import platformdirs

    return platformdirs


def default_casebook() -> Path:
    return _platformdirs().user_data_path(APP) / "default.casebook"


# "scheme://..." is an address, never a file name: taken as a path it would quietly create a
# SQLite file in a folder named after the scheme.
_ADDRESS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
SERVER_SCHEMES = ("postgresql://", "postgres://")
"""Addresses of a casebook in a PostgreSQL database."""


def casebook_location(explicit: str | None) -> tuple[Path | str, bool]:
    """The casebook to use (a file path, or a PostgreSQL address as given) and whether it
    is the default one (which may be created quietly)."""
    value = explicit or os.environ.get("VERIFY_CASEBOOK")
    if not value:
        return default_casebook(), True
    address = _ADDRESS.match(value)
    if address:
        if value.startswith(SERVER_SCHEMES):
            return value, False
        # Only the scheme is echoed: the rest of an address may hold a password.
        raise VerifyError(
            f"{address.group(0)}... is not a casebook address; a casebook is a file path "
            "or a postgresql:// address"
        )
    return Path(value), False


def casebook_path(explicit: str | None) -> tuple[Path, bool]:
    """The casebook file to use, for what only a file can do (restore it, open the TUI)."""
    where, is_default = casebook_location(explicit)
    if isinstance(where, str):
        raise VerifyError(
            "postgresql://... is a server address; this needs a casebook file "
            "(`verify backup` writes one from a server casebook)"
        )
    return where, is_default


def state_file() -> Path:
    return _platformdirs().user_state_path(APP) / "state.json"


def demo_dir() -> Path:
    return _platformdirs().user_data_path(APP) / "demo"


def refuse_special(path: Path, what: str = "casebook") -> None:
    """Refuse a FIFO, socket or device with one line: opening one would block or misbehave."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise VerifyError(f"{path} is not a regular file; a {what} must be one")
