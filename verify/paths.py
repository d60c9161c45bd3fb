"""Where casebooks and the resume state live; nothing is created at import time."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "verify"


def default_casebook() -> Path:
    return platformdirs.user_data_path(APP) / "default.casebook"


def casebook_path(explicit: str | None) -> tuple[Path, bool]:
    """The casebook to use and whether it is the default one (which may be created quietly)."""
    if explicit:
        return Path(explicit), False
    env = os.environ.get("VERIFY_CASEBOOK")
    if env:
        return Path(env), False
    return default_casebook(), True


def state_file() -> Path:
    return platformdirs.user_state_path(APP) / "state.json"


def demo_dir() -> Path:
    return platformdirs.user_data_path(APP) / "demo"
