"""Synthetic casebooks of any size for the benchmarks, built through verify's own import path.

Claim texts come from the CLEF verified claims in ../shared (when present) with a number
appended so they differ, else from a template; a share of them carry a verdict, accounts and
evidence, like a working desk's casebook.

Encoding 100,000 claims for the "already checked?" vectors takes minutes and is measured by
match_bench.py (encode=True). The other benchmarks time reading and writing, not encoding, so by
default a numbered copy gets the vector of the text it copies (it means the same thing), and
only the 10,375 distinct texts are encoded.
"""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime
from pathlib import Path

from verify.importers import add_claims
from verify.match import vectors as match_vectors
from verify.models import Account, Claim, ClaimStatus, Evidence, EvidenceKind, Stance, Verdict
from verify.store import Store

ROOT = Path(__file__).resolve().parent.parent
CLEF = ROOT.parent / "shared" / "eval" / "claim-matching" / "verified_claims.tsv"
LABELS = ["true", "mostly-true", "mixed", "mostly-false", "false", "misleading", "unproven"]


def base_texts() -> list[tuple[str, str]]:
    if CLEF.exists():
        with CLEF.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh, delimiter="\t"))[1:]
        return [(r[1], r[2]) for r in rows if r[1].strip()]
    return [(f"Officials said {n} people were affected by the flooding.", "") for n in range(100)]


def build(path: Path, n: int, seed: int = 1, encode: bool = False) -> Path:
    rng = random.Random(seed)
    texts = base_texts()
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    claims = []
    for i in range(n):
        text, title = texts[i % len(texts)]
        if i >= len(texts):
            text = f"{text} ({i // len(texts)})"
        decided = rng.random() < 0.4
        accounts = [
            Account(id=f"a-{i}-{k}", statement=f"Account {k} of claim {i}")
            for k in range(rng.randint(1, 3))
        ]
        evidence = [
            Evidence(
                id=f"e-{i}-{k}",
                kind=EvidenceKind.note,
                note="checked",
                credibility=rng.randint(1, 6),
                added=t0,
                stances={accounts[0].id: Stance.consistent},
            )
            for k in range(rng.randint(0, 2))
        ]
        claims.append(
            Claim(
                id=f"c-bench-{i}",
                ref=str(i),
                text=text,
                extra={"title": title} if title else {},
                status=ClaimStatus.decided if decided else ClaimStatus.open,
                verdict=Verdict(
                    label=rng.choice(LABELS),
                    rationale="Benchmark rationale.",
                    reviewer="bench",
                    at=t0,
                )
                if decided
                else None,
                accounts=accounts,
                evidence=evidence,
                created=t0,
                updated=t0,
            )
        )
    with Store.open(path) as store:
        if encode:
            add_claims(store, claims, "bench")
        else:
            _add_with_shared_vectors(store, claims, [t for t, _ in texts])
    return path


def _add_with_shared_vectors(store: Store, claims: list[Claim], bases: list[str]) -> None:
    import re

    import numpy as np

    real = match_vectors._encode
    base_vectors: dict[str, np.ndarray] = {}
    number = re.compile(r" \(\d+\)$")

    def shared(texts: list[str]) -> np.ndarray:
        wanted = [number.sub("", t) for t in texts]
        todo = list(dict.fromkeys(w for w in wanted if w not in base_vectors))
        if todo:
            base_vectors.update(zip(todo, real(todo), strict=True))
        return np.vstack([base_vectors[w] for w in wanted])

    match_vectors._encode = shared
    try:
        add_claims(store, claims, "bench")
    finally:
        match_vectors._encode = real
