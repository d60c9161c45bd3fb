"""Train the check-worthiness model on ClaimBuster (../shared/eval/check-worthiness).

    pip install '.[train]' && python scripts/train_checkworthiness.py [--folds-seed N]
Prints 5-fold cross-validated precision, recall, F1 (positive class) and average precision of
the word model alone and of what ingest ships (the word model, with the encoder model averaged
in where verify.ingest.worthiness.to_rescore says, each test fold taken as one text), then fits
on all sentences and writes verify/data/checkworthiness.json: the vocabulary with idf and
coefficient per feature, and the encoder model's standardisation and coefficients.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "eval" / "check-worthiness" / "claimbuster_train.json"
OUT = ROOT / "verify" / "data" / "checkworthiness.json"

from verify import embed  # noqa: E402
from verify.ingest.worthiness import (  # noqa: E402
    CHAR_RANGE,
    WORD_RANGE,
    combine,
    prepare_chars,
    prepare_words,
    to_rescore,
)

C = 3.0
ENCODER_C = 0.005
"""Strong regularisation: 2,304 dense features, 8,000 sentences."""


def pipeline() -> object:
    words = TfidfVectorizer(
        preprocessor=prepare_words,
        ngram_range=WORD_RANGE,
        min_df=3,
        sublinear_tf=True,
        token_pattern=r"(?u)\b\w+\b",
    )
    chars = TfidfVectorizer(
        preprocessor=prepare_chars,
        analyzer="char_wb",
        ngram_range=CHAR_RANGE,
        min_df=10,
        sublinear_tf=True,
    )
    return make_pipeline(
        make_union(words, chars), LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
    )


def encoder_model() -> object:
    return make_pipeline(
        StandardScaler(),
        LogisticRegression(C=ENCODER_C, class_weight="balanced", max_iter=3000),
    )


def report(name: str, labels: np.ndarray, proba: np.ndarray) -> dict[str, float]:
    p, r, f, _ = precision_recall_fscore_support(labels, proba >= 0.5, average="binary")
    ap = average_precision_score(labels, proba)
    print(f"{name}: precision {p:.3f} recall {r:.3f} F1 {f:.3f} average precision {ap:.3f}")
    return {
        "precision": round(float(p), 4),
        "recall": round(float(r), 4),
        "f1": round(float(f), 4),
        "average_precision": round(float(ap), 4),
    }


def main() -> None:
    data = json.loads(DATA.read_text("utf-8"))
    texts = [d["text"] for d in data]
    labels = np.array([int(d["label"]) for d in data])
    print(f"encoding {len(texts)} sentences ...")
    states = embed.layer_means(texts)
    # --folds-seed N: the same cross-validation on another split, to see that the figures
    # do not depend on one lucky split; it writes nothing.
    seed = int(sys.argv[sys.argv.index("--folds-seed") + 1]) if "--folds-seed" in sys.argv else 0
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    word = cross_val_predict(pipeline(), texts, labels, cv=folds, method="predict_proba")[:, 1]
    enc = cross_val_predict(encoder_model(), states, labels, cv=folds, method="predict_proba")
    shipped = word.copy()
    rescored = 0
    for _, test in folds.split(texts, labels):
        chosen = [test[i] for i in to_rescore([float(word[j]) for j in test])]
        rescored += len(chosen)
        shipped[chosen] = [combine(word[i], enc[i, 1]) for i in chosen]
    print(f"5-fold CV on {len(texts)} sentences ({rescored} re-scored by the encoder):")
    report("word model alone", labels, word)
    figures = report("as shipped", labels, shipped)
    if seed:
        return
    model = pipeline()
    model.fit(texts, labels)  # type: ignore[attr-defined]
    union, clf = model[0], model[1]  # type: ignore[index]
    coef = clf.coef_[0]
    parts = []
    offset = 0
    for name, vec in union.transformer_list:
        vocab = vec.vocabulary_
        feats = {
            term: [round(float(vec.idf_[i]), 5), round(float(coef[offset + i]), 5)]
            for term, i in vocab.items()
        }
        parts.append({"name": name, "features": feats})
        offset += len(vocab)
    encoder = encoder_model()
    encoder.fit(states, labels)  # type: ignore[attr-defined]
    scaler, enc_clf = encoder[0], encoder[1]  # type: ignore[index]
    OUT.write_text(
        json.dumps(
            {
                "about": "Logistic regressions over word 1-2-grams and char 2-4-grams "
                "(tf-idf) and over the sentence encoder's layer means, trained on ClaimBuster "
                "sentences by scripts/train_checkworthiness.py.",
                "cross_validation": figures,
                "encoder": {
                    # Six significant digits, not decimals: some layer states vary by 1e-7.
                    "mean": [float(f"{v:.6g}") for v in scaler.mean_],
                    "scale": [float(f"{v:.6g}") for v in scaler.scale_],
                    "coef": [float(f"{v:.6g}") for v in enc_clf.coef_[0]],
                    "intercept": float(enc_clf.intercept_[0]),
                },
                "intercept": float(clf.intercept_[0]),
                "word": parts[0]["features"],
                "char": parts[1]["features"],
            },
            separators=(",", ":"),
            sort_keys=True,
        ),
        "utf-8",
    )
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
