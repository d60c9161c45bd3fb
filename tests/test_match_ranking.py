"""BM25 candidates read only the postings that can change the top k, and find the same top k."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify.match.index import _index_terms
from verify.match.ranking import _bm25_candidates
from verify.match.text import terms
from verify.store import Store

# A small vocabulary, so that claims share words, repeat them and tie on scores.
WORDS = "dam bridge flood shelling village mayor army drone border fire".split()

texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(claims=st.lists(texts, min_size=1, max_size=40), query=texts, limit=st.integers(1, 6))
def test_pruned_search_finds_the_same_top_k(
    tmp_path_factory, claims: list[str], query: str, limit: int
) -> None:
    path: Path = tmp_path_factory.mktemp("rank") / "c.casebook"
    with Store.open(path) as store:
        with store.transaction() as conn:
            for i, text in enumerate(claims):
                _index_terms(conn, f"c{i}", text)
        conn = store.conn
        for exclude in (None, "c0"):
            every = _bm25_candidates(conn, terms(query), limit, exclude, prune=False)
            pruned = _bm25_candidates(conn, terms(query), limit, exclude)
            assert pruned == every
