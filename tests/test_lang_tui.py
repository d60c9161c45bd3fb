"""Accounts in different languages say which language they are in, on screen and in reports."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import tui_app
from verify.models import Account, Claim, Source
from verify.report import markdown
from verify.store import Store

# Written for these tests.
RU = "Министерство обороны заявило, что склад в Новоозёрске был уничтожен ударом ракеты."
EN = "Ukraine's air force denied that any missile had been fired at the depot in Novoozersk."


def _casebook(path: Path) -> Store:
    store = Store.open(path)
    ministry = store.put_source(Source(id="s1", name="Министерство обороны", grade="C"))
    air = store.put_source(Source(id="s2", name="Ukrainian air force", grade="B"))
    at = datetime(2024, 1, 3, tzinfo=UTC)
    store.add_claim(
        Claim(
            id="c1",
            text="The depot in Novoozersk was destroyed by a missile strike.",
            accounts=[
                Account(id="a1", source_id=ministry.id, statement=RU),
                Account(id="a2", source_id=air.id, statement=EN),
            ],
            created=at,
            updated=at,
        )
    )
    return store


async def test_account_heads_name_their_language(tmp_path: Path) -> None:
    book = tmp_path / "x.casebook"
    _casebook(book).close()
    app = tui_app(book, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        heads = [str(w.render()) for w in app.screen.query(".account-head")]
        assert any("Министерство обороны" in h and "Russian" in h for h in heads), heads
        assert any("Ukrainian air force" in h and "English" in h for h in heads), heads
        statements = " ".join(str(w.render()) for w in app.screen.query(".account-statement"))
        assert "Министерство обороны заявило" in statements


def test_markdown_report_has_a_language_row_only_when_needed(tmp_path: Path) -> None:
    store = _casebook(tmp_path / "x.casebook")
    try:
        report = markdown.claim_report(store, store.get_claim("c1"))
        assert "| Language | Russian | English |" in report
        store.update_claim(
            "c1", lambda c: c.model_copy(update={"accounts": c.accounts[1:]}), "claim.edit"
        )
        assert "| Language |" not in markdown.claim_report(store, store.get_claim("c1"))
    finally:
        store.close()


def test_show_names_each_accounts_language_only_when_needed(cli, tmp_path: Path) -> None:
    book = tmp_path / "x.casebook"
    _casebook(book).close()
    res = cli("show", "c1", "--casebook", str(book))
    assert res.code == 0, res.err
    lines = res.out.splitlines()
    ministry = next(i for i, line in enumerate(lines) if "Министерство обороны (C)" in line)
    assert "in Russian" in lines[ministry] and lines[ministry + 1].strip() == RU
    assert any("Ukrainian air force (B)" in line and "in English" in line for line in lines)
    store = Store.open(book)
    store.update_claim(
        "c1", lambda c: c.model_copy(update={"accounts": c.accounts[1:]}), "claim.edit"
    )
    store.close()
    res = cli("show", "c1", "--casebook", str(book))
    assert " in English" not in res.out and "Ukrainian air force (B)" in res.out
