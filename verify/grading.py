"""Admiralty grades and the Analysis of Competing Hypotheses over a claim's accounts."""

from __future__ import annotations

from dataclasses import dataclass, field

from verify.models import Claim, Evidence, Source, Stance
from verify.scale import NO_SUFFICIENCY_LABELS

SOURCE_GRADES = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
INFO_GRADES = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}

# How much a rating counts against an account (ACH scores inconsistency only: evidence that
# fits several accounts says little, evidence that contradicts one says a lot).
_INCONSISTENCY = {
    Stance.strongly_inconsistent: -2.0,
    Stance.inconsistent: -1.0,
}
# Weights: a confirmed item from a completely reliable source counts fully; an item whose
# truth or source cannot be judged still counts, but a quarter as much.
_SOURCE_WEIGHT = {"A": 1.0, "B": 0.85, "C": 0.7, "D": 0.5, "E": 0.3, "F": 0.5}
_INFO_WEIGHT = {1: 1.0, 2: 0.85, 3: 0.7, 4: 0.5, 5: 0.3, 6: 0.5}

STANCE_MARKS = {
    Stance.strongly_consistent: "++",
    Stance.consistent: "+",
    Stance.neutral: "0",
    Stance.inconsistent: "−",
    Stance.strongly_inconsistent: "−−",
}


def grade_code(source_grade: str | None, credibility: int | None) -> str:
    """`B2`-style code; `F6` parts stand in for what is not graded."""
    return f"{source_grade or 'F'}{credibility or 6}"


def grade_label(source_grade: str, credibility: int) -> str:
    return f"{SOURCE_GRADES[source_grade]}, {INFO_GRADES[credibility]}"


def evidence_weight(ev: Evidence, source: Source | None) -> float:
    return _SOURCE_WEIGHT[source.grade if source else "F"] * _INFO_WEIGHT[ev.credibility]


@dataclass(frozen=True)
class AchRow:
    evidence_id: str
    ratings: dict[str, Stance]
    weight: float
    diagnostic: bool


@dataclass(frozen=True)
class AchResult:
    accounts: list[str]
    rows: list[AchRow]
    scores: dict[str, float]
    """Weighted inconsistency per account: 0 is best, more negative is worse."""
    suggested: str | None
    """The account with the least inconsistency, when one stands out; a suggestion only."""
    least: list[str] = field(default_factory=list)
    """The accounts with the least evidence against them, when the evidence sets them apart
    from the rest (one, or several tied); empty when every account has as much against it."""

    def against(self, account_id: str) -> float:
        """Weighted evidence against the account, as a count: 0 is none, more is worse."""
        return abs(self.scores[account_id])


def ach(claim: Claim, sources: dict[str, Source]) -> AchResult:
    account_ids = [a.id for a in claim.accounts]
    rows: list[AchRow] = []
    scores = dict.fromkeys(account_ids, 0.0)
    for ev in claim.evidence:
        ratings = {aid: ev.stances.get(aid, Stance.neutral) for aid in account_ids}
        weight = evidence_weight(ev, sources.get(ev.source_id or ""))
        diagnostic = len(set(ratings.values())) > 1
        rows.append(AchRow(ev.id, ratings, weight, diagnostic))
        for aid, stance in ratings.items():
            scores[aid] += _INCONSISTENCY.get(stance, 0.0) * weight
    rounded = {k: round(v, 3) for k, v in scores.items()}
    # Heuer: the account with the least evidence against it is the most likely; evidence
    # for an account does not count, since it usually fits the others too.
    least: list[str] = []
    if len(account_ids) > 1:
        best = max(rounded.values())
        leaders = [a for a in account_ids if rounded[a] == best]
        if len(leaders) < len(account_ids):
            least = leaders
    suggested = least[0] if len(least) == 1 else None
    return AchResult(account_ids, rows, rounded, suggested, least)


def _numbers(result: AchResult, ids: list[str]) -> str:
    n = [str(result.accounts.index(a) + 1) for a in ids]
    if len(n) == 1:
        return f"account {n[0]}"
    return f"accounts {', '.join(n[:-1])} and {n[-1]}"


def ach_summary(result: AchResult) -> str:
    """What the weighed accounts say, in words; accounts by their number (1 = first)."""
    if len(result.accounts) < 2:
        return "ACH weighs competing accounts: add a second account to compare."
    if not result.rows:
        return "No evidence yet."
    if not result.least:
        against = result.against(result.accounts[0])
        if against == 0:
            return (
                "No evidence against any account yet, so none stands out: ACH weighs the "
                "evidence against each account, not the evidence for it."
            )
        return f"Every account has the same evidence against it ({against:.2f}): none stands out."
    least = result.against(result.least[0])
    them = {1: "it", 2: "either"}.get(len(result.least), "any of them")
    amount = f"none against {them}" if least == 0 else f"{least:.2f}"
    others = [a for a in result.accounts if a not in result.least]
    more = ", ".join(
        f"account {result.accounts.index(a) + 1} ({result.against(a):.2f})"
        for a in sorted(others, key=result.against)
    )
    return (
        f"Least evidence against: {_numbers(result, result.least)} ({amount}); "
        f"more against: {more}. A suggestion from the ratings, not a verdict."
    )


def weights_explained() -> str:
    """How an item's rating becomes evidence against an account, for people to check."""
    return (
        "Evidence against: each item strongly inconsistent with an account counts 2, "
        "inconsistent 1, anything else 0, times its weight: source reliability "
        + ", ".join(f"{g} {w:g}" for g, w in _SOURCE_WEIGHT.items())
        + " × information credibility "
        + ", ".join(f"{c} {w:g}" for c, w in _INFO_WEIGHT.items())
        + ". ACH favours the account with the least evidence against it."
    )


def independent_sources(claim: Claim, sources: dict[str, Source]) -> int:
    """How many independent sources back the evidence: distinct by source and publisher."""
    seen_sources: set[str] = set()
    seen_publishers: set[str] = set()
    count = 0
    for ev in claim.evidence:
        src = sources.get(ev.source_id or "")
        if src is None:
            continue
        publisher = (src.publisher or src.name).strip().lower()
        if src.id in seen_sources or publisher in seen_publishers:
            continue
        seen_sources.add(src.id)
        seen_publishers.add(publisher)
        count += 1
    return count


def needs_confirmation(claim: Claim, label: str, sources: dict[str, Source]) -> bool:
    """True when a verdict would rest on fewer than two independent sources."""
    return label not in NO_SUFFICIENCY_LABELS and independent_sources(claim, sources) < 2
