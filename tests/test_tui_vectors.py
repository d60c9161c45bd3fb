"""The TUI's "already checked?" panel uses each claim's stored vector: showing encodes nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.conftest import tui_app
from verify import embed
from verify.ui.claim_list import ClaimList


async def test_moving_between_claims_encodes_nothing(
    sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoded: list[str] = []
    real = embed.Encoder.layer_means

    def counting(self: embed.Encoder, texts: list[str]) -> np.ndarray:
        encoded.extend(texts)
        return real(self, texts)

    monkeypatch.setattr(embed.Encoder, "layer_means", counting)
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        claims = app.query_one(ClaimList)
        shown = set()
        for row in range(len(claims.rows)):
            claims.cursor = row
            await pilot.pause()
            assert app.ctx is not None
            shown.add(app.ctx.claim.id)
    assert len(shown) == 6
    assert encoded == []
