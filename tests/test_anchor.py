"""Quote anchoring, `verify quote`, Admiralty grades and the competing-accounts matrix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.anchor_cases import cases, score
from tests.cli_helpers import tamper
from tests.conftest import LIVEBLOG
from verify import anchor, grading
from verify.models import (
    Account,
    AnchorStatus,
    Claim,
    Evidence,
    EvidenceKind,
    Source,
    Stance,
    TextQuote,
)


def test_quality_on_seed_and_written_texts() -> None:
    found = [(c, anchor.locate(c.text, TextQuote(exact=c.quote))) for c in cases(150)]
    figures = score(found)
    assert figures["exact_found_exactly"] >= 0.98
    assert figures["changed_found_nearby"] >= 0.95
    assert figures["absent_false_positives"] <= 0.02


def test_selector_keeps_32_characters_of_context() -> None:
    text = LIVEBLOG.read_text("utf-8")
    start = text.index("14 people")
    quote, position = anchor.describe(text, start, start + 9)
    assert quote.exact == "14 people" and len(quote.prefix) == len(quote.suffix) == 32
    assert (position.start, position.end) == (start, start + 9)


def test_reanchoring_follows_an_edited_document() -> None:
    text = LIVEBLOG.read_text("utf-8")
    start = text.index("Merovo Mayor Lidia Ferenc")
    sel = anchor.selector_for("0" * 64, text, start, start + 60)
    # Text inserted before the passage: the stored position is stale, the exact text is not.
    moved = "CORRECTION: an earlier version misnamed a region.\n" + text
    again = anchor.reanchor(sel, moved)
    assert again.status is AnchorStatus.exact
    assert again.position is not None and again.position.start == start + 50
    # A word of the passage changed: found approximately, near the right place.
    edited = moved.replace("Lidia Ferenc", "Lidia Ferenz")
    fuzzy = anchor.reanchor(sel, edited)
    assert fuzzy.status is AnchorStatus.fuzzy and 90 <= fuzzy.score < 100
    assert fuzzy.position is not None and abs(fuzzy.position.start - (start + 50)) <= 3
    # The passage removed: not found.
    gone = anchor.reanchor(sel, moved.replace(text[start : start + 60], ""))
    assert gone.status is AnchorStatus.not_found


def test_repeated_quote_is_told_apart_by_context() -> None:
    text = "Alpha said: the count is 12. Beta said: the count is 12. Gamma agreed."
    second = text.index("the count is 12", 20)
    quote = TextQuote(exact="the count is 12", prefix="Beta said: ", suffix=". Gamma")
    assert anchor.locate(text, quote).start == second


def test_quote_cli_catches_a_misquote(cli, tmp_path: Path) -> None:
    src = LIVEBLOG
    exact = cli(
        "quote",
        "--source",
        str(src),
        "--quote",
        "air defences intercepted 41 of 47 drones overnight",
        "--json",
    ).json_lines()[0]
    text = src.read_text("utf-8")
    assert exact["found"] and exact["exact"] and exact["score"] == 100
    assert (
        text[exact["start"] : exact["end"]] == "air defences intercepted 41 of 47 drones overnight"
    )
    misquote = cli(
        "quote",
        "--source",
        str(src),
        "--quote",
        "air defences intercepted 44 of 47 drones overnight",
        "--json",
    ).json_lines()[0]
    assert misquote["found"] and not misquote["exact"] and misquote["score"] < 100
    assert abs(misquote["start"] - exact["start"]) <= 3
    human = cli("quote", "--source", str(src), "--quote", "intercepted 44 of 47")
    assert human.code == 0 and "approximate" in human.out
    missing = cli("quote", "--source", str(src), "--quote", "The moon landing was staged.")
    assert missing.code == 1 and "not found" in missing.out


def test_quote_cli_reads_json_lines(cli) -> None:
    lines = (
        "\n".join(
            json.dumps(x)
            for x in [
                {"id": "a", "quote": "killed by Kalvarian shelling"},
                {"id": "b", "quote": "killed by Kalvarain shelling"},
                {"id": "c", "quote": "nothing like this appears anywhere in it at all"},
            ]
        )
        + "\n"
    )
    res = cli("quote", "--source", str(LIVEBLOG), stdin=lines)
    rows = {r["id"]: r for r in res.json_lines()}
    assert rows["a"]["exact"] and rows["b"]["found"] and not rows["b"]["exact"]
    assert not rows["c"]["found"] and rows["c"]["start"] is None


@pytest.mark.parametrize(
    "args, message",
    [
        (["--quote", ""], "the quote is empty"),
        (["--quote", "x" * 10_000], "longer than the source"),
    ],
)
def test_quote_cli_bad_quotes(cli, args, message) -> None:
    res = cli("quote", "--source", str(LIVEBLOG), *args)
    assert res.code == 1 and message in res.err


def test_quote_cli_bad_sources(cli, tmp_path: Path) -> None:
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    assert "NUL bytes" in cli("quote", "--source", str(binary), "--quote", "x").err
    assert "cannot read" in cli("quote", "--source", str(tmp_path / "no"), "--quote", "x").err


def test_grade_codes_and_labels() -> None:
    assert grading.grade_code("B", 2) == "B2"
    assert grading.grade_label("A", 1) == "completely reliable, confirmed by other sources"
    assert grading.SOURCE_GRADES["F"] == "reliability cannot be judged"
    assert grading.INFO_GRADES[6] == "truth cannot be judged"


def _claim(evidence: list[Evidence]) -> Claim:
    from datetime import UTC, datetime

    now = datetime(2024, 1, 3, tzinfo=UTC)
    return Claim(
        id="c-ach",
        text="Who caused the deaths?",
        created=now,
        updated=now,
        accounts=[
            Account(id="a-one", statement="Strike"),
            Account(id="a-two", statement="Air defence"),
        ],
        evidence=evidence,
    )


def _ev(ident: str, source: str, cred: int, one: Stance, two: Stance) -> Evidence:
    from datetime import UTC, datetime

    return Evidence(
        id=ident,
        kind=EvidenceKind.note,
        note="x",
        source_id=source,
        credibility=cred,
        stances={"a-one": one, "a-two": two},
        added=datetime(2024, 1, 3, tzinfo=UTC),
    )


def test_ach_scores_weighs_and_suggests() -> None:
    sources = {
        "s-a": Source(id="s-a", name="Agency", grade="A", publisher="Agency"),
        "s-e": Source(id="s-e", name="Blog", grade="E", publisher="Blog"),
    }
    claim = _claim(
        [
            _ev("e-1", "s-a", 1, Stance.strongly_inconsistent, Stance.consistent),
            _ev("e-2", "s-e", 5, Stance.consistent, Stance.inconsistent),
            _ev("e-3", "s-a", 2, Stance.neutral, Stance.neutral),
        ]
    )
    result = grading.ach(claim, sources)
    assert result.scores["a-one"] == -2.0  # II from an A1 item counts fully
    assert result.scores["a-two"] == pytest.approx(-0.09)  # I from an E5 item counts 0.3*0.3
    assert result.suggested == "a-two"
    assert [r.diagnostic for r in result.rows] == [True, True, False]


def test_ach_suggests_nothing_on_a_tie() -> None:
    claim = _claim([_ev("e-1", "s-x", 3, Stance.neutral, Stance.neutral)])
    assert grading.ach(claim, {}).suggested is None


def test_sufficiency_counts_independent_sources() -> None:
    sources = {
        "s-1": Source(id="s-1", name="Reuters desk", publisher="Reuters"),
        "s-2": Source(id="s-2", name="Reuters Moscow", publisher="Reuters"),
        "s-3": Source(id="s-3", name="AP", publisher="AP"),
    }
    same = _claim(
        [
            _ev("e-1", "s-1", 2, Stance.neutral, Stance.neutral),
            _ev("e-2", "s-2", 2, Stance.neutral, Stance.neutral),
        ]
    )
    assert grading.independent_sources(same, sources) == 1
    assert grading.needs_confirmation(same, "false", sources)
    assert not grading.needs_confirmation(same, "unproven", sources)
    two = _claim([*same.evidence, _ev("e-3", "s-3", 2, Stance.neutral, Stance.neutral)])
    assert grading.independent_sources(two, sources) == 2
    assert not grading.needs_confirmation(two, "false", sources)


def test_check_reports_drift_and_damage(cli, sample_path: Path) -> None:

    from verify.store import Store

    with Store.open(sample_path) as s:
        claim = s.get_claim("c-2zjgpgfw")
        ev = claim.evidence[0]
        assert ev.selector is not None and ev.selector.position is not None
        pos = ev.selector.position
        moved = ev.selector.model_copy(
            update={"position": pos.model_copy(update={"start": pos.start + 1, "end": pos.end + 1})}
        )
        claim = claim.model_copy(
            update={"evidence": [ev.model_copy(update={"selector": moved}), *claim.evidence[1:]]}
        )
        s.save_claim(claim, "test.drift")
    res = cli("check", "--casebook", str(sample_path))
    assert res.code == 0 and "drift: claim c-2zjgpgfw evidence" in res.out
    tamper(sample_path, "DELETE FROM documents")
    res = cli("check", "--casebook", str(sample_path))
    assert res.code == 1 and "is missing" in res.out
