"""No escape sequence an adversary plants reaches the terminal, by any route.

Generated escape sequences (CSI, OSC 0 title, OSC 8 link, OSC 52 clipboard, one-byte C1
CSI/OSC, bare ESC) are planted in every untrusted field a casebook holds and in the files
verify reads; the CLI's stdout and stderr and the TUI's rendered screens must carry no ESC
byte and no C1 introducer.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import tui_app
from verify.models import Account, Claim, Settings, Source, Verdict
from verify.store import Store

FORBIDDEN = ("\x1b", "\x9b", "\x9d")
NOW = datetime(2024, 1, 3, tzinfo=UTC)

_payload = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12)
escape = st.one_of(
    st.builds(lambda p: f"\x1b[{p}m", _payload),
    st.builds(lambda p: f"\x1b]0;{p}\x07", _payload),
    st.builds(lambda p: f"\x1b]8;;https://evil.example/{p}\x1b\\link\x1b]8;;\x1b\\", _payload),
    st.builds(lambda p: f"\x1b]52;c;{p}\x07", _payload),
    st.builds(lambda p: f"\x9b{p}J", _payload),
    st.builds(lambda p: f"\x9d0;{p}\x9c", _payload),
    st.builds(lambda p: f"\x1b{p}", _payload),
    st.just("\x1bP1$r\x1b\\"),
)
hostile = st.builds(lambda a, e, b: f"{a}{e}{b}", _payload, escape, _payload)
ROUTES = settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))


def _clean(*texts: str) -> None:
    for text in texts:
        for ch in FORBIDDEN:
            assert ch not in text, (ch, text[:300])


def _hostile_book(path: Path, evil: str) -> None:
    with Store.open(path, actor=evil) as store:
        scale = store.settings().scale
        scale[0] = scale[0].model_copy(update={"description": evil})
        store.set_settings(Settings(name=evil, publisher_name=evil, publisher_url="", scale=scale))
        source = store.put_source(Source(id="s-evil1", name=evil, publisher=evil))
        store.add_claim(
            Claim(
                id="c-evil1",
                ref=evil,
                text=f"Claim {evil}",
                claimant=evil,
                topic=evil,
                tags=[evil],
                accounts=[Account(id="a-evil1", source_id=source.id, statement=evil)],
                verdict=Verdict(label=scale[0].label, rationale=evil, reviewer=evil, at=NOW),
                created=NOW,
                updated=NOW,
            )
        )
        store.add_claim(
            Claim(
                id="c-evil2",
                text=f"Other {evil}",
                verdict=Verdict(label=evil, rationale=evil, reviewer=evil, at=NOW),
                created=NOW,
                updated=NOW,
            )
        )
    _plant_behind_the_models(path, evil)


def _plant_behind_the_models(path: Path, evil: str) -> None:
    """Put `evil` back where entry cleaning took it out, the way a casebook written by an
    older verify holds it: output must be clean without relying on entry cleaning."""
    conn = sqlite3.connect(path)
    for claim_id, body in conn.execute("SELECT id, body FROM claims").fetchall():
        data = json.loads(body)
        data.update(text=f"Claim {evil}", claimant=evil, tags=[evil])
        data["verdict"].update(label=evil, rationale=evil, reviewer=evil)
        conn.execute(
            "UPDATE claims SET body = ?, text = ?, verdict = ?, tags = ?, ref = ? WHERE id = ?",
            (json.dumps(data), data["text"], evil, evil, evil, claim_id),
        )
    conn.execute("UPDATE sources SET name = ?", (evil,))
    row = conn.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
    settings_ = json.loads(row[0])
    settings_.update(name=evil, publisher_name=evil)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'settings'", (json.dumps(settings_),))
    conn.execute("UPDATE events SET actor = ?", (evil,))
    conn.commit()
    conn.close()


@ROUTES
@given(evil=hostile)
def test_cli_output_carries_no_escape(cli, tmp_path_factory, evil: str) -> None:
    folder = tmp_path_factory.mktemp("esc")
    book = folder / "evil.casebook"
    _hostile_book(book, evil)
    cb = ["--casebook", str(book)]
    for argv in (
        ["list"],
        ["show", "c-evil1"],
        ["show", "c-evil2"],
        ["match", "Claim"],
        ["check"],
        ["config", "get"],
        ["export"],
        ["export", "--format", "claimreview"],
        ["export", "--format", "json"],
        ["verdict", "c-evil1", evil],
        ["show", evil],
    ):
        res = cli(*argv, *cb)
        _clean(res.out, res.err)


@ROUTES
@given(evil=hostile)
def test_imported_and_ingested_names_carry_no_escape(cli, tmp_path_factory, evil: str) -> None:
    folder = tmp_path_factory.mktemp("imp")
    book = folder / "in.casebook"
    feed = folder / "feed.json"
    feed.write_text(
        json.dumps(
            {
                "@type": "ClaimReview",
                "identifier": evil,
                "claimReviewed": f"The bridge {evil} was closed.",
                "author": {"name": evil},
                "reviewRating": {"alternateName": evil},
                "itemReviewed": {"@type": "Claim", "author": {"name": evil}},
            }
        )
    )
    text = folder / "article.txt"
    text.write_text(f"{evil} Minister said 25 people died in the strike on Monday.\n")
    for argv in (["import", str(feed)], ["ingest", str(text)]):
        res = cli(*argv, "--casebook", str(book))
        _clean(res.out, res.err)
    with Store.open(book) as store:
        for claim in store.iter_claims():
            _clean(claim.claimant)
            if claim.ref:  # from the ClaimReview feed: cleaned as it entered
                _clean(claim.text, claim.ref, json.dumps(claim.extra, ensure_ascii=False))
        for source in store.sources():
            _clean(source.name)
    listed = cli("list", "--casebook", str(book))
    _clean(listed.out, listed.err)


async def _screens(app, pilot) -> list[str]:
    """The rendered main screen and every screen and dialog a reviewer opens."""
    shots = [app.export_screenshot()]
    for keys in (["v"], ["m"], ["d"], ["question_mark"], ["r"]):
        await pilot.press(*keys)
        await pilot.pause()
        shots.append(app.export_screenshot())
        await pilot.press("escape")
        await pilot.pause()
    return shots


async def _render_all(book: Path, folder: Path, evil: str) -> list[str]:
    app = tui_app(book, folder)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        shots = await _screens(app, pilot)
        app.notify(f"message {evil}", title=evil)
        await pilot.pause()
        shots.append(app.export_screenshot())
        shots += [app.title, app.sub_title]
    return shots


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(evil=hostile)
def test_tui_renders_no_escape(tmp_path_factory, evil: str) -> None:
    folder = tmp_path_factory.mktemp("tui")
    book = folder / f"evil{len(evil)}.casebook"
    _hostile_book(book, evil)
    _clean(*asyncio.run(_render_all(book, folder, evil)))
