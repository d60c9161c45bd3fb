"""The sample casebook that ships with verify, and fresh copies of it for `verify demo`."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from verify import paths, portable
from verify.store import Store

KEEP_DEMOS = 5


def sample_document() -> dict[str, object]:
    text = resources.files("verify").joinpath("data/sample.casebook.json").read_text("utf-8")
    data: dict[str, object] = json.loads(text)
    return data


def fresh_demo_casebook(folder: Path | None = None) -> Path:
    """A new casebook loaded from the sample; never one that already holds someone's work."""
    folder = folder or paths.demo_dir()
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("demo-*.casebook"), key=lambda p: p.stat().st_mtime)
    # Demos are for trying things out: keep the last few, not every one ever opened.
    for old in existing[:-KEEP_DEMOS]:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{old}{suffix}").unlink(missing_ok=True)
    n = 1
    while (path := folder / f"demo-{n}.casebook").exists():
        n += 1
    with Store.open(path) as store:
        portable.import_casebook(store, sample_document())
    return path
