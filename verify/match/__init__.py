""" "Already checked?": find earlier checks of a claim, fast, in a casebook of any size.

Candidates come from a BM25 inverted index kept in the casebook (verify.match.index: updated
with every claim write, so it is always current and costs O(claim) per write); the best
candidates are then re-ranked by meaning (a sentence encoder's cosine, verify.embed, whose
vector for each claim is kept beside its postings: verify.match.vectors) and by wording
(character n-grams and rapidfuzz, which reward near-identical phrasing that bag-of-words
misses: verify.match.text). Russian and Ukrainian look-ups compare every claim's multilingual
vector (verify.match.across). verify.match.ranking puts them together.
"""

from verify.match.across import across_vector, across_vectors, cyrillic_vectors
from verify.match.index import index_claim, rebuild, rebuild_vectors, unindex_claim
from verify.match.ranking import Match, search, wording_similarity
from verify.match.text import indexed_text, normalize, terms
from verify.match.vectors import (
    ACROSS_PREFIX,
    VECTOR_KINDS,
    across_later,
    count_unencoded,
    encode_packed,
    has_cyrillic_claims,
    prepared,
    tx_store_vectors,
    unencoded,
    vectors_later,
)

__all__ = [
    "ACROSS_PREFIX",
    "VECTOR_KINDS",
    "Match",
    "across_later",
    "across_vector",
    "across_vectors",
    "count_unencoded",
    "cyrillic_vectors",
    "encode_packed",
    "has_cyrillic_claims",
    "index_claim",
    "indexed_text",
    "normalize",
    "prepared",
    "rebuild",
    "rebuild_vectors",
    "search",
    "terms",
    "tx_store_vectors",
    "unencoded",
    "unindex_claim",
    "vectors_later",
    "wording_similarity",
]
