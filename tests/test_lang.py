"""Russian and Ukrainian text: language, words, stems and sentences (verify.lang)."""

from __future__ import annotations

from tests.conftest import EVAL, need_shared
from verify import match
from verify.ingest import sentences
from verify.lang import language
from verify.lang.words import stem_uk

# Written for these tests: a Russian and a Ukrainian news paragraph about an invented town.
RU = (
    "Глава администрации Новоозёрска Пётр Смирнов заявил, что ночью был сбит беспилотник. "
    "По его словам, обломки повредили крышу школы на ул. Садовой, пострадавших нет. "
    "Т. е. занятия отменены до пятницы."
)
UK = (
    "Голова громади Новоозерська Ірина Коваль повідомила, що вночі збили безпілотник. "
    "За її словами, уламки пошкодили дах школи на вул. Садовій, постраждалих немає. "
    "Заняття скасовано до п'ятниці."
)


def test_language_of_texts_and_sentences() -> None:
    assert language(RU) == "ru"
    assert language(UK) == "uk"
    assert language("Officials said the strike hit a school in the town.") == "en"
    assert language("12:40 — 15:00") == "other"
    # A Ukrainian sentence without і, ї, є or ґ: its function words decide.
    assert language("Ми вже казали, що вона була там") == "uk"
    assert language("Мы уже говорили, что она была там") == "ru"


def test_bm25_terms_keep_cyrillic_words() -> None:
    ru = match.terms("Смирнов заявил, что беспилотники повредили школу")
    assert "смирн" in ru and "школ" in ru and "беспилотник" in ru
    uk = match.terms("Коваль повідомила, що безпілотники пошкодили школу")
    assert "ковал" in uk and "безпілотник" in uk
    assert match.terms("Biden wants every American's firearms") == [
        "biden",
        "want",
        "everi",
        "american",
        "firearm",
    ]


def test_ukrainian_forms_share_a_stem() -> None:
    assert stem_uk("повідомив") == stem_uk("повідомила") == stem_uk("повідомили")
    assert stem_uk("школа") == stem_uk("школи") == stem_uk("школу")


def test_cyrillic_sentences_keep_abbreviations_and_offsets() -> None:
    for text in (RU, UK):
        split = sentences.split(text)
        assert len(split) == 3, [s.text for s in split]
        for s in split:
            assert text[s.start : s.end] == s.text


def test_detector_on_ntrex_lines() -> None:
    base = need_shared(EVAL / "multilingual" / "ntrex")
    for lang, name in (
        ("en", "newstest2019-src.eng.txt"),
        ("ru", "newstest2019-ref.rus.txt"),
        ("uk", "newstest2019-ref.ukr.txt"),
    ):
        lines = (base / name).read_text(encoding="utf-8").splitlines()
        right = sum(language(line) == lang for line in lines)
        assert right / len(lines) >= 0.98, lang
