"""A big import is searchable as soon as its claims are saved; vectors follow, each text once."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from verify import importers, match
from verify.match import vectors as match_vectors
from verify.store import Store

TEXTS = [
    "The mayor said 40 people died in the flood in the north of the city.",
    "A photo shows the president asleep at the memorial service.",
    "Vaccines contain microchips that track people who receive them.",
    "The bridge collapsed because the contractor used cheap concrete.",
    "Unemployment fell to its lowest level in fifty years last month.",
]


def _archive(tmp_path: Path, copies: int = 3) -> Path:
    # Each text under several external ids: repeated texts, as real archives have.
    src = tmp_path / "archive.jsonl"
    lines = [
        json.dumps({"id": f"r{k}-{i}", "text": text})
        for k in range(copies)
        for i, text in enumerate(TEXTS)
    ]
    src.write_text("\n".join(lines) + "\n")
    return src


def _count(path: Path, table: str) -> int:
    """Rows in `table`; for vectors, the claims' English ones (each claim also has one
    across languages, counted by `_across`)."""
    where = f" WHERE claim_id NOT LIKE '{match.ACROSS_PREFIX}%'" if table == "match_vectors" else ""
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}{where}").fetchone()[0])
    finally:
        conn.close()


def _across(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(
            conn.execute(
                "SELECT count(*) FROM match_vectors WHERE claim_id LIKE ?",
                (match.ACROSS_PREFIX + "%",),
            ).fetchone()[0]
        )
    finally:
        conn.close()


def test_claims_are_saved_before_any_is_encoded(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "c.casebook"
    seen: list[int] = []
    encode = match_vectors._encode

    def spy(texts: list[str]) -> np.ndarray:
        # What another reader sees when encoding starts: every claim, already saved.
        seen.append(_count(path, "claims"))
        return encode(texts)

    encode_across = match_vectors._encode_across

    def spy_across(texts: list[str]) -> np.ndarray:
        seen.append(_count(path, "claims"))
        return encode_across(texts)

    monkeypatch.setattr(match_vectors, "_encode", spy)
    monkeypatch.setattr(match_vectors, "_encode_across", spy_across)
    with Store.open(path, create=True) as store:
        counts = importers.import_file(store, str(_archive(tmp_path)))
    assert counts["claims"] == 3 * len(TEXTS)
    assert len(seen) >= 2 and set(seen) == {3 * len(TEXTS)}
    # Each claim has both its vectors: English meaning, and across languages.
    assert _count(path, "match_vectors") == _across(path) == 3 * len(TEXTS)


def test_each_text_is_encoded_once(tmp_path: Path, monkeypatch) -> None:
    encoded: list[str] = []
    encode = match_vectors._encode

    def spy(texts: list[str]) -> np.ndarray:
        encoded.extend(texts)
        return encode(texts)

    monkeypatch.setattr(match_vectors, "_encode", spy)
    with Store.open(tmp_path / "c.casebook", create=True) as store:
        importers.import_file(store, str(_archive(tmp_path)))
    assert sorted(encoded) == sorted(TEXTS)


@pytest.mark.parametrize("query", [TEXTS[0], "vaccine microchip tracking", "cheap concrete bridge"])
def test_a_look_up_before_the_vectors_ranks_as_after(tmp_path: Path, monkeypatch, query) -> None:
    path = tmp_path / "c.casebook"
    monkeypatch.setattr(importers, "fill_vectors", lambda store, progress=None: 0)
    with Store.open(path, create=True) as store:
        importers.import_file(store, str(_archive(tmp_path, copies=1)))
    assert _count(path, "match_vectors") == 0  # as if the import were still encoding
    with Store.open(path) as store:
        before = store.similar(query, top=5)
    monkeypatch.undo()
    with Store.open(path) as store:
        assert importers.fill_vectors(store) == len(TEXTS)
        after = store.similar(query, top=5)
    assert _count(path, "match_vectors") == len(TEXTS)
    assert [(m.claim_id, round(m.score, 6)) for m in before] == [
        (m.claim_id, round(m.score, 6)) for m in after
    ]


def test_an_interrupted_fill_is_finished_by_the_next_import(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "c.casebook"
    monkeypatch.setattr(importers, "fill_vectors", lambda store, progress=None: 0)
    with Store.open(path, create=True) as store:
        importers.import_file(store, str(_archive(tmp_path, copies=1)))
    monkeypatch.undo()
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "new", "text": "A new claim about the harbour."}) + "\n")
    with Store.open(path) as store:
        importers.import_file(store, str(other))
    assert _count(path, "match_vectors") == _across(path) == len(TEXTS) + 1


def test_claims_added_from_code_get_their_vectors(tmp_path: Path) -> None:
    path = tmp_path / "c.casebook"
    with Store.open(path, create=True) as store:
        records = [importers.Record(ref=f"r{i}", text=t) for i, t in enumerate(TEXTS)]
        added = importers.add_claims(store, importers.records_to_claims(store, records), "x")
    assert added == len(TEXTS) == _count(path, "match_vectors")


def test_filled_vectors_are_the_reference_models_vectors(tmp_path: Path) -> None:
    # Both kinds come out of the import's fill (encoded side by side, packed as int8) as close
    # to the original models as the encoders themselves are (tests/test_reference.py).
    reference = Path(__file__).resolve().parent / "reference"
    sentences: list[str] = json.loads((reference / "sentences.json").read_text("utf-8"))[:120]
    src = tmp_path / "reference.jsonl"
    src.write_text(
        "".join(json.dumps({"id": f"s{i}", "text": t}) + "\n" for i, t in enumerate(sentences))
    )
    path = tmp_path / "c.casebook"
    with Store.open(path, create=True) as store:
        importers.import_file(store, str(src))
    conn = sqlite3.connect(path)
    try:
        for prefix, name, mean, lowest in (
            ("", "minilm", 0.998, 0.99),
            (match.ACROSS_PREFIX, "usem3", 0.999, 0.997),
        ):
            rows = dict(
                conn.execute(
                    "SELECT c.text, v.vector FROM claims c JOIN match_vectors v "
                    "ON v.claim_id = ? || c.id",
                    (prefix,),
                ).fetchall()
            )
            assert len(rows) == len(sentences)
            stored = match_vectors._unpack([rows[t] for t in sentences])
            original = np.load(reference / f"{name}.npy")[: len(sentences)].astype(np.float32)
            original /= np.linalg.norm(original, axis=1, keepdims=True)
            cosines = np.sum(stored * original, axis=1)
            assert cosines.mean() >= mean and cosines.min() >= lowest, (name, cosines.min())
    finally:
        conn.close()
