"""Train the attribution tagger on PolNeAR train (../shared/eval/attribution/polnear/train).

    pip install '.[train]' && python scripts/train_attribution.py [--cv] [--c C] [--sweep]
Learns the cue lexicon (for each word seen at least MIN_SEEN times: the share of its
occurrences inside a hand-annotated cue span) and a multinomial logistic regression labelling
each word of a sentence outside / source / cue / content (features: verify.ingest.tagger).
`--cv` prints 3-fold cross-validated per-label F1 (folds are whole articles) for a few values of
C first. Writes verify/data/attribution.json (lexicon) and verify/data/attribution.npz (weights,
float16). `--sweep` instead prints span F1 on every fifth train article for several values of
tagger.OUTSIDE_PENALTY (how much less likely "outside" is made when decoding). Only primary
annotations are used; the dev split is left for bench/attribution_eval.py.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "eval" / "attribution" / "polnear"
OUT = ROOT / "verify" / "data"

from verify.ingest import sentences, tagger  # noqa: E402

MIN_SEEN = 5
MIN_CUE = 3
C = 0.5
ROLE_LABEL = {"source": 1, "cue": 2, "content": 3}


def load_docs(split: str) -> list[tuple[str, str, dict[int, int]]]:
    """(doc, text, char offset -> label) for each article."""
    labels: dict[str, dict[int, int]] = defaultdict(dict)
    with (DATA / "attributions.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["split"] != split or not rec["primary"]:
                continue
            for role, label in ROLE_LABEL.items():
                for a, b in (rec[role] or {}).get("spans", []):
                    for k in range(a, b):
                        labels[rec["doc"]][k] = label
    return [
        (p.stem, p.read_text("utf-8"), labels[p.stem])
        for p in sorted((DATA / split / "text").glob("*.txt"))
    ]


def sentence_tokens(docs: list[tuple[str, str, dict[int, int]]]):
    """Per article, its sentences as (words, labels)."""
    out = []
    for _, text, labels in docs:
        sents = []
        for sent in sentences.split(text):
            toks = tagger.tokens(sent.text, sent.start)
            sents.append(([t.text for t in toks], [labels.get(t.start, 0) for t in toks]))
        out.append(sents)
    return out


def learn_lexicon(per_doc) -> dict[str, float]:
    seen: Counter[str] = Counter()
    cue: Counter[str] = Counter()
    for sents in per_doc:
        for words, labels in sents:
            for w, y in zip(words, labels, strict=True):
                if not w[:1].isalpha():
                    continue
                seen[w.lower()] += 1
                cue[w.lower()] += y == 2
    return {w: round(cue[w] / n, 3) for w, n in seen.items() if n >= MIN_SEEN and cue[w] >= MIN_CUE}


def transitions(per_doc) -> list[list[float]]:
    """log P(label | previous label), row LABELS + start; add-one smoothed."""
    n = len(tagger.LABELS)
    counts = np.ones((n + 1, n))
    for sents in per_doc:
        for _, labels in sents:
            prev = n
            for y in labels:
                counts[prev, y] += 1
                prev = y
    return np.round(np.log(counts / counts.sum(axis=1, keepdims=True)), 4).tolist()


def matrix(per_doc, lexicon: dict[str, float]):
    rows, cols, ys = [], [], []
    r = 0
    for sents in per_doc:
        for words, labels in sents:
            for names in tagger.features(words, lexicon):
                idx = tagger.hashed(names)
                rows.extend([r] * len(idx))
                cols.extend(idx)
                r += 1
            ys.extend(labels)
    data = np.ones(len(rows), dtype=np.float32)
    x = sparse.csr_matrix((data, (rows, cols)), shape=(r, tagger.BUCKETS))
    x.sum_duplicates()
    return x, np.array(ys)


def fit(x, y, c: float) -> LogisticRegression:
    model = LogisticRegression(C=c, max_iter=300, solver="lbfgs")
    model.fit(x, y)
    return model


def cross_validate(per_doc, values: list[float]) -> None:
    folds = [per_doc[k::3] for k in range(3)]
    for c in values:
        ys, preds = [], []
        for k in range(3):
            train = [d for j, f in enumerate(folds) if j != k for d in f]
            lex = learn_lexicon(train)
            model = fit(*matrix(train, lex), c)
            x, y = matrix(folds[k], lex)
            ys.append(y)
            preds.append(model.predict(x))
        _, _, f, _ = precision_recall_fscore_support(
            np.concatenate(ys), np.concatenate(preds), labels=[1, 2, 3], zero_division=0
        )
        print(f"C={c}: token F1 source {f[0]:.3f} cue {f[1]:.3f} content {f[2]:.3f}", flush=True)


def sweep() -> None:
    from bench import attribution_eval as ev

    texts, gold = ev.load("train")
    texts = {k: texts[k] for k in sorted(texts)[::5]}
    for penalty in (0.0, 0.5, 1.0, 1.5, 2.0, 3.0):
        tagger.OUTSIDE_PENALTY = penalty
        f = ev.evaluate(texts, gold, ev.predict)
        print(
            f"penalty {penalty}: source F1 {f['source_exact_f1']:.3f}/{f['source_overlap_f1']:.3f}"
            f" content F1 {f['content_exact_f1']:.3f}/{f['content_overlap_f1']:.3f}"
            f" attributed {f['attributed_recall']:.3f}"
        )


def main() -> None:
    args = sys.argv[1:]
    if "--sweep" in args:
        sweep()
        return
    c = float(args[args.index("--c") + 1]) if "--c" in args else C
    per_doc = sentence_tokens(load_docs("train"))
    print(f"{sum(len(s) for s in per_doc)} sentences from {len(per_doc)} articles", flush=True)
    if "--cv" in args:
        cross_validate(per_doc, [0.1, 0.5, 2.0])
    lexicon = learn_lexicon(per_doc)
    model = fit(*matrix(per_doc, lexicon), c)
    weights = model.coef_.T.astype(np.float16)  # (BUCKETS, labels)
    np.savez_compressed(
        OUT / "attribution.npz", weights=weights, bias=model.intercept_.astype(np.float32)
    )
    meta = {
        "about": "Attribution tagger: cue lexicon learned from PolNeAR train "
        "(scripts/train_attribution.py); weights in attribution.npz.",
        "labels": list(tagger.LABELS),
        "buckets": tagger.BUCKETS,
        "c": c,
        "transitions": transitions(per_doc),
        "lexicon": dict(sorted(lexicon.items())),
    }
    (OUT / "attribution.json").write_text(json.dumps(meta, indent=0) + "\n", encoding="utf-8")
    print(f"lexicon {len(lexicon)} words; wrote {OUT / 'attribution.npz'}")


if __name__ == "__main__":
    main()
