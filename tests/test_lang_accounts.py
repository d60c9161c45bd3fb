"""Competing accounts across languages: another speaker's version of the same event, told in
another language, joins the claim as a second account; a statement about another event does
not."""

from __future__ import annotations

from pathlib import Path

import pytest

from verify.ingest import grouping
from verify.lang import marks
from verify.store import Store

# Written for these tests (an invented town, invented figures).
RU_STRIKE = (
    "Министерство обороны России заявило, что во вторник ракетный удар по складу боеприпасов "
    "в Заречном уничтожил 40 единиц военной техники.\n"
)
EN_DENIAL = (
    "The Ukrainian military denied that an ammunition depot had been hit in Zarechny on "
    "Tuesday, saying the missile struck a grain warehouse and no military equipment was "
    "destroyed.\n"
)
# Another strike of the same kind (a depot, the same ministry), somewhere else, with a cause.
RU_OTHER_STRIKE = (
    "Министерство обороны России сообщило, что в результате атаки беспилотников в Белоозёрске "
    "загорелась нефтебаза, пострадавших нет.\n"
)
# Another event altogether, with a denial.
RU_OTHER_DENIAL = (
    "Глава МИД России Андрей Волков заявил, что сообщения о срыве переговоров об обмене "
    "пленными в Стамбуле не соответствуют действительности.\n"
)


def _ingest(cli, tmp_path: Path, book: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    res = cli("ingest", str(path), "--json", "--casebook", str(book))
    assert res.code == 0, res.err


def _claims(book: Path) -> list[list[tuple[str, str, str]]]:
    """Each claim's accounts as (speaker, language, statement)."""
    from verify.lang import language

    store = Store.open(book)
    try:
        names = {s.id: s.name for s in store.sources()}
        out = []
        for (claim_id,) in store.conn.execute("SELECT id FROM claims ORDER BY created"):
            out.append(
                [
                    (names.get(a.source_id or "", ""), language(a.statement), a.statement)
                    for a in store.get_claim(claim_id).accounts
                ]
            )
        return out
    finally:
        store.close()


def test_english_denial_joins_the_russian_statement(cli, tmp_path: Path) -> None:
    book = tmp_path / "c.casebook"
    _ingest(cli, tmp_path, book, "ministry.txt", RU_STRIKE)
    _ingest(cli, tmp_path, book, "report.txt", EN_DENIAL)
    claims = _claims(book)
    assert len(claims) == 1, claims
    accounts = claims[0]
    assert [(who, lang) for who, lang, _ in accounts] == [
        ("Министерство обороны России", "ru"),
        ("The Ukrainian military", "en"),
    ]
    assert accounts[1][2].startswith("The Ukrainian military denied")


def test_russian_statements_about_other_events_stay_apart(cli, tmp_path: Path) -> None:
    book = tmp_path / "c.casebook"
    _ingest(cli, tmp_path, book, "report.txt", EN_DENIAL)
    _ingest(cli, tmp_path, book, "other_strike.txt", RU_OTHER_STRIKE)
    _ingest(cli, tmp_path, book, "other_denial.txt", RU_OTHER_DENIAL)
    claims = _claims(book)
    assert len(claims) == 3, claims
    assert all(len(accounts) == 1 for accounts in claims)
    # The same denial still joins the right claim when its own event comes after it.
    _ingest(cli, tmp_path, book, "ministry.txt", RU_STRIKE)
    claims = _claims(book)
    joined = [accounts for accounts in claims if len(accounts) == 2]
    assert len(claims) == 3 and len(joined) == 1
    assert {lang for _, lang, _ in joined[0]} == {"en", "ru"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Министерство обороны опровергло сообщения об ударе.", True),
        ("Генштаб отрицает, что склад был поражён.", True),
        ("В штабе заявили, что это ложь.", True),
        ("Пожар начался по вине местных властей.", True),
        ("Однако в городской администрации назвали другие цифры.", True),
        ("Повітряні сили спростували інформацію про збитий літак.", True),
        ("У штабі заявили, що це не відповідає дійсності.", True),
        ("Внаслідок обстрілу пошкоджено два будинки.", True),
        ("Губернатор заявил, что в городе работают все службы.", False),
        ("Голова громади повідомила про роботу укриттів.", False),
    ],
)
def test_russian_and_ukrainian_marks_of_a_second_version(text: str, expected: bool) -> None:
    assert marks.answers(text) is expected


