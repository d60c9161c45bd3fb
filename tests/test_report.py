"""Reports: the markdown an editor reads, and ClaimReview for publishing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.conftest import REPO, tui_app
from verify.models import Account, Claim, ClaimStatus, Verdict
from verify.report import markdown
from verify.store import Store

GOLDEN = REPO / "casebook" / "sample-report.md"
DECIDED = {"c-2zjgpgfw", "c-zx22sxj4", "c-v7naswc8"}


def render(md: str) -> str:
    # GitHub-flavoured enough: tables on, raw HTML allowed (as GitHub allows some).
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(md)


def test_sample_report_matches_the_committed_one(cli, sample_path: Path) -> None:
    out = cli("export", "--format", "md", "--casebook", str(sample_path))
    assert out.code == 0
    assert out.out == GOLDEN.read_text("utf-8"), (
        "the exporter's output for the sample changed: if on purpose, regenerate with "
        "`python scripts/build_sample.py` and review the diff"
    )


def test_report_has_what_an_editor_needs(sample_path: Path) -> None:
    with Store.open(sample_path) as s:
        html = render(markdown.claim_report(s, s.get_claim("c-2zjgpgfw")))
    assert "<h1>Ukrainian attacks killed 25 people" in html
    assert "<strong>DISPUTED</strong>: Credible sources give competing accounts" in html
    # The three accounts side by side: one table, a column each.
    accounts_table = html.split("<table>")[1]
    assert accounts_table.count("<th>") == 4 and "Account 3" in accounts_table
    assert "Vyacheslav Gladkov, Belgorod governor (D: not usually reliable)" in accounts_table
    for part in (
        "retrieved 2024-01-03",
        "sha256 <code>172f9549b8fb</code>",
        "quote exact",
        "<strong>C3</strong>",
        "Weighted inconsistency",
        "<h2>Rationale</h2>",
        "<h2>History</h2>",
        "<td>verdict</td>",
    ):
        assert part in html, part


HOSTILE = [
    "<script>alert(1)</script> killed 5",
    "[click me](javascript:alert(1)) and ![x](http://tracker.example/p.png)",
    "| a | b | broke the table",
    "# Not a heading ## and **not bold** `not code` ~~not struck~~",
    "\x1b[31mred\x1b[0m \u202eevil <img src=x onerror=alert(1)>",
    "1. not a list\n\n- nor this\n\n> nor a quote",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_untrusted_text_cannot_change_the_report(store: Store, text: str) -> None:
    now = store.clock()
    store.add_claim(
        Claim(
            id="c-evil",
            text=text,
            claimant=text,
            tags=[text],
            status=ClaimStatus.decided,
            accounts=[Account(id="a-1", statement=text), Account(id="a-2", statement="plain")],
            verdict=Verdict(label="false", rationale=text, reviewer=text, at=now),
            created=now,
            updated=now,
        )
    )
    report = markdown.casebook_report(store)
    html = render(report)
    assert (
        "<script" not in html
        and "<img" not in html
        and "javascript:" not in html.replace("javascript:alert(1)", "")
    )  # the words may show, never as a link
    assert 'href="javascript' not in html and "<strong>not bold" not in html
    assert "<code>not code" not in html and "<del>" not in html and "<blockquote>" not in html
    assert "\x1b" not in report and "\u202e" not in report
    # Structure unchanged: the same headings and table shapes as for a plain claim.
    assert html.count("<h1>") == 1 and html.count("<h2>") == 3  # summary, contents, claim
    rows = [r for r in html.split("<tr>")[1:]]
    for row in rows:
        cells = row.count("<td>") + row.count("<th>")
        assert cells in (2, 3, 5), row


def test_claimreview_for_every_decided_claim(cli, sample_path: Path) -> None:
    cli("config", "set", "publisher.name", "Desk of Record", "--casebook", str(sample_path))
    out = cli("export", "--format", "claimreview", "--casebook", str(sample_path))
    reviews = json.loads(out.out)
    assert {r["url"].rsplit("/", 1)[-1] for r in reviews} == DECIDED
    for r in reviews:
        assert r["@type"] == "ClaimReview" and r["@context"] == "https://schema.org"
        assert r["claimReviewed"] and r["datePublished"] and r["url"].startswith("https://")
        assert r["author"]["name"] == "Desk of Record"
        rating = r["reviewRating"]
        assert {"bestRating", "worstRating", "alternateName"} <= rating.keys()
        item = r["itemReviewed"]
        assert item["@type"] == "Claim" and item["author"]["name"] and item["datePublished"]
        assert item["appearance"][0]["headline"].startswith("Excerpts")


def test_rated_labels_carry_a_rating_value(cli, sample_path: Path) -> None:
    cb = ["--casebook", str(sample_path)]
    cli("verdict", "c-az7y8knn", "mostly-true", "--yes", *cb)
    reviews = json.loads(cli("export", "--format", "claimreview", "--claim", "c-az7y8knn", *cb).out)
    assert reviews[0]["reviewRating"]["ratingValue"] == 4
    assert reviews[0]["reviewRating"]["alternateName"] == "Mostly true"


def test_claimreview_round_trip_is_stable(cli, sample_path: Path, tmp_path: Path) -> None:
    first = cli("export", "--format", "claimreview", "--casebook", str(sample_path)).out
    feed = tmp_path / "feed.json"
    feed.write_text(first)
    other = ["--casebook", str(tmp_path / "other.casebook")]
    cli("config", "set", "publisher.name", "Sample Verification Desk", *other)
    cli("config", "set", "publisher.url", "https://verify.example/desk", *other)
    assert cli("import", str(feed), *other).code == 0
    again = cli("export", "--format", "claimreview", *other).out
    strip = lambda items: sorted(  # noqa: E731
        json.dumps({k: v for k, v in r.items() if k != "url"}, sort_keys=True) for r in items
    )
    assert strip(json.loads(again)) == strip(json.loads(first))
    urls = lambda items: sorted(r["url"] for r in items)  # noqa: E731
    assert urls(json.loads(again)) == urls(json.loads(first))


def test_single_claim_export_to_file(cli, sample_path: Path, tmp_path: Path) -> None:
    dest = tmp_path / "one.md"
    res = cli("export", "--claim", "c-65jxr4wr", "-o", str(dest), "--casebook", str(sample_path))
    assert res.code == 0 and "wrote" in res.err
    assert dest.read_text().startswith('<a name="c-65jxr4wr"></a>')
    bad = cli(
        "export", "--format", "claimreview", "--claim", "c-65jxr4wr", "--casebook", str(sample_path)
    )
    assert bad.code == 1 and "no verdict" in bad.err


async def test_tui_export_from_the_command_palette(sample_path: Path, tmp_path: Path) -> None:
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Export markdown")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        written = sample_path.with_name("sample-report.md")
        assert written.exists() and written.read_text().startswith("# Sample casebook")
        assert any(str(written) in str(n.message) for n in app._notifications)
