"""Attribution: source, cue and content of reported statements, on texts written for the tests."""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

import pytest

from tests.news_corpus import CORPUS, NewsText
from verify.ingest import attribution, pipeline


def _spoken(text: str) -> list[tuple[str | None, str, str]]:
    """(speaker, cue, content) of each attribution in a text."""
    return [
        (f.speaker, f.verb, text[f.content[0] : f.content[1]] if f.content else "")
        for f in attribution.find(text)
    ]


def test_two_attributions_in_one_sentence_are_two_statements() -> None:
    text = (
        "The regional governor said a drone hit the school, while the defence ministry "
        "attributed the damage to falling debris."
    )
    found = _spoken(text)
    assert [(s, c) for s, c, _ in found] == [
        ("The regional governor", "said"),
        ("the defence ministry", "attributed"),
    ]
    assert "drone hit the school" in found[0][2] and "ministry" not in found[0][2]
    assert found[1][2].startswith("the damage to falling debris")


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("The president, who is travelling to the region, said: “We will not leave.”",
         "The president"),
        ("“We will rebuild,” the mayor said.", "the mayor"),
        ("The strike hit a school, according to regional governor Oleh Synehubov.",
         "regional governor Oleh Synehubov"),
        ("Kira Rudik, a member of parliament, posted: the strikes went on all night.",
         "Kira Rudik"),
        ("The head of the army, Gen. Ivo Marr, said the drones were downed.", "Gen. Ivo Marr"),
    ],
)  # fmt: skip
def test_the_speaker_is_the_noun_phrase(text: str, speaker: str) -> None:
    assert _spoken(text)[0][0] == speaker


@pytest.mark.parametrize(
    "text",
    [
        "No casualties are reported so far.",
        "There were conflicting reports about whether the bridge was hit.",
        "Prices rose 4% in March.",
    ],
)
def test_no_speaker_where_nobody_speaks(text: str) -> None:
    assert all(s is None for s, _, _ in _spoken(text))


def test_a_quotation_carried_on_keeps_its_speaker() -> None:
    text = (
        "“We have lost the bridge and two villages,” the commander said. “Nobody will "
        "admit it, but the line has moved ten kilometres in a week.”"
    )
    (found,) = attribution.find(text)
    assert found.speaker == "the commander"
    assert found.content is not None and text[: found.content[1]].endswith("in a week.”")


@pytest.mark.parametrize("news", CORPUS, ids=lambda n: n.style)
def test_news_corpus_speakers(news: NewsText) -> None:
    analysis = pipeline.extract(news.text, threshold=0.0)
    for start, speaker in news.speakers.items():
        cand = next(c for c in analysis.candidates if c.text.startswith(start))
        assert cand.speaker == speaker, start
        if speaker:
            assert cand.cue and news.text[cand.cue[0] : cand.cue[1]].strip()
            assert cand.content_span and cand.content_span[1] > cand.content_span[0]


@pytest.mark.parametrize("news", CORPUS, ids=lambda n: n.style)
def test_news_corpus_competing_accounts(news: NewsText) -> None:
    analysis = pipeline.extract(news.text, threshold=0.0)

    def group_of(start: str) -> str:
        return next(c.group for c in analysis.candidates if c.text.startswith(start))

    for a, b in news.groups:
        assert group_of(a) == group_of(b), (a, b)
    for a, b in news.apart:
        assert group_of(a) != group_of(b), (a, b)


def _work(text: str) -> int:
    """Lines of verify's ingest code run to attribute a text: a cost that does not depend on
    the machine's speed or load."""
    count = 0

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if "verify/ingest" not in frame.f_code.co_filename.replace("\\", "/"):
            return None
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        attribution.find(text)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("filler", [" ", ", ", " ,\t", "“ "])
def test_cost_grows_linearly_with_runs_of_spaces_and_commas(
    filler: str,
) -> None:
    def text(n: int) -> str:
        return (
            f"Officials said {filler * n} the mayor, who{filler * n} said the bridge fell. "
            + "He said, she said, " * n
        )

    attribution.find(text(10))  # load the model outside the count
    small, large = _work(text(200)), _work(text(400))
    assert large <= 2.2 * small


