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


def test_edits_while_filtered_keep_the_result_exact_as_typing_goes_on() -> None:
    texts = ["belgorod deaths", "belgorod mayor", "migrants", "belgorod drones", "ports"]
    f = ListFilter([f"c-{i}" for i in range(5)], list(texts))
    assert sorted(f.apply("belgorod") or []) == ["c-0", "c-1", "c-3"]
    f.update("c-1", "kursk mayor")  # no longer matches
    f.update("c-2", "belgorod migrants")  # now matches
    f.update("c-4", "ports of belgorod")
    f.update("c-7", "new belgorod claim")  # new
    assert sorted(f.apply("belgorod") or []) == ["c-0", "c-2", "c-3", "c-4", "c-7"]
    # Narrowing from there finds what a fresh index finds.
    fresh = ListFilter(f.ids[:], f.texts[:])
    for query in ("belgorod d", "belgorod dr", "belgorod m"):
        assert sorted(f.apply(query) or []) == sorted(fresh.apply(query) or []), query


def test_an_answer_is_reused_only_while_no_edit_touches_it() -> None:
    f = ListFilter(["c-0", "c-1", "c-2"], ["dam burst", "dam held firm", "port closed"])
    assert f.apply("dam") is not None
    f.update("c-2", "port reopened")  # outside the answer: same answer
    assert sorted(f.apply("dam") or []) == ["c-0", "c-1"]
    f.update("c-1", "levee held")  # inside: answered again
    assert f.apply("dam") == ["c-0"]
    f.update("c-2", "port dam")  # now inside
    assert sorted(f.apply("dam") or []) == ["c-0", "c-2"]
