"""Garbage collection between frames: while the TUI runs, the collector runs after a frame
(and from a slow timer) instead of inside one; closing the app gives it back as it was."""

from __future__ import annotations

import gc
import weakref


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def cycles(count: int) -> weakref.ref[Node]:
    """`count` pairs that refer to each other (only a collection frees them); one of them."""
    first = None
    for _ in range(count):
        a, b = Node(), Node()
        a.other, b.other = b, a
        first = first or a
    assert first is not None
    return weakref.ref(first)


async def test_garbage_is_collected_after_a_move_not_during_it(sample_tui) -> None:
    assert gc.isenabled()
    async with sample_tui() as (_app, pilot):
        await pilot.pause()
        assert not gc.isenabled()  # nothing collects in the middle of a frame
        assert gc.get_freeze_count() > 0  # start-up's objects are out of the collector's way
        garbage = cycles(5 * gc.get_threshold()[0])
        assert garbage() is not None
        await pilot.press("down")
        await pilot.pause()
        assert garbage() is None  # collected once the move's frame was out
    assert gc.isenabled() and gc.get_freeze_count() == 0


async def test_garbage_made_away_from_moves_is_collected_too(sample_tui) -> None:
    async with sample_tui() as (_app, pilot):
        await pilot.pause()
        garbage = cycles(5 * gc.get_threshold()[0])
        await pilot.pause(2.5)  # no key: the timer looks
        assert garbage() is None
