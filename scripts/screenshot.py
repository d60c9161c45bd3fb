"""Write docs/screenshot.svg: the main screen on the sample casebook at 160x45 (every key
in the footer fits), as the README shows it."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from verify import portable
from verify.store import Store
from verify.ui.app import make_app

ROOT = Path(__file__).resolve().parent.parent


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "sample.casebook"
        with Store.open(book) as store:
            sample = json.loads((ROOT / "casebook" / "sample.casebook.json").read_text("utf-8"))
            portable.import_casebook(store, sample)
        app = make_app(
            book, Path(tmp) / "state.json", watch_interval=0, keymap_path=Path(tmp) / "none.json"
        )
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.pause()
            svg = app.export_screenshot(title="verify demo")
    (ROOT / "docs" / "screenshot.svg").write_text(svg, "utf-8")


if __name__ == "__main__":
    asyncio.run(main())
