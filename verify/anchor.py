"""Quote anchoring in the manner of W3C Web Annotation selectors.

A passage is stored as a TextQuote (exact text plus 32 characters either side) and a
TextPosition (character offsets). Re-anchoring tries the stored position, then an exact search,
then an approximate search whose error budget is min(256, len/2), scoring each candidate by
quote similarity (weight 50), prefix (20), suffix (20) and nearness to the stored position (2).

The approximate search is seed-and-extend: pieces of the quote found verbatim (str.find) vote
for where it starts, and only windows around the most-voted places are aligned with rapidfuzz,
so its cost follows the quote and a few exact scans, not the document's length times the
quote's.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from verify.models import AnchorStatus, Selector, TextPosition, TextQuote

CONTEXT_CHARS = 32
MIN_QUOTE_SIMILARITY = 0.75
"""Below this, an approximate match is more likely a different passage than a misquote."""
_MAX_CANDIDATES = 12
_PIECES = 8
"""Seed pieces per quote, each searched verbatim (one scan of the document each)."""
_GIVE_UP_AFTER = 4
"""When this many pieces spanning the quote are all nowhere, the quote is taken as absent:
a misquote would need a change inside every one of them."""
_MIN_PIECE, _MAX_PIECE = 8, 64
"""Seed lengths: shorter pieces hit everywhere and scan slowly; longer ones rarely survive
a misquote intact."""
_SEED_HIT_LIMIT = 200
_FULL_PASS_CELLS = 400_000_000
"""A whole-document approximate pass costs about len(text) * len(quote); above this it is
skipped (a 4,000-character quote over 20 MB once took six minutes): a quote with no piece
found verbatim anywhere in a long document is reported as not found."""


@dataclass(frozen=True)
class Anchor:
    status: AnchorStatus
    start: int
    end: int
    score: float
    """0..100: how closely the text at start:end matches the quote."""

    @property
    def found(self) -> bool:
        return self.status is not AnchorStatus.not_found

    @property
    def exact(self) -> bool:
        return self.status is AnchorStatus.exact


NOT_FOUND = Anchor(AnchorStatus.not_found, 0, 0, 0.0)


def describe(text: str, start: int, end: int) -> tuple[TextQuote, TextPosition]:
    """Selectors for text[start:end]."""
    if not 0 <= start < end <= len(text):
        raise ValueError("passage offsets are outside the document")
    quote = TextQuote(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )
    return quote, TextPosition(start=start, end=end)


def selector_for(document_id: str, text: str, start: int, end: int) -> Selector:
    quote, position = describe(text, start, end)
    return Selector(document_id=document_id, quote=quote, position=position)


def _context_score(text: str, start: int, end: int, quote: TextQuote) -> float:
    prefix_score = suffix_score = 1.0
    if quote.prefix:
        got = text[max(0, start - len(quote.prefix)) : start]
        prefix_score = fuzz.ratio(quote.prefix, got) / 100
    if quote.suffix:
        got = text[end : end + len(quote.suffix)]
        suffix_score = fuzz.ratio(quote.suffix, got) / 100
    return 20 * prefix_score + 20 * suffix_score


def _near(start: int, hint: int | None, length: int) -> float:
    if hint is None or length == 0:
        return 1.0
    return 1.0 - abs(start - hint) / length


def locate(text: str, quote: TextQuote, position: TextPosition | None = None) -> Anchor:
    """Find `quote` in `text`; see the module docstring for the order of attempts."""
    exact = quote.exact
    if not exact or len(text) == 0:
        return NOT_FOUND
    if position is not None and text[position.start : position.end] == exact:
        return Anchor(AnchorStatus.exact, position.start, position.end, 100.0)
    hint = position.start if position is not None else None

    hits = _all_occurrences(text, exact)
    if hits:
        best = max(
            hits,
            key=lambda s: (
                _context_score(text, s, s + len(exact), quote) + 2 * _near(s, hint, len(text))
            ),
        )
        return Anchor(AnchorStatus.exact, best, best + len(exact), 100.0)
    return _approximate(text, quote, hint)


def _all_occurrences(text: str, needle: str, limit: int = 1000) -> list[int]:
    out: list[int] = []
    i = text.find(needle)
    while i != -1 and len(out) < limit:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _piece_offsets(n: int, piece: int) -> list[int]:
    """Where the seed pieces start: up to _PIECES, not overlapping, spread over the quote, in
    an order whose first _GIVE_UP_AFTER already span it (0, 2, 4, 6, then 1, 3, 5, 7)."""
    count = min(_PIECES, n // piece)
    if count < 2:
        return [0] if count == 1 else []
    spread = [round(i * (n - piece) / (count - 1)) for i in range(count)]
    return spread[0::2] + spread[1::2]


def _seed_starts(text: str, exact: str) -> list[int]:
    """Likely start offsets, voted for by pieces of the quote found verbatim (the seeds).

    A handful of pieces spread over the quote is enough: a misquote changes a few characters,
    so most pieces survive. Each piece costs one scan of the document, so pieces are long
    (a long needle lets the search skip ahead) and few, and when the first pieces, spanning
    the whole quote, are all missing, the quote is not there: an absent quote costs a few
    exact searches, however long the document.
    """
    n = len(exact)
    piece = max(_MIN_PIECE, min(_MAX_PIECE, n // _PIECES))
    if piece >= n:
        return []
    votes: dict[int, int] = {}
    nowhere = 0
    for tried, off in enumerate(_piece_offsets(n, piece), 1):
        hits = _all_occurrences(text, exact[off : off + piece], limit=_SEED_HIT_LIMIT + 1)
        nowhere += not hits
        if len(hits) <= _SEED_HIT_LIMIT:  # a piece found everywhere says nothing about where
            for hit in hits:
                # Bucket nearby starts together: insertions and deletions shift them a little.
                bucket = (hit - off) // 16
                votes[bucket] = votes.get(bucket, 0) + 1
        if tried == _GIVE_UP_AFTER and nowhere == tried:
            break
    if not votes:
        return []
    # Keep the places most pieces agree on; a stray hit of a common piece is not a candidate.
    best = max(votes.values())
    floor = max(1, best // 2)
    ranked = sorted((kv for kv in votes.items() if kv[1] >= floor), key=lambda kv: -kv[1])
    return [b * 16 for b, _ in ranked[:_MAX_CANDIDATES]]


def _approximate(text: str, quote: TextQuote, hint: int | None) -> Anchor:
    exact = quote.exact
    n = len(exact)
    budget = min(256, n // 2)
    starts = _seed_starts(text, exact)
    # A candidate the quote cannot be within budget of is dropped before the costly alignment:
    # if the quote sits at [a, b) with distance d <= budget and the seeds put its start within
    # budget + 16 of a, the text at [s, s + n) is within 2 * d + 2 * (budget + 16) of it.
    reach = 4 * budget + 32
    starts = [
        s
        for s in starts
        if Levenshtein.distance(exact, text[s : s + n], score_cutoff=reach) <= reach
    ]
    windows = [(max(0, s - budget - 16), min(len(text), s + n + budget + 16)) for s in starts]
    if not windows:
        # No verbatim piece at all: one full approximate pass over the text, if it is small.
        if len(text) * n > _FULL_PASS_CELLS:
            return NOT_FOUND
        windows = [(0, len(text))]
    best: tuple[float, Anchor] | None = None
    for lo, hi in windows:
        al = fuzz.partial_ratio_alignment(exact, text[lo:hi])
        if al is None:
            continue
        start, end = lo + al.dest_start, lo + al.dest_end
        start, end = _refine(text, exact, start, end, budget)
        distance = Levenshtein.distance(exact, text[start:end])
        if distance > budget:
            continue
        similarity = 1 - distance / max(n, end - start)
        if similarity < MIN_QUOTE_SIMILARITY:
            continue
        total = (
            50 * similarity
            + _context_score(text, start, end, quote)
            + 2 * _near(start, hint, len(text))
        ) / 92
        candidate = Anchor(AnchorStatus.fuzzy, start, end, round(100 * similarity, 1))
        if best is None or total > best[0]:
            best = (total, candidate)
    return best[1] if best else NOT_FOUND


def _refine(text: str, exact: str, start: int, end: int, budget: int) -> tuple[int, int]:
    """Nudge the ends of an alignment a few characters to minimise edit distance."""
    slack = min(8, budget)
    best = (Levenshtein.distance(exact, text[start:end]), start, end)
    for ds in range(-slack, slack + 1):
        s = start + ds
        if s < 0:
            continue
        d = Levenshtein.distance(exact, text[s:end])
        if d < best[0]:
            best = (d, s, end)
    _, start, _ = best
    for de in range(-slack, slack + 1):
        e = end + de
        if e <= start or e > len(text):
            continue
        d = Levenshtein.distance(exact, text[start:e])
        if d < best[0]:
            best = (d, start, e)
    return best[1], best[2]


def reanchor(selector: Selector, text: str) -> Selector:
    """The selector with status, score and position brought up to date against `text`."""
    found = locate(text, selector.quote, selector.position)
    if not found.found:
        return selector.model_copy(update={"status": AnchorStatus.not_found, "score": 0.0})
    return selector.model_copy(
        update={
            "status": found.status,
            "score": found.score,
            "position": TextPosition(start=found.start, end=found.end),
        }
    )
