"""Russian and Ukrainian documents: statements proposed with their speakers, as for English."""

from __future__ import annotations

from pathlib import Path

from verify.lang.attribution_ru import attribute
from verify.store import Store

# Written for these tests (an invented town and invented officials).
RU = """Ночью над Новоозёрском сбили восемь беспилотников.

Глава администрации Пётр Смирнов заявил, что обломки повредили крышу школы и два жилых дома. \
По его словам, пострадали три человека, один из них госпитализирован.

«Все службы работают на месте, угрозы для жителей больше нет», — сказал Смирнов.

Министерство обороны сообщило, что средства ПВО уничтожили все восемь аппаратов над областью.

Смирнов: занятия в школах района отменены до конца недели.
"""
UK = """Уночі над Новоозерськом збили вісім безпілотників.

Голова громади Ірина Коваль повідомила, що уламки пошкодили дах школи та два житлові будинки. \
За її словами, постраждали троє людей, одну людину госпіталізовано.

«Усі служби працюють на місці, загрози для мешканців більше немає», — сказала Коваль.

Повітряні сили заявили, що протиповітряна оборона знищила всі вісім апаратів над областю.

Коваль: заняття у школах громади скасовано до кінця тижня.
"""


def _speakers(cli, tmp_path: Path, text: str) -> dict[str, str]:
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    book = tmp_path / "c.casebook"
    res = cli("ingest", str(path), "--json", "--casebook", str(book))
    assert res.code == 0, res.err
    store = Store.open(book)
    try:
        sources = {s.id: s.name for s in store.sources()}
        out = {}
        for (claim_id,) in store.conn.execute("SELECT id FROM claims").fetchall():
            for account in store.get_claim(claim_id).accounts:
                out[account.statement] = sources.get(account.source_id or "", "")
        return out
    finally:
        store.close()


def test_russian_statements_are_proposed_with_speakers(cli, tmp_path: Path) -> None:
    found = _speakers(cli, tmp_path, RU)
    by_start = {s.split()[0]: who for s, who in found.items()}
    assert by_start["Глава"] == "Глава администрации Пётр Смирнов"
    assert by_start["По"] == "Глава администрации Пётр Смирнов"  # "по его словам"
    assert by_start["«Все"] == "Глава администрации Пётр Смирнов"  # "— сказал Смирнов"
    assert by_start["Министерство"] == "Министерство обороны"
    assert by_start["Смирнов:"] == "Глава администрации Пётр Смирнов"  # channel-style lead


def test_ukrainian_statements_are_proposed_with_speakers(cli, tmp_path: Path) -> None:
    found = _speakers(cli, tmp_path, UK)
    by_start = {s.split()[0]: who for s, who in found.items()}
    assert by_start["Голова"] == "Голова громади Ірина Коваль"
    assert by_start["За"] == "Голова громади Ірина Коваль"
    assert by_start["«Усі"] == "Голова громади Ірина Коваль"
    assert by_start["Повітряні"] == "Повітряні сили"
    assert by_start["Коваль:"] == "Голова громади Ірина Коваль"


def test_spans_of_source_cue_and_content() -> None:
    text = "Губернатор области заявил, что удар пришёлся по складу."
    found = attribute(text)
    assert found.source and text[slice(*found.source)] == "Губернатор области"
    assert found.cue and text[slice(*found.cue)] == "заявил"
    assert found.content and text[slice(*found.content)] == "что удар пришёлся по складу"
    trailing = "«Удар пришёлся по складу», — сообщил источник в ведомстве."
    said = attribute(trailing)
    assert said.speaker == "источник в ведомстве" and said.anonymous
    assert said.content and trailing[slice(*said.content)] == "«Удар пришёлся по складу»"
    assert attribute("Ночью шёл дождь, утром потеплело.").speaker is None
    # A noun built on a reporting stem is not a cue.
    assert attribute("Заявление министерства опубликовано на сайте.").speaker is None


def test_hostile_sentences_end_quickly() -> None:
    # Long runs of spaces and of verbs: the rules stay linear and try at most five verbs.
    spaces = " " * 900
    said = attribute("«Да»," + spaces + "— сказал" + spaces + "Смирнов.")
    assert said.speaker == "Смирнов"
    repeated = attribute("заявил " * 280)  # one verb after another: the first two pair up
    assert repeated.cue == (7, 13)
    assert attribute("По словам" + spaces + "министра, все живы.").speaker == "министра"
    assert attribute("заявил " * 20_000).speaker is None  # too long to be a sentence