def test_names_compare_across_scripts() -> None:
    assert marks.names("Удар пришёлся по окраине Харькова.", "ru") & grouping._name_keys(
        "The strike hit the outskirts of Kharkiv.", "en"
    )
    assert marks.names("Удар по Херсону.", "uk") == marks.names("Удар по Херсону.", "ru")
    assert not grouping.mark_across(
        "Министерство обороны сообщило, что в результате атаки в Белоозёрске горит нефтебаза.",
        "The Ukrainian military denied that a depot had been hit in Zarechny.",
    )


# Ukrainian and English accounts of one night's drone attack (invented figures), and a
# Ukrainian statement about something else that shares the number and follows a denial.
UK_DRONES = (
    "Повітряні сили ЗСУ повідомили, що в ніч на середу над Полтавщиною збили 27 із 31 "
    "ударного дрона.\n"
)
EN_DRONES_DENIAL = (
    "The Russian defence ministry denied that its drones had been shot down over the Poltava "
    "region overnight, saying all 31 hit their targets on Wednesday.\n"
)
UK_OTHER = "Міська рада повідомила, що 31 учень отримав стипендії в середу.\n"


@pytest.mark.parametrize("order", ["ukrainian first", "english first"])
def test_ukrainian_and_english_accounts_of_one_event_join(cli, tmp_path: Path, order: str) -> None:
    book = tmp_path / "c.casebook"
    texts = [("air_force.txt", UK_DRONES), ("ministry.txt", EN_DRONES_DENIAL)]
    for name, text in texts if order == "ukrainian first" else texts[::-1]:
        _ingest(cli, tmp_path, book, name, text)
    claims = _claims(book)
    assert len(claims) == 1, claims
    by_language = {lang: (who, statement) for who, lang, statement in claims[0]}
    assert sorted(by_language) == ["en", "uk"]
    assert by_language["uk"][0] == "Повітряні сили ЗСУ"
    assert by_language["en"][1].startswith("The Russian defence ministry denied")


def test_ukrainian_statement_about_another_event_stays_apart(cli, tmp_path: Path) -> None:
    book = tmp_path / "c.casebook"
    _ingest(cli, tmp_path, book, "ministry.txt", EN_DRONES_DENIAL)
    _ingest(cli, tmp_path, book, "council.txt", UK_OTHER)
    claims = _claims(book)
    assert len(claims) == 2, claims
    assert all(len(accounts) == 1 for accounts in claims)


def test_the_reranker_decides_what_the_encoder_leaves_open() -> None:
    en_uk = grouping.ACROSS[("en", "uk")]
    # Close by the encoder alone: the re-ranker is not needed.
    assert grouping.close_across("uk", "en", en_uk[0], None) is True
    # Below it, the re-ranker decides, and it must be given.
    below = en_uk[0] - 0.01
    assert grouping.close_across("en", "uk", below, None) is None
    assert grouping.close_across("en", "uk", below, en_uk[1]) is True
    assert grouping.close_across("en", "uk", below, en_uk[1] - 0.01) is False
    # Under the shortlist, or in the same language, nothing joins.
    assert grouping.close_across("en", "uk", grouping.ACROSS_SHORTLIST - 0.01, 1.0) is False
    assert grouping.close_across("uk", "uk", 1.0, 1.0) is False


def _across_vectors(book: Path) -> int:
    store = Store.open(book)
    try:
        return int(
            store.conn.execute(
                "SELECT count(*) FROM match_vectors WHERE claim_id LIKE 'ml:%'"
            ).fetchone()[0]
        )
    finally:
        store.close()


def test_english_ingest_into_an_english_casebook_leaves_the_multilingual_encoder_alone(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verify.lang import encoder

    book = tmp_path / "c.casebook"

    def refuse(texts: object) -> None:
        raise AssertionError("the multilingual encoder was used")

    with monkeypatch.context() as patch:
        patch.setattr(encoder, "encode", refuse)
        _ingest(cli, tmp_path, book, "report.txt", EN_DENIAL)
    assert len(_claims(book)) == 1 and _across_vectors(book) == 0
    # The first Russian document stores the English claim's vector, then joins it.
    _ingest(cli, tmp_path, book, "ministry.txt", RU_STRIKE)
    claims = _claims(book)
    assert len(claims) == 1 and len(claims[0]) == 2, claims
    assert _across_vectors(book) == 1
    # Once a claim is in Cyrillic, English claims get theirs as they are written.
    _ingest(cli, tmp_path, book, "council.txt", UK_OTHER)
    _ingest(
        cli, tmp_path, book, "buses.txt", "The mayor said that 40 new buses will run from May.\n"
    )
    assert len(_claims(book)) == 3 and _across_vectors(book) == 3
