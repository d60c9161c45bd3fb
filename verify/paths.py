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


def casebook_path(explicit: str | None) -> tuple[Path, bool]:
    """The casebook to use and whether it is the default one (which may be created quietly)."""
    value = explicit or os.environ.get("VERIFY_CASEBOOK")
    if not value:
        return default_casebook(), True
    address = _ADDRESS.match(value)
    if address:
        # Only the scheme is echoed: the rest of an address may hold a password.
        raise VerifyError(
            f"{address.group(0)}... is a server address; a casebook is a file path "
            "(SQLite casebooks only)"
        )
    return Path(value), False


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
