"""The markdown report keeps a reviewer's paragraphs and punctuation, and nothing is live."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from markdown_it import MarkdownIt

from verify.models import Account, Claim, Evidence, EvidenceKind, Stance, Verdict
from verify.report import markdown
from verify.store import Store

NOW = datetime(2024, 1, 3, tzinfo=UTC)


def _report(tmp_path: Path, rationale: str, note: str = "x", label: str = "false") -> str:
    with Store.open(tmp_path / "r.casebook") as store:
        store.add_claim(
            Claim(
                id="c-report1",
                text="Officials say see https://evil.example/a and www.evil.example",
                evidence=[
                    Evidence(id="e-1", kind=EvidenceKind.note, note=note, stances={}, added=NOW)
                ],
                verdict=Verdict(label=label, rationale=rationale, reviewer="r", at=NOW),
                created=NOW,
                updated=NOW,
            )
        )
        claim = store.get_claim("c-report1")
        return markdown.claim_report(store, claim)


def _html(report: str) -> str:
    return MarkdownIt("gfm-like").render(report)  # with linkify, as GitHub autolinks


def test_two_paragraphs_stay_two(tmp_path: Path) -> None:
    for sep in ("\n\n", "\r\n\r\n", "\r\r", "\u2029"):
        html = _html(_report(tmp_path, f"First reason.{sep}Second reason."))
        assert "<p>First reason.</p>" in html and "<p>Second reason.</p>" in html, sep
        (tmp_path / "r.casebook").unlink()


def test_a_numbered_paragraph_is_text_not_a_list_nor_a_backslash(tmp_path: Path) -> None:
    html = _html(_report(tmp_path, "1. The count was wrong.\n\n2) So was the date."))
    assert "<p>1. The count was wrong.</p>" in html and "<p>2) So was the date.</p>" in html
    assert "\\1" not in html and "<ol>\n<li>The count" not in html


def test_bare_urls_in_untrusted_text_are_not_links(tmp_path: Path) -> None:
    report = _report(tmp_path, "See https://evil.example/b and http://evil.example/c")
    html = _html(report)
    assert (
        "evil.example" in html
        and 'href="http' not in html
        and "href" not in html.replace('href="#', "")
    )


def test_a_note_ending_in_a_full_stop_is_not_doubled(tmp_path: Path) -> None:
    with Store.open(tmp_path / "n.casebook") as store:
        store.add_claim(
            Claim(
                id="c-note1",
                text="A dam broke.",
                accounts=[Account(id="a-1", statement="It broke.")],
                evidence=[
                    Evidence(
                        id="e-1",
                        kind=EvidenceKind.note,
                        note="Satellite images show the breach.",
                        stances={"a-1": Stance.consistent},
                        added=NOW,
                    )
                ],
                created=NOW,
                updated=NOW,
            )
        )
        report = markdown.claim_report(store, store.get_claim("c-note1"))
    assert "breach.." not in report and "breach. Bears on" in report


def test_a_label_cleaned_to_nothing_prints_no_empty_bold(tmp_path: Path) -> None:
    report = _report(tmp_path, "why", label="\x1b[2J")
    assert "****" not in report
