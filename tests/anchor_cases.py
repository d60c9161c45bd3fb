"""Quote-anchoring cases: exact quotes, quotes with a few changed characters, absent quotes.

Built from the seed live blog and from texts written for these tests, with a fixed seed so the
figures are reproducible. Used by the test suite (a small sample) and bench/anchor_eval.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "ukraine-live-blog-2024-01-03.txt"

WRITTEN = [
    """The regional water authority said on Monday that the reservoir above Dalmont had fallen
to 38 per cent of capacity, its lowest level since records began in 1974. The authority's
chair, Ines Varga, told reporters that rationing would begin on 1 August unless rainfall
returned to the seasonal average. Farmers' groups disputed the figure, saying that an
independent survey commissioned by the Dalmont Growers' Association put the level closer to
45 per cent. "The authority is managing expectations, not water," said the association's
secretary, Pavel Horák. The environment ministry has promised a report within two weeks.""",
    """City hall announced that 1,200 new housing units would be completed by the end of the
year, double the number finished last year. Opposition councillors said only 430 of the
units had planning permission. According to the mayor's office, the remaining permissions
are expected in the autumn. A spokesperson for the builders' federation said rising material
costs had delayed three of the largest projects by at least six months. Tenants' unions
warned that rents in the central districts had risen by 14 per cent since January.""",
    """Health officials reported 312 new cases of measles in the northern provinces in the
past month, most of them in children under five. The deputy health minister, Amara Osei,
said vaccination teams had reached 85 per cent of the target population. A charity running
clinics in the region said the real coverage was lower, citing its own records from 40
villages. "We see mothers walking two days to reach us," one nurse said. The ministry said
a second vaccination round would start next week with support from the WHO.""",
    """Police said 23 people were detained after clashes outside the stadium on Saturday night.
Witnesses described officers using tear gas on supporters leaving the ground. The club's
chairman blamed a small group of fans who, he said, had travelled without tickets. A
supporters' trust said the trouble began when gates were closed early without warning and
called for an independent inquiry. The interior ministry said it would review footage from
the stadium's cameras before deciding whether to open one.""",
]

# Sentences that appear in none of the documents: their quotes must not be found.
ABSENT = [
    "The finance minister resigned on Thursday after a vote of no confidence in parliament.",
    "Scientists at the observatory said the comet would be visible to the naked eye in March.",
    "The airline cancelled 140 flights because of a strike by air traffic controllers.",
    "Exports of grain through the Black Sea corridor rose to 4 million tonnes last month.",
    "A court in the capital sentenced the former mayor to six years for embezzlement.",
    "The central bank raised its main interest rate by half a percentage point to 5.75%.",
    "Rescue teams pulled eleven survivors from the rubble of the collapsed apartment block.",
    "The museum returned 32 looted bronzes to the government of Nigeria in a ceremony.",
    "Wildfires have burned more than 20,000 hectares of forest in the south since June.",
    "The ceasefire was broken within hours, according to observers from the monitoring mission.",
    "Turnout in the regional elections reached 61 per cent, the highest in two decades.",
    "The company said it would cut 3,000 jobs as part of a restructuring plan announced today.",
    "Protesters blocked the main highway into the city for a third consecutive day on Sunday.",
    "The vaccine was approved for use in children aged six months and older by the regulator.",
    "An earthquake of magnitude 6.1 struck off the coast early on Tuesday, officials said.",
    "The treaty was signed by 48 countries but has not yet been ratified by the parliament.",
]


def documents() -> list[str]:
    texts = [t.replace("\n", " ") for t in WRITTEN]
    if SEED.exists():
        texts.insert(0, SEED.read_text("utf-8"))
    return texts


@dataclass(frozen=True)
class Case:
    text: str
    quote: str
    start: int
    """Where the quote really starts (-1 when it is not in the text)."""
    kind: str
    """`exact`, `changed` or `absent`."""


def _unique_span(rng: random.Random, text: str, length: int) -> tuple[int, int] | None:
    for _ in range(50):
        start = rng.randrange(0, max(1, len(text) - length))
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        end = min(len(text), start + length)
        quote = text[start:end]
        if len(quote.strip()) >= 12 and text.count(quote) == 1:
            return start, end
    return None


def _mutate(rng: random.Random, quote: str, edits: int) -> str:
    chars = list(quote)
    for _ in range(edits):
        i = rng.randrange(1, len(chars) - 1)
        op = rng.choice(("sub", "del", "ins"))
        letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
        if op == "sub":
            chars[i] = letter if chars[i] != letter else "x"
        elif op == "del":
            del chars[i]
        else:
            chars.insert(i, letter)
    return "".join(chars)


def cases(n: int, seed: int = 7) -> list[Case]:
    rng = random.Random(seed)
    docs = documents()
    out: list[Case] = []
    for i in range(n):
        text = docs[i % len(docs)]
        length = rng.choice((20, 40, 60, 100, 160, 300))
        span = _unique_span(rng, text, length)
        if span is None:
            continue
        start, end = span
        quote = text[start:end]
        out.append(Case(text, quote, start, "exact"))
        if len(quote) >= 30:
            changed = _mutate(rng, quote, rng.choice((1, 2, 3)))
            if changed not in text:
                out.append(Case(text, changed, start, "changed"))
        absent = rng.choice(ABSENT)
        cut = rng.randrange(0, len(absent) // 3)
        out.append(Case(text, absent[cut:], -1, "absent"))
    return out


def score(found_cases: list[tuple[Case, object]]) -> dict[str, float]:
    """The three figures: exact found exactly at the right place; changed found nearby, not
    exact; absent wrongly found."""
    totals = {"exact": 0, "changed": 0, "absent": 0}
    good = {"exact": 0, "changed": 0, "absent": 0}
    for case, found in found_cases:
        totals[case.kind] += 1
        f = found  # an anchor.Anchor
        if case.kind == "exact":
            good["exact"] += bool(f.exact and f.start == case.start)  # type: ignore[attr-defined]
        elif case.kind == "changed":
            good["changed"] += bool(
                f.found and not f.exact and abs(f.start - case.start) <= 5  # type: ignore[attr-defined]
            )
        else:
            good["absent"] += bool(f.found)  # type: ignore[attr-defined]
    return {
        "exact_found_exactly": good["exact"] / max(1, totals["exact"]),
        "changed_found_nearby": good["changed"] / max(1, totals["changed"]),
        "absent_false_positives": good["absent"] / max(1, totals["absent"]),
        **{f"n_{k}": float(v) for k, v in totals.items()},
    }
