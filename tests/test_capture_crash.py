"""A writer killed with SIGKILL while keeping pages and their captures: every acknowledged
page has its capture, no capture is left without its document, and the casebook checks."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from verify.capture import table
from verify.integrity import check
from verify.store import Store

WRITER = r"""
import sys
from verify.capture import records, table
from verify.ingest import documents
from verify.ingest.fetch import Exchange, Fetched

from verify.store import Store

store = Store.open(sys.argv[1])
headers = [("Content-Type", "text/html")]
i = int(sys.argv[2])
while True:
    url = f"http://127.0.0.1/page-{i}"
    text = f"Page {i} says that {i} people were counted in the town."
    body = f"<html><body><article><p>{text}</p></article></body></html>".encode()
    got = Fetched(url, body, "text/html", None, [Exchange(url, [], 200, "OK", headers, body)])
    at = store.clock()
    archived = documents.archive(body, url, "text/html", retrieved=at)
    archived.capture = records.from_fetch(got, at, archived.document.id)
    table.store_archived(store, archived)
    print(archived.document.id, flush=True)  # acknowledged: the transaction has returned
    i += 1
"""


def _run_and_kill(path: Path, start: int, rng: random.Random) -> list[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    acked: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        acked.extend(line.strip() for line in proc.stdout)

    reader = threading.Thread(target=read)
    reader.start()
    deadline = time.monotonic() + 120
    while not acked and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(rng.uniform(0.0, 0.3))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join()
    return acked


def test_sigkill_while_keeping_captures_loses_nothing_and_splits_nothing(tmp_path) -> None:
    path = tmp_path / "crash.casebook"
    Store.open(path).close()
    rng = random.Random(4321)
    acked: list[str] = []
    for round_ in range(3):
        got = _run_and_kill(path, round_ * 100_000, rng)
        assert got, "the writer acknowledged nothing before it was killed"
        acked += got
        with Store.open(path, create=False) as s:
            docs = {d.id for d in s.documents()}
            captured = {c.document_id for c in table.all_captures(s.conn)}
            assert set(acked) <= docs
            assert captured == docs  # each page with its capture, never one without the other
            assert [f for f in check(s) if f.severity == "damage"] == []
