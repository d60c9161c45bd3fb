"""What the TUI restores on the next start: per casebook, the claim, filter and scroll."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class CasebookState:
    claim_id: str | None = None
    filter: str = ""
    scroll_y: int = 0


@dataclass
class UiState:
    theme: str = "textual-dark"
    last_casebook: str | None = None
    casebooks: dict[str, CasebookState] = field(default_factory=dict)

    def for_casebook(self, path: Path) -> CasebookState:
        return self.casebooks.setdefault(str(path.resolve()), CasebookState())


def load(path: Path) -> UiState:
    """The saved state, or a fresh one if there is none or it cannot be read."""
    try:
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
        books = {
            k: CasebookState(
                claim_id=v.get("claim_id") if isinstance(v.get("claim_id"), str) else None,
                filter=str(v.get("filter", "")),
                scroll_y=int(v.get("scroll_y", 0)),
            )
            for k, v in data.get("casebooks", {}).items()
            if isinstance(v, dict)
        }
        return UiState(
            theme=str(data.get("theme", "textual-dark")),
            last_casebook=data.get("last_casebook"),
            casebooks=books,
        )
    except (OSError, ValueError, TypeError, AttributeError, RecursionError):
        # A missing or damaged state file only costs the resume position.
        return UiState()


def save(path: Path, state: UiState) -> None:
    """Write atomically: a crash mid-write leaves the previous state, never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".state.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(state), fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
