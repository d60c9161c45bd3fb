"""Ingest writes in one short transaction, after encoding each text once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import FakeClock
from verify import embed, match
from verify.errors import VerifyError
from verify.ingest import documents, pipeline
from verify.match import vectors as match_vectors
from verify.models import Claim
from verify.store import Store

BOTH_BACKENDS = True
"""Each test runs on an SQLite file and on a PostgreSQL database (see conftest)."""

BLOG = Path(__file__).parent / "fixtures" / "river-port-blog.txt"


def _archived(path: Path, text: str | None = None) -> documents.Archived:
    raw = (text if text is not None else path.read_text("utf-8")).encode()
    return documents.archive(raw, str(path), "text/plain", retrieved=FakeClock()())


@pytest.fixture
def encoder_calls(monkeypatch: pytest.MonkeyPatch, store: Store) -> list[tuple[str, bool]]:
    """Every text the encoder reads, and whether a write transaction was open meanwhile."""
    calls: list[tuple[str, bool]] = []
    real = embed.Encoder.layer_means

    def counting(self: embed.Encoder, texts: list[str]) -> np.ndarray:
        calls.extend((t, store.conn.in_transaction) for t in texts)
        return real(self, texts)

    monkeypatch.setattr(embed.Encoder, "layer_means", counting)
    return calls


def test_ingest_encodes_each_text_once_and_never_while_writing(store, encoder_calls) -> None:
    result = pipeline.ingest(store, _archived(BLOG))
    assert len(result.claims) >= 10
    texts = [t for t, _ in encoder_calls]
    repeated = {t for t in texts if texts.count(t) > 1}
    assert not repeated, f"encoded more than once: {sorted(repeated)[:3]}"
    assert not any(in_tx for _, in_tx in encoder_calls), "encoded inside the write transaction"
    # Every new claim has its vector, and it is the vector of its text.
    for claim_id in result.claims:
        claim = store.get_claim(claim_id)
        (digest,) = store.conn.execute(
            "SELECT digest FROM match_vectors WHERE claim_id = ?", (claim_id,)
        ).fetchone()
        assert digest == match_vectors._digest(claim.text)


def test_looking_up_a_stored_claim_uses_its_stored_vector(store, encoder_calls) -> None:
    result = pipeline.ingest(store, _archived(BLOG))
    encoder_calls.clear()
    for claim_id in result.claims:
        claim = store.get_claim(claim_id)
        store.similar(claim.text, top=3, exclude=claim.id)  # the TUI's "already checked?"
    assert encoder_calls == []
    # A text that is not the claim's own (edited since) is encoded, not mistaken for it.
    store.similar("A different sentence about the dam.", top=3, exclude=result.claims[0])
    assert [t for t, _ in encoder_calls] == ["A different sentence about the dam."]


def test_looking_up_happens_before_the_transaction(store, monkeypatch) -> None:
    searched_in_tx: list[bool] = []
    real = match.search

    def recording(conn, text, top=5, exclude=None):  # type: ignore[no-untyped-def]
        searched_in_tx.append(conn.in_transaction)
        return real(conn, text, top=top, exclude=exclude)

    monkeypatch.setattr(match, "search", recording)
    pipeline.ingest(store, _archived(BLOG))
    assert searched_in_tx and not any(searched_in_tx)


def test_repeated_wording_in_one_document_joins_one_claim(store) -> None:
    line = "Governor Anna Berg said that 31 people had died in the flooding of the old harbour."
    other = "The harbour master said that 31 people had died in the flooding of the old harbour."
    text = f"{line}\n\nSome filler text follows here today.\n\n{other}\n"
    result = pipeline.ingest(store, _archived(Path("same.txt"), text))
    assert len(result.claims) == 1
    (claim,) = [store.get_claim(c) for c in result.claims]
    assert len(claim.accounts) == 2


def test_a_claim_written_meanwhile_by_another_process_is_seen(store, monkeypatch) -> None:
    """The look-ups are repeated inside the transaction when claims changed since."""
    first = pipeline.ingest(store, _archived(BLOG))
    other = Store.open(store.location, clock=FakeClock())
    real = pipeline._look_up
    calls: list[int] = []

    def racing(s: Store, plans: list) -> None:  # type: ignore[type-arg]
        calls.append(1)
        if len(calls) == 1:
            # Between the look-ups and the transaction, another process edits a claim.
            with other.transaction():
                other.tx_update_claim(
                    other.get_claim(first.claims[0]).model_copy(update={"tags": ["x"]}), "tag"
                )
        real(s, plans)

    monkeypatch.setattr(pipeline, "_look_up", racing)
    again = BLOG.read_text("utf-8") + "\n"  # other bytes, same statements
    result = pipeline.ingest(store, _archived(Path("again.txt"), again))
    other.close()
    assert len(calls) == 2  # looked again inside the transaction
    assert result.claims == [] and result.duplicates >= 10


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes")
def test_verdicts_never_fail_beside_a_long_ingest(tmp_path: Path) -> None:
    """Real processes: one ingests a long text while another sets verdicts, one by one."""
    casebook = tmp_path / "busy.casebook"
    env = {**os.environ, "VERIFY_CASEBOOK": str(casebook)}
    verify = [sys.executable, "-m", "verify"]
    seed = tmp_path / "seed.txt"
    seed.write_text(
        "Officials said that 3 people had died when the old mill on Bridge Street collapsed.\n"
    )
    subprocess.run([*verify, "ingest", str(seed)], env=env, check=True, capture_output=True)
    with Store.open(casebook) as s:
        (claim_id,) = [c.id for c in s.summaries()]
    # A long text of distinct statements (every one is encoded, looked up and written).
    blog = BLOG.read_text("utf-8")
    long_text = "\n\n".join(
        blog.replace("14 people", f"{n} people").replace("Monday", f"day {n}") for n in range(12)
    )
    source = tmp_path / "long.txt"
    source.write_text(long_text)
    ingest = subprocess.Popen(
        [*verify, "ingest", str(source)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    failures: list[str] = []
    verdicts = 0
    while ingest.poll() is None:
        label = ("true", "false")[verdicts % 2]
        done = subprocess.run(
            [*verify, "verdict", claim_id, label], env=env, capture_output=True, text=True
        )
        verdicts += 1
        if done.returncode != 0:
            failures.append(done.stderr.strip())
        time.sleep(0.05)
    _out, errors = ingest.communicate()
    assert ingest.returncode == 0, errors.decode()
    assert verdicts >= 2, "the ingest ended before any verdict ran beside it"
    assert failures == []


def test_a_source_that_cannot_be_saved_is_named_and_the_others_kept(
    cli, tmp_path: Path, monkeypatch
) -> None:
    casebook = tmp_path / "multi.casebook"
    a, b, c = (tmp_path / f"{n}.txt" for n in "abc")
    a.write_text("Officials said that 3 people had died when the old mill collapsed on Friday.\n")
    b.write_text("The fire service said 12 homes had burned down in the village on Saturday.\n")
    c.write_text("Police said 40 people had been detained for looting in the town overnight.\n")
    real = pipeline.ingest

    def failing_on_b(store: Store, archived: documents.Archived) -> pipeline.IngestResult:
        if archived.document.address.endswith("b.txt"):
            raise VerifyError("could not save to the casebook: database or disk is full")
        return real(store, archived)

    monkeypatch.setattr(pipeline, "ingest", failing_on_b)
    res = cli("ingest", str(a), str(b), str(c), "--casebook", str(casebook))
    assert res.code == 1
    assert "b.txt: could not save to the casebook" in res.err
    assert "nothing from it was saved" in res.err
    assert "saved 2 of 3 sources (a.txt, c.txt); not saved: b.txt" in res.err
    assert "2 document(s)" in res.out
    with Store.open(casebook) as s:
        addresses = sorted(d.address for d in s.documents())
    assert addresses == ["a.txt", "c.txt"]
    as_json = cli("ingest", str(b), "--json", "--casebook", str(casebook))
    assert as_json.code == 1
    assert as_json.json_lines() == [
        {
            "document": as_json.json_lines()[0]["document"],
            "address": "b.txt",
            "saved": False,
            "error": "could not save to the casebook: database or disk is full",
        }
    ]


def test_a_reader_waits_for_a_migration_and_says_so(tmp_path: Path) -> None:
    """Real processes: `list` on a casebook another process is writing (as a migration
    does, for minutes on a large casebook) waits, says why, then works."""
    casebook = tmp_path / "old.casebook"
    with Store.open(casebook, migrate_to=4, clock=FakeClock()) as old:
        now = old.clock()
        old.add_claim(Claim(id="c-old", text="Lemons cure diabetes.", created=now, updated=now))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(casebook)!r}, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True)\n"
            "time.sleep(4); c.execute('COMMIT')\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    env = {**os.environ, "VERIFY_CASEBOOK": str(casebook)}
    res = subprocess.run(
        [sys.executable, "-m", "verify", "list"], env=env, capture_output=True, text=True
    )
    holder.wait()
    assert res.returncode == 0, res.stderr
    assert "waiting for it to finish" in res.stderr
    assert "Lemons cure diabetes." in res.stdout
