"""The claim-list filter: every word must match, typing on narrows, edits update in place."""

from verify.listfilter import ListFilter


def test_words_rank_and_narrow() -> None:
    f = ListFilter(
        ["c-1", "c-2", "c-3"], ["belgorod deaths 25", "migrants round-up", "belgorod mayor"]
    )
    assert f.apply("b") is None  # one letter filters nothing
    assert set(f.apply("belg") or []) == {"c-1", "c-3"}
    assert f.apply("belgorod dea") == ["c-1"]
    assert (f.apply("belgrod deaths") or [])[0] == "c-1"  # a typo: closest claims, best first


def test_an_edited_claim_is_found_by_its_new_words() -> None:
    f = ListFilter(["c-1", "c-2"], ["belgorod deaths", "migrants"])
    assert f.apply("drones") == []
    f.update("c-2", "migrants drones")
    f.update("c-9", "new claim about drones")
    assert sorted(f.apply("drones") or []) == ["c-2", "c-9"]
