"""Attribution quality on PolNeAR (../shared/eval/attribution/polnear), primary annotations.

    python bench/attribution_eval.py [dev|train] [--proposed]
Prints F1 of source, cue and content spans, exact (same words) and overlap (the words shared
are at least half of the longer span's), and the share of gold attributions that `verify`
attributes to a speaker (a predicted attribution with a source whose content covers at least
half of the gold content's words). `--proposed` also runs the whole of `verify extract`
(check-worthiness included) and counts gold attributions inside a proposed statement that has
a speaker.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "eval" / "attribution" / "polnear"

from verify.ingest import attribution, pipeline  # noqa: E402

Span = tuple[int, int]
Triple = tuple[Span | None, Span | None, Span | None]  # source, cue, content
ROLES = ("source", "cue", "content")
_WORD = re.compile(r"\w+")


def load(split: str) -> tuple[dict[str, str], dict[str, list[Triple]]]:
    texts = {p.stem: p.read_text("utf-8") for p in sorted((DATA / split / "text").glob("*.txt"))}
    gold: dict[str, list[Triple]] = defaultdict(list)
    with (DATA / "attributions.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["split"] != split or not rec["primary"]:
                continue
            gold[rec["doc"]].append(tuple(_outer(rec[r]) for r in ROLES))  # type: ignore[arg-type]
    return texts, gold


def _outer(role: dict | None) -> Span | None:
    if not role:
        return None
    spans = role["spans"]
    return (min(a for a, _ in spans), max(b for _, b in spans))


def words(text: str, span: Span | None) -> frozenset[int]:
    """The word positions (start offsets) inside a span: spans compare by the words they hold."""
    if span is None:
        return frozenset()
    return frozenset(m.start() for m in _WORD.finditer(text, span[0], span[1]))


def overlaps(a: frozenset[int], b: frozenset[int]) -> bool:
    return bool(a) and bool(b) and len(a & b) * 2 >= max(len(a), len(b))


def matched(pred: list[frozenset[int]], gold: list[frozenset[int]], exact: bool) -> int:
    """One-to-one greedy matching; returns the number of matched pairs."""
    free = list(gold)
    hits = 0
    for p in pred:
        for i, g in enumerate(free):
            if (p == g) if exact else overlaps(p, g):
                hits += 1
                del free[i]
                break
    return hits


def f1(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def predict(text: str) -> list[Triple]:
    return [(a.source, a.cue, a.content) for a in attribution.find(text)]


def evaluate(
    texts: dict[str, str],
    gold: dict[str, list[Triple]],
    predictor: Callable[[str], list[Triple]],
) -> dict[str, float]:
    counts: dict[str, int] = defaultdict(int)
    for doc, text in texts.items():
        preds = predictor(text)
        golds = gold.get(doc, [])
        for k, role in enumerate(ROLES):
            p = [w for w in (words(text, t[k]) for t in preds) if w]
            g = [w for w in (words(text, t[k]) for t in golds) if w]
            counts[f"{role}_pred"] += len(p)
            counts[f"{role}_gold"] += len(g)
            counts[f"{role}_exact"] += matched(p, g, exact=True)
            counts[f"{role}_overlap"] += matched(p, g, exact=False)
        attributed = [words(text, t[2]) for t in preds if t[0] is not None]
        for t in golds:
            g = words(text, t[2])
            if not g:
                continue
            counts["statements"] += 1
            counts["attributed"] += any(len(g & a) * 2 >= len(g) for a in attributed)
    out: dict[str, float] = {}
    for role in ROLES:
        for kind in ("exact", "overlap"):
            (
                out[f"{role}_{kind}_p"],
                out[f"{role}_{kind}_r"],
                out[f"{role}_{kind}_f1"],
            ) = f1(counts[f"{role}_{kind}"], counts[f"{role}_pred"], counts[f"{role}_gold"])
    out["attributed_recall"] = counts["attributed"] / max(1, counts["statements"])
    return out


def proposed_recall(texts: dict[str, str], gold: dict[str, list[Triple]]) -> float:
    hit = total = 0
    for doc, text in texts.items():
        spans = [
            words(text, (c.start, c.end))
            for c in pipeline.extract(text).candidates
            if c.speaker is not None
        ]
        for t in gold.get(doc, []):
            g = words(text, t[2])
            if g:
                total += 1
                hit += any(len(g & s) * 2 >= len(g) for s in spans)
    return hit / max(1, total)


def report(name: str, figures: dict[str, float]) -> None:
    print(name)
    for role in ROLES:
        print(
            f"  {role:8s} F1 exact {figures[f'{role}_exact_f1']:.3f}"
            f"  overlap {figures[f'{role}_overlap_f1']:.3f}"
            f" (P {figures[f'{role}_overlap_p']:.3f} R {figures[f'{role}_overlap_r']:.3f})"
        )
    print(f"  attributed to a speaker: {figures['attributed_recall']:.3f}")


def main(argv: Iterable[str] = sys.argv[1:]) -> None:
    args = list(argv)
    split = next((a for a in args if not a.startswith("-")), "dev")
    texts, gold = load(split)
    print(f"PolNeAR {split}: {len(texts)} articles, {sum(map(len, gold.values()))} attributions")
    report("verify attribution", evaluate(texts, gold, predict))
    if "--proposed" in args:
        print(f"  proposed by verify extract, with a speaker: {proposed_recall(texts, gold):.3f}")


if __name__ == "__main__":
    main()
