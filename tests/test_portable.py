"""The portable JSON format is lossless."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLE, FakeClock
from verify import portable
from verify.models import Account, Claim, Evidence, EvidenceKind, Source, Stance, Verdict
from verify.store import Store
from verify.textsafe import clean_line

# Text as it is stored: control codes and bidi overrides are cleaned when they enter
# (tests/test_entry_cleaning.py), so the round trip is lossless for what the casebook holds.
text = st.text(min_size=1, max_size=40).map(clean_line).filter(bool)
times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
ids = st.from_regex(r"[a-z][a-z0-9-]{2,12}", fullmatch=True)


@st.composite
def claims(draw: st.DrawFn) -> Claim:
    accounts = draw(
        st.lists(st.builds(Account, id=ids, statement=text), max_size=3, unique_by=lambda a: a.id)
    )
    stance = st.sampled_from(list(Stance))
    evidence = draw(
        st.lists(
            st.builds(
                Evidence,
                id=ids,
                kind=st.sampled_from(list(EvidenceKind)),
                note=text,
                credibility=st.integers(1, 6),
                added=times,
                stances=st.fixed_dictionaries({a.id: stance for a in accounts}),
            ),
            max_size=3,
            unique_by=lambda e: e.id,
        )
    )
    verdict = draw(
        st.none()
        | st.builds(Verdict, label=st.sampled_from(["true", "false"]), rationale=text, at=times)
    )
    created = draw(times)
    return Claim(
        id=draw(ids),
        text=draw(text),
        ref=draw(st.text(max_size=10).map(clean_line)),
        claimant=draw(text),
        tags=draw(st.lists(text, max_size=3)),
        accounts=accounts,
        evidence=evidence,
        verdict=verdict,
        extra=draw(
            st.dictionaries(st.text(max_size=5).map(clean_line), st.integers() | text, max_size=3)
        ),
        checkworthiness=draw(st.none() | st.floats(0, 1)),
        created=created,
        updated=created,
        revision=draw(st.integers(1, 50)),
    )


def export_import_export(tmp: Path, data: dict) -> tuple[dict, dict]:
    """The document, and its export after an import (without the import's own event)."""
    with Store.open(tmp, clock=FakeClock()) as s:
        portable.import_casebook(s, data)
        again = portable.export_casebook(s, exported=datetime(2030, 1, 1, tzinfo=UTC))
    imports = [e for e in again["events"] if e["action"] == "import"]
    if data["claims"] or data["sources"] or data["documents"]:
        # The history is the file's, and then one event for the import itself.
        assert imports == [again["events"][-1]] and imports[0]["target"].startswith("import:")
        again["events"] = again["events"][:-1]
    else:
        assert imports == []
    return data, again


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(claims(), max_size=4, unique_by=lambda c: c.id),
    st.lists(
        st.builds(Source, id=ids, name=text, grade=st.sampled_from("ABCDEF")),
        max_size=3,
        unique_by=lambda s: s.id,
    ),
)
def test_round_trip_is_lossless(tmp_path_factory, claim_list, sources) -> None:
    first_path = tmp_path_factory.mktemp("rt") / "a.casebook"
    with Store.open(first_path, clock=FakeClock()) as s:
        for src in sources:
            s.put_source(src)
        for c in claim_list:
            s.add_claim(c)
        exported = portable.export_casebook(s, exported=datetime(2030, 1, 1, tzinfo=UTC))
    # Through JSON text, as a file would go.
    data = json.loads(portable.dumps(exported))
    _, again = export_import_export(tmp_path_factory.mktemp("rt") / "b.casebook", data)
    assert again == exported


def test_sample_round_trip_is_lossless(tmp_path: Path) -> None:
    data = json.loads(SAMPLE.read_text("utf-8"))
    _, again = export_import_export(tmp_path / "s.casebook", data)
    again["exported"] = data["exported"]
    assert again == data


def test_packaged_sample_is_the_committed_sample() -> None:
    from verify.sample import sample_document

    assert sample_document() == json.loads(SAMPLE.read_text("utf-8"))
