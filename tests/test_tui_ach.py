"""The ACH matrix: what each item is, and what the numbers under the accounts mean."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import DataTable, Static

from tests.conftest import tui_app
from verify import evidence, grading
from verify.models import Account, Claim, Evidence, EvidenceKind, Stance
from verify.report import markdown
from verify.store import Store
from verify.ui.screens import AchScreen

BOTH_BACKENDS = True
"""The casebook tests run on an SQLite file and on a PostgreSQL database (see conftest)."""

BELGOROD = "c-2zjgpgfw"
AT = datetime(2024, 1, 3, tzinfo=UTC)


def _claim(*stances: dict[str, Stance]) -> Claim:
    accounts = [Account(id=f"a-{n}", statement=f"Account {n}.") for n in ("one", "two", "three")]
    items = [
        Evidence(id=f"e-{i}", kind=EvidenceKind.note, note="n", stances=s, added=AT)
        for i, s in enumerate(stances)
    ]
    return Claim(id="c-x", text="X", accounts=accounts, evidence=items, created=AT, updated=AT)


def test_one_account_with_nothing_against_it_stands_out_over_one_with_some() -> None:
    claim = _claim({"a-one": Stance.inconsistent, "a-two": Stance.consistent})
    result = grading.ach(claim, {})
    summary = grading.ach_summary(result)
    assert result.against("a-one") > 0 and result.against("a-two") == 0
    assert "none stands out" not in summary.lower()
    assert "accounts 2 and 3 (none against either)" in summary
    assert "account 1 (" in summary.split("more against")[1]


def test_a_single_leader_and_a_true_tie_say_so() -> None:
    one = _claim(
        {"a-one": Stance.inconsistent, "a-three": Stance.inconsistent},
        {"a-two": Stance.consistent},
    )
    assert grading.ach_summary(grading.ach(one, {})).startswith(
        "Least evidence against: account 2 (none against it)"
    )
    tie = _claim({"a-one": Stance.consistent, "a-two": Stance.neutral})
    assert "No evidence against any account yet" in grading.ach_summary(grading.ach(tie, {}))


async def test_matrix_names_file_evidence_and_says_which_account_has_least_against(
    sample_path: Path, tmp_path: Path
) -> None:
    scan = tmp_path / "ministry-statement.pdf"
    scan.write_bytes(b"%PDF-1.4\x00 body")
    with Store.open(sample_path) as store:
        evidence.attach(store, BELGOROD, evidence.EvidenceDraft(EvidenceKind.file, path=str(scan)))
        report = markdown.claim_report(store, store.get_claim(BELGOROD))
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert app.ctx is not None and app.ctx.claim.id == BELGOROD
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, AchScreen)
        table = app.screen.query_one("#ach-table", DataTable)
        cells = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert any("ministry-statement.pdf" in c and "application/pdf" in c for c in cells)
        summary = str(app.screen.query_one("#ach-summary", Static).render())
        # The sample's Gladkov account has an item against it; the other two have none.
        assert "Least evidence against: accounts 2 and 3 (none against either)" in summary
        assert "stands out" not in summary
    assert "accounts 2 and 3 (none against either)" in report
    assert "file ministry-statement.pdf (application/pdf)" in report


async def test_at_80_columns_every_account_of_the_matrix_is_in_view(
    sample_path: Path, tmp_path: Path
) -> None:
    app = tui_app(sample_path, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        table = app.screen.query_one("#ach-table", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
