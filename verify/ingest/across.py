"""Competing accounts across languages at ingest: which claim of the casebook, told in another
language, a new statement is another speaker's account of (verify.ingest.grouping decides on a
pair; this finds the pairs), and the multilingual vectors that look-up reads.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

from verify import match
from verify.ingest import grouping
from verify.lang import language
from verify.models import Claim, ClaimStatus
from verify.store import Store

NEAREST = 10
"""How many claims in another language a statement of a new document is compared with, the
nearest by the multilingual encoder, which ranks Ukrainian badly: on NTREX, a Ukrainian
sentence's English original is among its nearest 10 of 1,997 lines for 89% of them."""
BATCH = 256
"""Claims whose vectors `fill` encodes, then stores in one short transaction."""


def fill(store: Store) -> None:
    """Store the multilingual vectors claims were written without (match.across_later), a
    batch at a time, each encoded outside any transaction."""
    after = 0
    while rows := match.unencoded(store.conn, after, BATCH, match.ACROSS_PREFIX):
        after = rows[-1][0]
        texts = list(dict.fromkeys(text for _, _, text in rows))
        blobs = dict(zip(texts, match.encode_packed(texts, match.ACROSS_PREFIX), strict=True))
        with store.transaction() as conn:
            match.tx_store_vectors(
                conn, [(cid, text, blobs[text]) for _, cid, text in rows], match.ACROSS_PREFIX
            )


@dataclass
class Scan:
    """The casebook's multilingual vectors, read once per look-up of a whole document: those
    of Cyrillic claims (for English statements), and all (for Russian and Ukrainian ones)."""

    read: dict[bool, tuple[list[str], Any]] = field(default_factory=dict)

    def vectors(self, store: Store, english: bool) -> tuple[list[str], Any]:
        if english not in self.read:
            # Claims whose vector is still to come (a big import being filled) are not
            # compared: encoding them all here would hold up the ingest; a missed join is
            # no harm.
            self.read[english] = (
                match.cyrillic_vectors(store.conn)
                if english
                else match.across_vectors(store.conn, encode_missing=False)
            )
        return self.read[english]


def same_event(store: Store, text: str, speaker: str, lang: str, scan: Scan) -> str | None:
    """An earlier claim in another language that statement `text` by `speaker` is another
    speaker's account of: among
    the nearest by the multilingual encoder, one marked, in the statement's own language, as
    answering it, and close enough by that encoder or the re-ranker (grouping.close_across)."""
    if lang not in grouping.ACROSS_LANGUAGES or not grouping.may_answer_across(text):
        return None  # nothing could mark it: spare the scan of every claim's vector
    ids, matrix = scan.vectors(store, english=lang == "en")
    if not ids:
        return None
    cosines = matrix @ match.across_vector(text)
    least = grouping.ACROSS_SHORTLIST
    close = [(c, float(v)) for c, v in zip(ids, cosines, strict=True) if v >= least]
    # Claims in the statement's own language are the other look-up's: only those in another
    # language count towards the few compared.
    compared = 0
    undecided: list[tuple[Claim, str, float]] = []
    for claim_id, cosine in heapq.nlargest(4 * NEAREST, close, key=lambda kv: kv[1]):
        claim = store.get_claim(claim_id)
        other = language(claim.text)
        if other in (lang, "other"):
            continue
        compared += 1
        if compared > NEAREST:
            break
        if claim.status == ClaimStatus.dropped or "merged_into" in claim.extra:
            continue
        if not claim.claimant or grouping.same_speaker(claim.claimant, speaker):
            continue
        if not grouping.mark_across(claim.text, text):
            continue
        decided = grouping.close_across(lang, other, cosine, None)
        if decided:
            return claim.id
        if decided is None:
            undecided.append((claim, other, cosine))
    # The finer model only for what the encoder leaves open: it loads and runs only then.
    finer = grouping.finer_cosines(text, [claim.text for claim, _, _ in undecided])
    for (claim, other, cosine), fine in zip(undecided, finer, strict=True):
        if grouping.close_across(lang, other, cosine, fine):
            return claim.id
    return None