def test_one_speaker_is_one_source_across_documents(cli, tmp_path) -> None:
    from verify.models import SourceKind
    from verify.store import Store

    cb = ["--casebook", str(tmp_path / "c.casebook")]
    first = tmp_path / "first.txt"
    second = tmp_path / "second.txt"
    first.write_text(
        "The Defence Ministry said on Monday that 40 drones were shot down over Kestrel "
        "overnight, and officials said no one was hurt.",
        "utf-8",
    )
    second.write_text(
        "Three people were injured in Kestrel when debris fell on a market, "
        "the defence ministry said on Tuesday.",
        "utf-8",
    )
    for path in (first, second):
        assert cli("ingest", str(path), *cb).code == 0
    with Store.open(tmp_path / "c.casebook") as s:
        sources = {src.name.lower(): src for src in s.sources()}
    ministry = [src for name, src in sources.items() if "defence ministry" in name]
    assert len(ministry) == 1 and ministry[0].kind == SourceKind.organisation
    assert any(src.kind == SourceKind.unnamed_official for src in sources.values())


def test_a_second_article_adds_its_accounts_to_the_existing_claim(cli, tmp_path) -> None:
    from verify.store import Store

    cb = ["--casebook", str(tmp_path / "c.casebook")]
    first = tmp_path / "wire.txt"
    first.write_text(
        "KESTREL, May 2 (Wire) - A missile struck the central bus station in Kestrel on "
        "Friday, killing seven people, regional governor Anselm Toriv said.\n\n"
        "Grain exports through the port of Lisk rose 12 percent in April, according to the "
        "harbour authority.",
        "utf-8",
    )
    second = tmp_path / "evening-paper.txt"
    second.write_text(
        "The defence ministry in Ostrava denied on Saturday that its forces had struck the bus "
        "station in Kestrel and said the seven deaths were caused by a fuel tanker that "
        "exploded in the station yard.",
        "utf-8",
    )
    other = tmp_path / "market-fire.txt"
    other.write_text(
        "Firefighters said a blaze destroyed 40 stalls at the Kestrel flower market on "
        "Sunday night and that no one was hurt.",
        "utf-8",
    )
    assert cli("ingest", str(first), *cb).code == 0
    res = cli("ingest", str(second), "--json", *cb).json_lines()[0]
    assert res["claims"] == [] and res["attached"] == 1
    res = cli("ingest", str(other), "--json", *cb).json_lines()[0]
    assert res["attached"] == 0 and len(res["claims"]) == 1
    with Store.open(tmp_path / "c.casebook") as s:
        (strike,) = [
            s.get_claim(r.id) for r in s.summaries(status="proposed") if "bus station" in r.text
        ]
        speakers = [s.get_source(a.source_id).name for a in strike.accounts]  # type: ignore[arg-type]
    assert speakers == ["regional governor Anselm Toriv", "The defence ministry in Ostrava"]
    assert strike.accounts[1].statement.startswith("The defence ministry in Ostrava denied")


def test_extract_json_gives_cue_and_content_spans(cli, tmp_path) -> None:
    text = (
        "The regional governor said a drone hit the school in Marsk on Monday, while the "
        "defence ministry attributed the damage to falling debris from an intercepted missile."
    )
    src = tmp_path / "wire.txt"
    src.write_text(text, "utf-8")
    out = cli("extract", str(src), "--json")
    assert out.code == 0, out.err
    rows = out.json_lines()
    assert len(rows) == 2
    for row in rows:
        # The contract's fields stay; cue and content_span are added.
        assert {"text", "span", "speaker", "verb", "anonymous", "score", "group"} <= set(row)
        start, end = row["span"]
        assert text[start:end] == row["text"]
        cue = text[row["cue"][0] : row["cue"][1]]
        content = text[row["content_span"][0] : row["content_span"][1]]
        assert start <= row["cue"][0] < row["cue"][1] <= end
        assert cue in row["text"] and content in row["text"] and cue not in content
    cues = [text[r["cue"][0] : r["cue"][1]] for r in rows]
    assert cues == ["said", "attributed"]
    assert rows[0]["group"] == rows[1]["group"]
