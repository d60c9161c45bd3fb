"""ClaimReview JSON-LD safe to paste into a page; impossible dates never enter or leave."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.cli_helpers import tamper
from verify.models import Claim, Verdict, is_partial_date
from verify.store import Store

NOW = datetime(2024, 1, 3, tzinfo=UTC)
BREAKOUT = "</script><script>alert(1)</script><!--"


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.data: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.scripts += tag == "script"

    def handle_data(self, data) -> None:
        self.data.append(data)


def _book(tmp_path: Path, **extra) -> Path:
    path = tmp_path / "cr.casebook"
    with Store.open(path) as store:
        store.add_claim(
            Claim(
                id="c-hostile1",
                text=f"Claim {BREAKOUT} & more",
                claimant=f"Author {BREAKOUT}",
                verdict=Verdict(label="false", rationale=BREAKOUT, reviewer="r", at=NOW),
                extra=extra,
                created=NOW,
                updated=NOW,
            )
        )
    return path


def test_jsonld_cannot_break_out_of_its_script_element(cli, tmp_path: Path) -> None:
    book = _book(tmp_path)
    res = cli("export", "--format", "claimreview", "--casebook", str(book))
    assert res.code == 0, res.err
    assert "<" not in res.out and ">" not in res.out and "&" not in res.out
    page = f'<html><script type="application/ld+json">{res.out}</script><p>after</p></html>'
    parser = _Scripts()
    parser.feed(page)
    assert parser.scripts == 1
    # The embedded text is still the same JSON, with the same strings.
    data = json.loads(res.out)
    assert data[0]["claimReviewed"] == f"Claim {BREAKOUT} & more"
    assert data[0]["itemReviewed"]["author"]["name"] == f"Author {BREAKOUT}"


def test_only_web_addresses_are_exported(cli, tmp_path: Path) -> None:
    book = _book(
        tmp_path,
        url="javascript:alert(1)",
        appearance=[{"url": "data:text/html,x", "headline": "h"}, "https://ok.example/a"],
    )
    res = cli("export", "--format", "claimreview", "--casebook", str(book))
    assert res.code == 0
    data = json.loads(res.out)[0]
    assert "url" not in data
    assert data["itemReviewed"]["appearance"] == [
        {"headline": "h"},
        {"@type": "CreativeWork", "url": "https://ok.example/a"},
    ]
    assert "c-hostile1" in res.err and "javascript:" in res.err and "data:" in res.err


def test_only_web_addresses_are_imported(cli, tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    feed.write_text(
        json.dumps(
            [
                {
                    "@type": "ClaimReview",
                    "identifier": "cr-1",
                    "url": "javascript:alert(1)",
                    "claimReviewed": "The bridge was closed for a year.",
                    "itemReviewed": {
                        "@type": "Claim",
                        "appearance": [
                            {"@type": "CreativeWork", "url": "file:///etc/passwd"},
                            {"@type": "CreativeWork", "@id": "https://ok.example/b"},
                        ],
                    },
                }
            ]
        )
    )
    book = tmp_path / "in.casebook"
    res = cli("import", str(feed), "--format", "claimreview", "--casebook", str(book))
    assert res.code == 0, res.err
    assert "item 1" in res.err and "javascript:" in res.err and "file:" in res.err
    with Store.open(book) as store:
        (claim,) = list(store.iter_claims())
    assert "url" not in claim.extra
    assert claim.extra["appearance"] == [{"@type": "CreativeWork", "@id": "https://ok.example/b"}]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2023", True),
        ("2023-12", True),
        ("2024-02-29", True),
        ("2023-12-45", False),
        ("2023-02-29", False),
        ("2023-13", False),
        ("2023-00", False),
        ("2023-01-00", False),
        ("0000", False),
    ],
)
def test_dates_must_exist(value: str, ok: bool) -> None:
    assert is_partial_date(value) is ok
    if ok:
        Claim(id="c-d1", text="t", date=value, created=NOW, updated=NOW)
    else:
        with pytest.raises(ValidationError):
            Claim(id="c-d1", text="t", date=value, created=NOW, updated=NOW)


def test_an_impossible_date_is_refused_on_import(cli, tmp_path: Path) -> None:
    src = tmp_path / "d.jsonl"
    src.write_text(json.dumps({"id": "x1", "text": "A dam holds 4 GL.", "date": "2023-12-45"}))
    book = tmp_path / "d.casebook"
    res = cli("import", str(src), "--casebook", str(book))
    assert res.code == 1 and "2023-12-45" in res.err and res.err.count("\n") == 1
    feed = tmp_path / "cr.json"
    feed.write_text(
        json.dumps(
            {
                "@type": "ClaimReview",
                "claimReviewed": "A dam holds 4 GL.",
                "itemReviewed": {"@type": "Claim", "datePublished": "2023-12-45"},
            }
        )
    )
    res = cli("import", str(feed), "--format", "claimreview", "--casebook", str(book))
    assert res.code == 1 and "2023-12-45" in res.err


def test_check_flags_an_impossible_date_and_export_never_publishes_it(cli, tmp_path: Path) -> None:
    book = _book(tmp_path)
    tamper(
        book,
        "UPDATE claims SET body = json_set(body, '$.date', '2023-12-45') WHERE id='c-hostile1'",
    )
    res = cli("check", "--casebook", str(book))
    assert res.code == 1 and "c-hostile1" in res.out + res.err
    exported = cli("export", "--format", "claimreview", "--casebook", str(book))
    assert "2023-12-45" not in exported.out
