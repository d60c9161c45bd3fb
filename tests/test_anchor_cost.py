"""An absent long quote in a long document costs a bounded amount of approximate work."""

from __future__ import annotations

import random
import string

import pytest

from verify import anchor
from verify.models import AnchorStatus, TextQuote


def test_an_absent_long_quote_aligns_only_small_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(3000)]
    doc = " ".join(rng.choices(words, k=400_000))
    quote = "".join(rng.choices("QZXJKVW ", k=4000))
    aligned: list[int] = []
    real = anchor.fuzz.partial_ratio_alignment

    def counting(needle: str, hay: str, *args: object, **kwargs: object):
        aligned.append(len(hay))
        return real(needle, hay, *args, **kwargs)

    monkeypatch.setattr(anchor.fuzz, "partial_ratio_alignment", counting)
    found = anchor.locate(doc, TextQuote(exact=quote))
    assert found.status is AnchorStatus.not_found
    # Work is bounded by the quote, not the document: a capped number of quote-sized windows.
    assert len(aligned) <= 12 and all(size <= 2 * len(quote) + 64 for size in aligned)
