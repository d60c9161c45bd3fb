"""The banded index finds exactly what comparing against every cited picture finds."""

from __future__ import annotations

import numpy as np

from verify.media import phash, seen
from verify.media.info import MediaInfo


def test_the_index_finds_every_picture_within_the_threshold() -> None:
    rng = np.random.default_rng(3)
    stored = [[int(h) for h in rng.integers(0, 2**63, 8, dtype=np.int64)] for _ in range(300)]
    entries = [
        seen.Entry(f"{n:064x}", [(f"e-{n}", f"c-{n}")], h, False) for n, h in enumerate(stored)
    ]
    built = seen.SeenIndex(entries)
    for n in range(0, 300, 7):
        for bits in (0, 5, 11, 12, 20):
            # Flip `bits` bits of one of the stored picture's hashes, spread over all bands.
            flips = rng.choice(64, bits, replace=False)
            q = stored[n][int(rng.integers(0, 8))]
            for b in flips:
                q ^= 1 << int(b)
            info = MediaInfo(sha256="x", media_type="image/jpeg", hashes=[phash.to_hex(q)])
            got = {s.claim_id for s in built.seen(info)}
            want = {
                f"c-{m}"
                for m, h in enumerate(stored)
                if phash.compare([q], False, h, False) <= seen.index.THRESHOLD
            }
            assert got == want, (n, bits)
