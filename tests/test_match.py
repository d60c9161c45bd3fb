""" "Already checked?": imports of fact-check archives, the index, `verify match`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED, FakeClock, need_shared
from verify import match
from verify.match import vectors as match_vectors
from verify.models import Claim
from verify.store import Store

CLEF = SHARED / "eval" / "claim-matching"


def test_normalize_handles_posts() -> None:
    text = (
        "No collusion! #KeepAmericaGreat https://t.co/x pic.twitter.com/y "
        "— Donald J. Trump (@realDonaldTrump) March 24, 2019"
    )
    norm = match.normalize(text)
    assert "keep america great" in norm and "real donald trump" in norm
    assert "http" not in norm and "pic.twitter" not in norm and "2019" not in norm


def test_tsv_import_with_quoted_fields_and_title_matching(cli, tmp_path: Path) -> None:
    tsv = tmp_path / "claims.tsv"
    tsv.write_text(
        '\tvclaim\ttitle\n0\t"A ""giant"" squid was found in Ohio."\tSquid in Ohio?\n'
        "1\tThe Eiffel Tower will be dismantled in 2025.\tIs Paris Losing Its Tower?\n",
        "utf-8",
    )
    cb = ["--casebook", str(tmp_path / "c.casebook")]
    assert "claims 2" in cli("import", str(tsv), *cb).out
    # The headline alone carries "Paris": the title counts for matching.
    res = cli("match", "paris losing tower", "--json", *cb).json_lines()[0]
    assert res["matches"][0]["ref"] == "1" and res["matches"][0]["text"].startswith("The Eiffel")
    rows = cli("list", "--json", *cb).json_lines()
    assert rows[0]["text"] == 'A "giant" squid was found in Ohio.'


def _review(ident: str, text: str, label: str) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": ident,
        "url": f"https://factcheck.example/{ident}",
        "claimReviewed": text,
        "datePublished": "2024-02-01",
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": label,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "A. Poster"},
            "datePublished": "2024-01-30",
        },
    }


@pytest.mark.parametrize("shape", ["object", "list", "feed"])
def test_claimreview_import_shapes(cli, tmp_path: Path, shape: str) -> None:
    one = _review("fc-1", "Wind turbines cause cancer.", "False")
    two = _review("fc-2", "Vaccines contain microchips.", "False")
    data = {
        "object": one,
        "list": [one, two],
        "feed": {"@type": "DataFeed", "dataFeedElement": [{"item": [one]}, {"item": two}]},
    }
    src = tmp_path / "feed.json"
    src.write_text(json.dumps(data[shape]))
    cb = ["--casebook", str(tmp_path / "c.casebook")]
    assert cli("import", str(src), *cb).code == 0
    found = cli("match", "wind turbines give you cancer", "--json", *cb).json_lines()[0]
    best = found["matches"][0]
    assert best["ref"] == "fc-1" and best["verdict"] == "false"


@pytest.mark.parametrize(
    "content, name, message",
    [
        (
            '[{"@type": "ClaimReview", "claimReviewed": "x"}, {"@type": "Review"}]',
            "f.json",
            "item 2: not a ClaimReview object",
        ),
        ('{"@type": "ClaimReview"}', "f.json", "item 1: ClaimReview without claimReviewed"),
        ("id\ttext\n1\tok\n2\tfine\textra\n", "f.tsv", "line 3: more fields than the header"),
        ("name\tother\n1\tx\n", "f.tsv", "needs an 'id' and a 'text' column"),
        ('{"id": "y", "text": "half a pair \\ud800"}', "f.jsonl", "record y: text:"),
    ],
)
def test_malformed_feeds_name_the_record(cli, tmp_path, content, name, message) -> None:
    src = tmp_path / name
    src.write_text(content)
    res = cli("import", str(src), "--casebook", str(tmp_path / "c.casebook"))
    assert res.code == 1 and message in res.err and res.err.count("\n") == 1


def test_match_reads_json_lines(cli, sample_path: Path) -> None:
    lines = (
        json.dumps({"id": "t1", "text": "Alrosa diamond company hit by EU sanctions"})
        + "\n"
        + json.dumps({"id": "t2", "text": "   "})
        + "\n"
    )
    res = cli("match", "--casebook", str(sample_path), "--top", "3", stdin=lines)
    rows = res.json_lines()
    assert [r["id"] for r in rows] == ["t1", "t2"]
    assert rows[0]["matches"][0]["claim_id"] == "c-az7y8knn"
    assert set(rows[0]["matches"][0]) == {"claim_id", "ref", "score", "text", "verdict"}
    assert rows[1]["matches"] == []


def test_match_bad_queries(cli, sample_path: Path) -> None:
    cb = ["--casebook", str(sample_path)]
    assert "the query is empty" in cli("match", "  ", *cb).err
    huge = cli("match", "Belgorod " * 120_000, *cb)  # about 1 MB: answered, not refused
    assert huge.code == 0 and "c-2zjgpgfw" in huge.out
    odd = cli("match", *cb, stdin='{"id": "s", "text": "Belgorod \\ud800 governor"}\n')
    assert odd.code == 0 and odd.json_lines()[0]["matches"]
    bad = cli("match", *cb, stdin='{"id": 1, "text": "ok"}\nnot json\n')
    assert bad.code == 1 and "line 2: not valid JSON" in bad.err


def test_index_follows_edits_and_undo(store: Store) -> None:
    now = store.clock()
    store.add_claim(
        Claim(id="c-one", text="The bridge collapsed in 1998.", created=now, updated=now)
    )
    assert [m.claim_id for m in store.similar("bridge collapse")] == ["c-one"]
    c = store.get_claim("c-one")
    store.save_claim(c.model_copy(update={"text": "The tunnel flooded in 1998."}), "edit")
    assert store.similar("bridge collapse") == []
    assert [m.claim_id for m in store.similar("tunnel flooded")] == ["c-one"]
    store.undo()
    store.undo()
    assert store.similar("tunnel flooded") == []


@pytest.mark.slow
def test_quality_on_clef_dev_does_not_regress() -> None:
    need_shared(CLEF)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import tempfile

    from match_eval import evaluate, load_claims, load_queries

    from verify.importers import add_claims, records_to_claims

    with tempfile.TemporaryDirectory() as tmp:
        s = Store.open(Path(tmp) / "eval.casebook")
        add_claims(s, records_to_claims(s, load_claims()), "clef")
        queries, gold = load_queries("dev")
        fig = evaluate(s, queries, gold)
        s.close()
    # The goal is MAP@5 >= 0.80 (plain BM25: 0.75); weights were chosen on train.
    assert fig["MAP@5"] >= 0.82 and fig["recall@5"] >= 0.90


def test_meaning_beats_shared_words(store: Store) -> None:
    now = store.clock()
    for ident, text in (
        ("c-guns", "Joe Biden wants to confiscate every gun in America."),
        ("c-cars", "Joe Biden wants every American to buy an electric car."),
    ):
        store.add_claim(Claim(id=ident, text=text, created=now, updated=now))
    query = "Joe Biden wants to take away every American's firearms"
    # Words alone prefer the car claim (more of them shared); the encoder knows guns are firearms.
    found = store.similar(query)
    assert [m.claim_id for m in found] == ["c-guns", "c-cars"]


def test_vectors_follow_the_text_not_the_verdict(store: Store, monkeypatch) -> None:
    encoded: list[str] = []
    real = match_vectors._encode

    def counting(texts: list[str]):
        encoded.extend(texts)
        return real(texts)

    monkeypatch.setattr(match_vectors, "_encode", counting)
    now = store.clock()
    store.add_claim(Claim(id="c-one", text="The dam burst in 1975.", created=now, updated=now))
    assert encoded == ["The dam burst in 1975."]
    claim = store.get_claim("c-one")
    claim = store.save_claim(claim.model_copy(update={"tags": ["floods"]}), "tag")
    assert encoded == ["The dam burst in 1975."]  # same text: no new encoding
    store.save_claim(claim.model_copy(update={"text": "The dam held in 1975."}), "edit")
    assert encoded[-1] == "The dam held in 1975."
    (digest,) = store.conn.execute(
        "SELECT digest FROM match_vectors WHERE claim_id = 'c-one'"
    ).fetchone()
    assert digest == match_vectors._digest("The dam held in 1975.")


@pytest.mark.parametrize("old_version", [3, 4])
def test_migration_indexes_and_encodes_existing_claims(tmp_path: Path, old_version: int) -> None:
    path = tmp_path / "old.casebook"
    with Store.open(path, migrate_to=old_version, clock=FakeClock()) as old:
        now = old.clock()
        old.add_claim(Claim(id="c-old", text="Lemons cure diabetes.", created=now, updated=now))
    with Store.open(path) as s:
        # One vector for English look-ups, one multilingual (its id prefixed "ml:").
        ids = [r[0] for r in s.conn.execute("SELECT claim_id FROM match_vectors")]
        assert sorted(ids) == ["c-old", "ml:c-old"]
        assert [m.claim_id for m in s.similar("do lemons cure diabetes")] == ["c-old"]
        assert [m.claim_id for m in s.similar("citrus fruit heals diabetes")] == ["c-old"]


def test_reimporting_a_casebook_encodes_nothing(cli, sample_path: Path, tmp_path, monkeypatch):
    exported = tmp_path / "sample.json"
    exported.write_text(cli("export", "--format", "json", "--casebook", str(sample_path)).out)
    encoded: list[str] = []
    real = match_vectors._encode
    monkeypatch.setattr(
        match_vectors, "_encode", lambda texts: encoded.extend(texts) or real(texts)
    )
    res = cli("import", str(exported), "--casebook", str(sample_path))
    assert res.code == 0 and "claims 0" in res.out
    assert encoded == []
