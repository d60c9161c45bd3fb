"""Every claim's vectors, filled in after its words: what "already checked?" compares meanings by.

An import saves its claims first (searchable by words at once) and encodes them afterwards,
outside the claims' transactions; `fill_vectors` does that part, for every claim still
missing a vector of either kind (this import's, or an interrupted one's).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from verify import match
from verify.store import Store

VECTOR_BATCH = 1024
"""Claims encoded, then their vectors written in one short transaction, by fill_vectors. The
English encoder sorts a batch by length before cutting it into products, so the larger the
batch the less padding (CLEF claims: 9% padded tokens in batches of 256, 3% in 1,024)."""


def fill_vectors(store: Store, progress: Callable[[int, int], None] | None = None) -> int:
    """Encode every claim that has no vector yet (this import's, or an interrupted one's)
    and store the vectors, a batch at a time; returns how many claims got vectors. Each text is
    encoded once, outside any transaction.

    The kinds of vector are encoded side by side: the English one in a worker thread, the
    multilingual one here. Both encoders leave Python's lock while they compute, so on two
    cores the fill takes about as long as the English encoder alone; on one core the two
    simply take turns.
    """
    total = sum(match.count_unencoded(store.conn, kind) for kind in match.VECTOR_KINDS)
    done = 0
    claims: set[str] = set()
    after = dict.fromkeys(match.VECTOR_KINDS, 0)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="verify-encode") as pool:
        while True:
            batches = {}
            for kind, last in after.items():
                if rows := match.unencoded(store.conn, last, VECTOR_BATCH, kind):
                    batches[kind] = rows
                    after[kind] = rows[-1][0]
            if not batches:
                break
            # A repeated text is encoded once.
            texts = {
                kind: list(dict.fromkeys(text for _, _, text in rows))
                for kind, rows in batches.items()
            }
            *elsewhere, here = batches
            pending = {
                kind: pool.submit(match.encode_packed, texts[kind], kind) for kind in elsewhere
            }
            packed = {here: match.encode_packed(texts[here], here)}
            packed.update((kind, job.result()) for kind, job in pending.items())
            with store.transaction() as conn:
                for kind, rows in batches.items():
                    blobs = dict(zip(texts[kind], packed[kind], strict=True))
                    match.tx_store_vectors(
                        conn, [(cid, text, blobs[text]) for _, cid, text in rows], kind
                    )
            for rows in batches.values():
                done += len(rows)
                claims.update(cid for _, cid, _ in rows)
            if progress is not None:
                progress(min(done, total), total)
    return len(claims)
