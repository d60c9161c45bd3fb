"""A photo attach killed at any moment: the archived bytes and their media index row land
together or not at all, and every acknowledged attach is found again."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

WRITER = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from tests.media_kit import jpeg, picture
from verify import actions, evidence
from verify.models import EvidenceKind, utcnow
from verify.store import Store

store = Store.open(sys.argv[1])
i = int(sys.argv[2])
claim = store.add_claim(actions.new_claim(f"claim {i}", at=utcnow()))
folder = Path(sys.argv[1]).parent
while True:
    photo = folder / f"p{i}.jpg"
    photo.write_bytes(jpeg(picture(i, (240, 180))))
    draft = evidence.EvidenceDraft(EvidenceKind.file, path=str(photo))
    _, item = evidence.attach(store, claim.id, draft)
    print(i, item.id, flush=True)  # acknowledged
    i += 1
"""


def _run_and_kill(path: Path, start: int, rng: random.Random) -> list[tuple[int, str]]:
    root = str(Path(__file__).resolve().parent.parent)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(start), root],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    acked: list[tuple[int, str]] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            n, item = line.split()
            acked.append((int(n), item))

    reader = threading.Thread(target=read)
    reader.start()
    deadline = time.monotonic() + 120
    while not acked and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(rng.uniform(0.0, 0.4))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join()
    return acked


@pytest.mark.slow
def test_sigkill_mid_attach_keeps_bytes_and_index_together(tmp_path: Path) -> None:
    from tests.media_kit import jpeg, picture
    from verify.integrity import check
    from verify.media import index, probe
    from verify.store import Store

    path = tmp_path / "crash.casebook"
    Store.open(path).close()
    rng = random.Random(8)
    acked: list[tuple[int, str]] = []
    for round_ in range(3):
        acked += _run_and_kill(path, 1000 * (round_ + 1), rng)
    assert acked, "the writer never acknowledged an attach"
    with Store.open(path, create=False) as store:
        assert not [f.message for f in check(store) if f.severity == "damage"]
        media_docs = {r[0] for r in store.conn.execute("SELECT document_id FROM media")}
        all_docs = {r[0] for r in store.conn.execute("SELECT id FROM documents")}
        assert media_docs == all_docs  # never bytes without their row, nor a row without bytes
        for n, item_id in acked:
            info = probe.probe(jpeg(picture(n, (240, 180))), "p.jpg")
            assert info is not None
            assert item_id in [s.evidence_id for s in index.seen(store.conn, info)], n
