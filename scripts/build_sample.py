"""Rebuild the sample casebook (casebook/sample.casebook.json) and its markdown report.

The sample is built from the seed live blog in ../shared/seed, quoting only short, attributed
excerpts of it. Run from the repository root:  python scripts/build_sample.py
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

from verify import anchor, portable
from verify.ids import stable_id
from verify.models import (
    Account,
    Assessment,
    Claim,
    ClaimStatus,
    Document,
    Evidence,
    EvidenceKind,
    Source,
    SourceKind,
    Stance,
    Verdict,
)
from verify.report import markdown
from verify.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "ukraine-live-blog-2024-01-03.txt"
OUT = ROOT / "casebook" / "sample.casebook.json"
REPORT = ROOT / "casebook" / "sample-report.md"
ADDRESS = "ukraine-live-blog-2024-01-03.txt"
PUBLISHER = "Ukraine war live blog, 3 January 2024"

# Each excerpt: (update header, sentences quoted verbatim from the seed).
EXCERPTS = {
    "0929": [
        "On Saturday, Belgorod Governor Vyacheslav Gladkov said 25 people, including five "
        "children, were killed by Ukrainian attacks.",
        "Ukraininan officials said the deaths were from flawed Russian air defenses downing "
        "munitions over the center of Belgorod city, a claim unwittingly supported by a "
        "statement from the Russian Defense Ministry.",
        "Demidov cited “a matter of our own safety”; however, the photos and videos could offer "
        "verification of whether damage is from Ukrainian strikes or Russian air defenses.",
    ],
    "0821": [
        "Officials said the round-up was “to prevent crime”",
        "However, an “informed source” in the Interior Affairs Ministry said the operation has "
        "been planned since August to replenish Russian troops in Ukraine",
        "The detentions included more than 3,000 people in Russia’s second city St. Petersburg.",
    ],
    "0743": [
        "The toll from Russia’s largest missile assault of the invasion on December 29 has "
        "risen to at least 46 killed.",
        "The head of Ukraine’s military, Gen. Valerii Zalushnyi, said air defenses downed 72 of "
        "83 Russian missiles: all 10 Kinzhals and three Kalibrs and 59 of another 70 cruise "
        "missiles.",
        "Ukraine President Volodymyr Zelenskiy noted that the Russians have fired about 300 "
        "missiles and more than 200 Iran-made Shahed drones since December 29",
    ],
    "1046": [
        "The European Union has sanctioned the Russian State firm Alrosa, the world’s largest "
        "diamond mining company, and its chief executive officer Pavel Marinychev.",
    ],
}

T0 = datetime(2024, 1, 3, 12, 0, tzinfo=UTC)


def main() -> int:
    if not SEED.exists():
        print(f"seed article not found beside the repository: {SEED.name}", file=sys.stderr)
        return 1
    seed = SEED.read_text("utf-8")
    ticks = count()

    def clock() -> datetime:
        return T0.replace(minute=next(ticks) % 60, second=0)

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "sample.casebook", clock=clock, actor="desk")
        settings = store.settings().model_copy(
            update={
                "name": "Sample casebook: Ukraine live blog, 3 January 2024",
                "publisher_name": "Sample Verification Desk",
                "publisher_url": "https://verify.example/desk",
            }
        )
        store.set_settings(settings, action="settings.init")
        docs: dict[str, Document] = {}
        for update, sentences in EXCERPTS.items():
            for s in sentences:
                assert s in seed, f"not in the seed: {s[:40]}"
            text = f"UPDATE {update} GMT (excerpts):\n\n" + "\n\n".join(sentences) + "\n"
            raw = text.encode("utf-8")
            doc = Document(
                id=hashlib.sha256(raw).hexdigest(),
                address=f"{ADDRESS}#update-{update}",
                title=f"Excerpts, update {update} GMT",
                publisher=PUBLISHER,
                published=datetime(2024, 1, 3, int(update[:2]), int(update[2:]), tzinfo=UTC),
                retrieved=T0,
                media_type="text/plain",
                text=text,
                text_sha256=hashlib.sha256(raw).hexdigest(),
            )
            store.add_document(doc, raw)
            docs[update] = doc

        def sel(update: str, quote: str) -> anchor.Selector:
            doc = docs[update]
            start = doc.text.index(quote)
            return anchor.selector_for(doc.id, doc.text, start, start + len(quote))

        def source(
            key: str,
            name: str,
            kind: SourceKind,
            grade: str,
            publisher: str,
            anonymous: bool = False,
            notes: str = "",
        ) -> str:
            sid = stable_id("s", key)
            store.put_source(
                Source(
                    id=sid,
                    name=name,
                    kind=kind,
                    grade=grade,  # type: ignore[arg-type]
                    publisher=publisher,
                    anonymous=anonymous,
                    notes=notes,
                )
            )
            return sid

        gladkov = source(
            "gladkov",
            "Vyacheslav Gladkov, Belgorod governor",
            SourceKind.person,
            "D",
            "Russian regional government",
            notes="Official of a party to the war.",
        )
        ua_officials = source(
            "ua-officials",
            "Ukrainian officials (unnamed)",
            SourceKind.organisation,
            "D",
            "Ukrainian government",
            notes="Party to the war; not named in the report.",
        )
        ru_mod = source(
            "ru-mod", "Russian Defence Ministry", SourceKind.organisation, "D", "Russian government"
        )
        blog = source("live-blog", "Ukraine war live blog", SourceKind.outlet, "C", PUBLISHER)
        ru_officials = source(
            "ru-officials",
            "Russian officials (St Petersburg)",
            SourceKind.organisation,
            "D",
            "Russian government",
        )
        informed = source(
            "informed-source",
            "“Informed source” in the Interior Ministry",
            SourceKind.person,
            "F",
            "Russian Interior Ministry",
            anonymous=True,
            notes="Unnamed; reliability cannot be judged.",
        )
        zaluzhnyi = source(
            "zaluzhnyi",
            "Gen. Valerii Zaluzhnyi, commander-in-chief",
            SourceKind.person,
            "C",
            "Ukrainian armed forces",
        )
        zelenskiy = source(
            "zelenskiy",
            "Volodymyr Zelenskiy, President of Ukraine",
            SourceKind.person,
            "C",
            "Ukrainian government",
        )

        def claim(key: str, text: str, **kw: object) -> Claim:
            c = Claim(id=stable_id("c", key), text=text, created=clock(), updated=clock(), **kw)  # type: ignore[arg-type]
            return store.add_claim(c)

        def acc(
            key: str,
            source_id: str,
            statement: str,
            origin: anchor.Selector | None,
            assessment: Assessment = Assessment.unresolved,
        ) -> Account:
            return Account(
                id=stable_id("a", key),
                source_id=source_id,
                statement=statement,
                origin=origin,
                assessment=assessment,
            )

        def ev(key: str, **kw: object) -> Evidence:
            return Evidence(id=stable_id("e", key), added=clock(), **kw)  # type: ignore[arg-type]

        def decide(c: Claim, label: str, rationale: str) -> None:
            c = store.get_claim(c.id)
            store.save_claim(
                c.model_copy(
                    update={
                        "verdict": Verdict(
                            label=label, rationale=rationale, reviewer="desk", at=clock()
                        ),
                        "status": ClaimStatus.decided,
                    }
                ),
                "claim.verdict",
            )

        # 1. Belgorod deaths: three accounts.
        q_gov = (
            "Belgorod Governor Vyacheslav Gladkov said 25 people, including five children, "
            "were killed by Ukrainian attacks"
        )
        q_ua = (
            "the deaths were from flawed Russian air defenses downing munitions over the "
            "center of Belgorod city"
        )
        q_mod = "a claim unwittingly supported by a statement from the Russian Defense Ministry"
        a1 = acc(
            "belgorod-gov",
            gladkov,
            "25 people, five of them children, were killed in Belgorod by Ukrainian attacks.",
            sel("0929", q_gov),
        )
        a2 = acc(
            "belgorod-ua",
            ua_officials,
            "The deaths were caused by Russian air defences "
            "downing munitions over central Belgorod.",
            sel("0929", q_ua),
        )
        a3 = acc(
            "belgorod-mod",
            ru_mod,
            "A ministry statement that, by the live blog's "
            "account, supports the Ukrainian version.",
            sel("0929", q_mod),
        )
        c1 = claim(
            "belgorod",
            "Ukrainian attacks killed 25 people, including five children, in "
            "Belgorod on 30 December 2023.",
            claimant="Vyacheslav Gladkov",
            date="2023-12-30",
            topic="Belgorod deaths",
            origin=sel("0929", q_gov),
            tags=["belgorod", "casualties", "air-defence"],
            checkworthiness=0.93,
            accounts=[a1, a2, a3],
        )
        c1 = store.get_claim(c1.id)
        c1 = store.save_claim(
            c1.model_copy(
                update={
                    "evidence": [
                        ev(
                            "belgorod-blog",
                            kind=EvidenceKind.passage,
                            selector=sel("0929", q_mod),
                            source_id=blog,
                            credibility=3,
                            summary="The live blog says a Russian Defence Ministry statement "
                            "supports the "
                            "Ukrainian account; the statement itself is not quoted.",
                            stances={
                                a1.id: Stance.inconsistent,
                                a2.id: Stance.consistent,
                                a3.id: Stance.consistent,
                            },
                        ),
                        ev(
                            "belgorod-imagery",
                            kind=EvidenceKind.passage,
                            selector=sel(
                                "0929",
                                "the photos and videos could offer verification of whether "
                                "damage is from Ukrainian strikes or Russian air defenses",
                            ),
                            source_id=blog,
                            credibility=6,
                            summary="Imagery could settle it, but the mayor asked residents not to "
                            "publish "
                            "any.",
                            stances={
                                a1.id: Stance.neutral,
                                a2.id: Stance.neutral,
                                a3.id: Stance.neutral,
                            },
                        ),
                    ]
                }
            ),
            "evidence.add",
        )
        decide(
            c1,
            "disputed",
            "Two parties to the war blame each other. The only support for the Ukrainian "
            "account is the live blog's reading of a Russian Defence Ministry statement, "
            "which we have not seen. No imagery has been published.\n\n"
            "Next step: obtain the ministry statement and geolocated imagery.",
        )

        # 2. Migrants round-up: official motive against an unnamed source's.
        q_off = "Officials said the round-up was “to prevent crime”"
        q_inf = (
            "an “informed source” in the Interior Affairs Ministry said the operation has "
            "been planned since August to replenish Russian troops in Ukraine"
        )
        m1 = acc(
            "migrants-official",
            ru_officials,
            "The round-up was to prevent crime.",
            sel("0821", q_off),
        )
        m2 = acc(
            "migrants-informed",
            informed,
            "The round-up was planned since August to replenish Russian troops in Ukraine.",
            sel("0821", q_inf),
        )
        c2 = claim(
            "migrants",
            "Russian police rounded up migrants in St Petersburg on New "
            "Year's Eve to prevent crime.",
            claimant="Russian officials",
            date="2023-12-31",
            topic="Migrants round-up",
            origin=sel("0821", q_off),
            tags=["migrants", "mobilisation"],
            checkworthiness=0.81,
            accounts=[m1, m2],
        )
        c2 = store.get_claim(c2.id)
        store.save_claim(
            c2.model_copy(
                update={
                    "evidence": [
                        ev(
                            "migrants-scale",
                            kind=EvidenceKind.passage,
                            selector=sel(
                                "0821",
                                "The detentions included more than 3,000 people in Russia’s "
                                "second city St. Petersburg.",
                            ),
                            source_id=blog,
                            credibility=3,
                            summary="Scale of the detentions as reported.",
                            stances={m1.id: Stance.neutral, m2.id: Stance.consistent},
                        ),
                    ]
                }
            ),
            "evidence.add",
        )

        # 3. 72 of 83 missiles, with the breakdown.
        q_72 = (
            "air defenses downed 72 of 83 Russian missiles: all 10 Kinzhals and three "
            "Kalibrs and 59 of another 70 cruise missiles"
        )
        z1 = acc(
            "missiles-zaluzhnyi",
            zaluzhnyi,
            "Air defences downed 72 of 83 missiles: all "
            "10 Kinzhals, 3 Kalibrs and 59 of 70 other cruise missiles.",
            sel("0743", q_72),
        )
        c3 = claim(
            "missiles-72",
            "Ukraine's air defences shot down 72 of 83 Russian missiles on "
            "2 January 2024 (10 of 10 Kinzhals, 3 of 3 Kalibrs, 59 of 70 cruise "
            "missiles).",
            claimant="Valerii Zaluzhnyi",
            date="2024-01-02",
            topic="Missile interceptions",
            origin=sel("0743", q_72),
            tags=["missiles", "air-defence"],
            checkworthiness=0.9,
            accounts=[z1],
        )
        c3 = store.get_claim(c3.id)
        c3 = store.save_claim(
            c3.model_copy(
                update={
                    "evidence": [
                        ev(
                            "missiles-arith",
                            kind=EvidenceKind.note,
                            credibility=2,
                            note="The breakdown is internally consistent: 10 + 3 + 59 = 72 downed "
                            "of "
                            "10 + 3 + 70 = 83 launched.",
                            stances={z1.id: Stance.consistent},
                        ),
                    ]
                }
            ),
            "evidence.add",
        )
        decide(
            c3,
            "unproven",
            "A single source, a party to the war; the figures add up but no independent "
            "count (e.g. from Russian or third-party sources) is in the casebook yet.",
        )

        # 4. The toll that rose to 46.
        q_46 = (
            "The toll from Russia’s largest missile assault of the invasion on December 29 "
            "has risen to at least 46 killed."
        )
        t1 = acc(
            "toll-blog", blog, "At least 46 killed by the 29 December assault.", sel("0743", q_46)
        )
        c4 = claim(
            "toll-46",
            "At least 46 people were killed by Russia's missile assault on "
            "Ukraine of 29 December 2023.",
            claimant="Ukraine war live blog",
            date="2024-01-02",
            topic="29 December assault toll",
            origin=sel("0743", q_46),
            tags=["casualties", "missiles"],
            checkworthiness=0.88,
            accounts=[t1],
        )
        decide(
            c4,
            "unproven",
            "Reported by one outlet without naming its count's source; needs official "
            "casualty figures.",
        )

        # 5. ~300 missiles and 200+ drones since 29 December.
        q_300 = (
            "the Russians have fired about 300 missiles and more than 200 Iran-made Shahed "
            "drones since December 29"
        )
        claim(
            "missiles-300",
            "Russia fired about 300 missiles and more than 200 Shahed drones "
            "at Ukraine between 29 December 2023 and 2 January 2024.",
            claimant="Volodymyr Zelenskiy",
            date="2024-01-02",
            topic="Scale of attacks",
            origin=sel("0743", q_300),
            tags=["missiles", "drones"],
            checkworthiness=0.86,
            accounts=[
                acc(
                    "missiles-300-z",
                    zelenskiy,
                    "About 300 missiles and 200+ Shahed drones since 29 December.",
                    sel("0743", q_300),
                )
            ],
        )

        # 6. Alrosa sanctions.
        q_al = (
            "The European Union has sanctioned the Russian State firm Alrosa, the world’s "
            "largest diamond mining company, and its chief executive officer Pavel "
            "Marinychev."
        )
        claim(
            "alrosa",
            "The EU has sanctioned Alrosa, the Russian state diamond miner, and its "
            "chief executive Pavel Marinychev.",
            claimant="Ukraine war live blog",
            date="2024-01-03",
            topic="Sanctions",
            origin=sel("1046", q_al),
            tags=["sanctions", "eu"],
            checkworthiness=0.84,
            accounts=[
                acc("alrosa-blog", blog, "The EU sanctioned Alrosa and its CEO.", sel("1046", q_al))
            ],
        )

        data = portable.export_casebook(store, exported=T0)
        OUT.write_text(portable.dumps(data), "utf-8")
        REPORT.write_text(markdown.casebook_report(store), "utf-8")
        store.close()
    print(f"wrote {OUT.relative_to(ROOT)} and {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
