"""A writer killed with SIGKILL loses no acknowledged write and leaves a sound casebook."""

from __future__ import annotations

import random
from pathlib import Path

from tests.crashkit import run_and_kill, verify_acked
from verify.store import Store


def test_sigkill_mid_write_loses_nothing_acknowledged(tmp_path: Path) -> None:
    path = tmp_path / "crash.casebook"
    Store.open(path).close()
    rng = random.Random(1234)
    all_acked: list[int] = []
    start = 0
    for _ in range(5):
        acked = run_and_kill(path, start, rng)
        assert acked, "the writer acknowledged nothing before it was killed"
        all_acked += acked
        start = acked[-1] + 1000  # the killed write may or may not have landed; skip past it
        assert verify_acked(path, all_acked) == []
