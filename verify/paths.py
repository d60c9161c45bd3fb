"""Where casebooks and the resume state live; nothing is created at import time."""

from __future__ import annotations

import os
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


def casebook_path(explicit: str | None) -> tuple[Path, bool]:
    """The casebook to use and whether it is the default one (which may be created quietly)."""
    if explicit:
        return Path(explicit), False
    env = os.environ.get("VERIFY_CASEBOOK")
    if env:
        return Path(env), False
    return default_casebook(), True


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
