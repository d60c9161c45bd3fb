"""A Russian or Ukrainian statement finds the English fact-check of it ("already checked?")."""

from __future__ import annotations

from pathlib import Path

from verify.importers import Record, add_claims, records_to_claims
from verify.store import Store

# Written for these tests: English checks of invented events, and the same claims retold.
CHECKS = [
    "A missile strike destroyed the main bridge over the river in Novoozersk on Monday.",
    "The governor said that 25 people were killed when debris fell on the city market.",
    "Officials claim that the new vaccine causes infertility in young women.",
    "The mayor announced that public transport will be free for pensioners from May.",
    "Police arrested three men suspected of setting fire to the railway depot.",
]


def _casebook(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "x.casebook")
    records = [Record(ref=f"chk{i}", text=t, fields={}) for i, t in enumerate(CHECKS)]
    add_claims(store, records_to_claims(store, records), "checks")
    return store


def test_russian_and_ukrainian_queries_find_the_english_check(tmp_path: Path) -> None:
    store = _casebook(tmp_path)
    try:
        ru = "Губернатор заявил, что 25 человек погибли, когда обломки упали на городской рынок."
        assert store.similar(ru, top=3)[0].ref == "chk1"
        ru2 = "Мэр объявил, что с мая общественный транспорт станет бесплатным для пенсионеров."
        assert store.similar(ru2, top=3)[0].ref == "chk3"
        uk = "Губернатор повідомив, що 25 людей загинули, коли уламки впали на міський ринок."
        assert store.similar(uk, top=3)[0].ref == "chk1"
        # The multilingual encoder alone put the market claim first here (it was not trained
        # on Ukrainian); the re-ranker gets it right.
        uk2 = "Поліція затримала трьох чоловіків, підозрюваних у підпалі залізничного депо."
        assert store.similar(uk2, top=3)[0].ref == "chk4"
    finally:
        store.close()


def test_english_look_ups_do_not_read_multilingual_rows(tmp_path: Path) -> None:
    store = _casebook(tmp_path)
    try:
        rows = store.conn.execute(
            "SELECT count(*) FROM match_vectors WHERE claim_id LIKE 'ml:%'"
        ).fetchone()[0]
        assert rows == len(CHECKS)
        found = store.similar("Three men were arrested for the fire at the railway depot")
        assert found[0].ref == "chk4"
        assert all(not m.claim_id.startswith("ml:") for m in found)
    finally:
        store.close()


def test_deleting_a_claim_drops_its_multilingual_vector(tmp_path: Path) -> None:
    from verify import match

    store = _casebook(tmp_path)
    try:
        claim_id = store.conn.execute("SELECT id FROM claims WHERE ref = 'chk1'").fetchone()[0]
        with store.transaction():
            match.unindex_claim(store.conn, claim_id)
        left = store.conn.execute(
            "SELECT count(*) FROM match_vectors WHERE claim_id = ?", ("ml:" + claim_id,)
        ).fetchone()[0]
        assert left == 0
    finally:
        store.close()


def test_text_in_other_scripts_still_gets_a_vector() -> None:
    """The encoder's vocabulary keeps only pieces that can match Latin or Cyrillic text;
    letters of other scripts become unknown pieces, never an error."""
    import numpy as np

    from verify.lang import encoder

    texts = [
        "Ο υπουργός είπε ότι 40 σπίτια καταστράφηκαν.",
        "部长说40所房屋被毁。",
        "Міністр: 40 будинків",
    ]
    vectors = encoder.encode(texts)
    assert vectors.shape == (3, encoder.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert float(vectors[0] @ vectors[2]) < 0.99
