"""Short news texts written for the tests, in the styles verify meets: wire copy, a live blog,
an official statement, an interview. People, places and events are invented.

Each text lists the statements expected to be attributed (the start of the statement and its
speaker as verify should name it) and the competing accounts expected in one group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class NewsText:
    style: str
    text: str
    speakers: dict[str, str | None]
    """Statement start -> expected speaker (None: no speaker)."""
    groups: list[tuple[str, str]] = field(default_factory=list)
    """Pairs of statement starts that are competing accounts of one event: every such pair of
    the text (bench/grouping_eval.py takes all other pairs of its statements as apart)."""
    apart: list[tuple[str, str]] = field(default_factory=list)
    """Pairs of statement starts that must not be grouped (those a test names)."""
    related: list[tuple[str, str]] = field(default_factory=list)
    """Pairs that speak of one event, grouped or not (the speaker's other statement is):
    counted neither for nor against."""


WIRE = NewsText(
    "wire",
    "VELMORA, March 4 (Wire) - A drone struck a primary school in the town of Kestrel on "
    "Monday, killing three people, regional governor Anselm Toriv said.\n\n"
    "Toriv said the drone was launched from across the border and that 14 children were "
    "among the wounded.\n\n"
    "The defence ministry in Ostrava denied that any drone had been launched and said the "
    "damage to the school was caused by debris from an air defence missile.\n\n"
    "Grain exports through the port of Lisk rose 12 percent in February, according to the "
    "harbour authority.",
    {
        "VELMORA, March 4": "regional governor Anselm Toriv",
        "Toriv said the drone": "regional governor Anselm Toriv",
        "The defence ministry in Ostrava denied": "The defence ministry in Ostrava",
        "Grain exports": "the harbour authority",
    },
    groups=[("Toriv said the drone", "The defence ministry in Ostrava denied")],
    related=[("VELMORA, March 4", "The defence ministry in Ostrava denied")],
    apart=[("Grain exports", "The defence ministry in Ostrava denied")],
)

TWO_IN_ONE = NewsText(
    "wire",
    "The regional governor said a drone hit the school in Marsk, while the defence ministry "
    "attributed the damage to falling debris from an intercepted missile.",
    {
        "The regional governor said": "The regional governor",
        "the defence ministry attributed": "the defence ministry",
    },
    groups=[("The regional governor said", "the defence ministry attributed")],
)

LIVE_BLOG = NewsText(
    "live blog",
    "UPDATE 10:42 GMT:\n\n"
    "Mayor Petra Volsk, who is travelling to the flooded district, said: “At least 40 "
    "homes in Dunmere have been destroyed and we need boats now.”\n\n"
    "She added that the dam upstream had been opened without warning on Sunday night.\n\n"
    "The water authority blamed the flooding on three days of heavy rain and said the dam "
    "had not been opened.\n\n"
    "Photo: Rescue teams in Dunmere on Monday.",
    {
        "Mayor Petra Volsk": "Mayor Petra Volsk",
        "She added that the dam": "Mayor Petra Volsk",
        "The water authority blamed": "The water authority",
    },
    groups=[("She added that the dam", "The water authority blamed")],
)

STATEMENT = NewsText(
    "statement",
    "The Ministry of Health of Carrow said on Tuesday that 212 people had been admitted to "
    "hospital with cholera in the northern province since January.\n\n"
    "“The outbreak is under control and no deaths have been recorded,” the ministry said in "
    "a statement.\n\n"
    "Doctors at the provincial hospital in Benn, speaking on condition of anonymity, said at "
    "least nine patients had died of the disease in the past month.",
    {
        "The Ministry of Health of Carrow said": "The Ministry of Health of Carrow",
        "“The outbreak is under control": "The Ministry of Health of Carrow",
        "Doctors at the provincial hospital": "Doctors at the provincial hospital in Benn",
    },
    groups=[("“The outbreak is under control", "Doctors at the provincial hospital")],
)

INTERVIEW = NewsText(
    "interview",
    "In an interview on Thursday, opposition leader Marek Halloran accused the government of "
    "hiding the number of soldiers killed at the Varn crossing.\n\n"
    "“They say eleven men died there. Our own families count more than sixty,” Halloran "
    "told the Evening Courier.\n\n"
    "A government spokesman rejected the figure and said eleven soldiers were killed.\n\n"
    "There were conflicting reports about whether the crossing had been retaken.",
    {
        "In an interview on Thursday": "Marek Halloran",
        "“They say eleven men died": "Marek Halloran",
        "A government spokesman rejected": "A government spokesman",
        "There were conflicting reports": None,
    },
    groups=[("“They say eleven men died", "A government spokesman rejected")],
    related=[("In an interview on Thursday", "A government spokesman rejected")],
)

ROUNDUP = NewsText(
    "wire round-up",
    "The health ministry said 12 people were treated for smoke inhalation after a fire at a "
    "warehouse in Orlen on Tuesday.\n\n"
    "Separately, the transport minister said 12 new trams would enter service in the capital "
    "next month.\n\n"
    "Police in Orlen said the fire had been started deliberately, but the owner of the "
    "warehouse told reporters it was caused by a faulty heater.\n\n"
    "The central bank said inflation fell to 4 percent in May, its lowest level in two years.",
    {
        "The health ministry said": "The health ministry",
        "Separately, the transport minister": "the transport minister",
        "The central bank said": "The central bank",
    },
    groups=[("Police in Orlen said", "the owner of the warehouse told")],
    apart=[
        ("The health ministry said", "Separately, the transport minister"),
        ("Separately, the transport minister", "Police in Orlen said"),
    ],
)

SIEGE = NewsText(
    "wire",
    "Rebel commanders said on Sunday that their fighters had taken the hilltop town of Arvo "
    "after two days of fighting.\n\n"
    "The army said its units still held Arvo and had repelled every assault, killing dozens "
    "of rebels.\n\n"
    "A resident reached by phone said the shelling had stopped on Saturday evening.\n\n"
    "The United Nations refugee agency said 3,500 people had fled the district since March.\n\n"
    "An agency spokesman said aid convoys would resume once the road to the coast reopened.",
    {
        "Rebel commanders said": "Rebel commanders",
        "The army said its units": "The army",
        "The United Nations refugee agency": "The United Nations refugee agency",
    },
    groups=[("Rebel commanders said", "The army said its units")],
    apart=[("The United Nations refugee agency", "An agency spokesman said")],
)

TWO_STRIKES = NewsText(
    "live blog",
    "UPDATE 08:15 GMT:\n\n"
    "The mayor of Tarn, Ivo Bersk, said a missile struck an apartment block in the city "
    "overnight, killing six people.\n\n"
    "The regional health department said hospitals in the region had enough blood supplies "
    "for the coming week.\n\n"
    "The neighbouring country's defence ministry said its forces had hit only military targets "
    "near Tarn and that the six deaths were caused by a falling interceptor.\n\n"
    "UPDATE 11:30 GMT:\n\n"
    "Police said a second strike hit the Tarn railway station on Wednesday morning, killing "
    "two workers.\n\n"
    "The railway company said trains to Tarn would run again from Friday.",
    {
        "The mayor of Tarn, Ivo Bersk": "Ivo Bersk",
        "The neighbouring country's defence ministry": "The neighbouring country's defence "
        "ministry",
        "Police said a second strike": "Police",
    },
    groups=[("The mayor of Tarn", "The neighbouring country's defence ministry")],
    apart=[
        ("The neighbouring country's defence ministry", "Police said a second strike"),
        ("The mayor of Tarn", "Police said a second strike"),
    ],
)


def _fixture(name: str) -> str:
    return (Path(__file__).parent / "fixtures" / name).read_text("utf-8")


# The live blogs the ingest tests read, with the competing accounts in them.
LIVE_BLOG_FIXTURE = NewsText(
    "live blog (fixture)",
    _fixture("liveblog.txt"),
    {},
    groups=[
        ("On Thursday, Merovo Governor", "Kalvarian officials said the deaths"),
        ("Officials said the detentions", "However, an “informed source”"),
    ],
)

RIVER_PORT = NewsText(
    "live blog (fixture)",
    _fixture("river-port-blog.txt"),
    {},
    groups=[
        ("Regional governor Marta Kowalczyk said", "However, the dam's operator"),
        ("Police said 40 people", "However, an unnamed source"),
        ("Northbank Energy chief executive", "Independent engineer Sofia Lindqvist"),
        ("Opposition leader Irena Novak", "The government spokesperson rejected"),
        ("Residents told reporters", "The civil protection agency said"),
    ],
)

CORPUS = [WIRE, TWO_IN_ONE, LIVE_BLOG, STATEMENT, INTERVIEW, ROUNDUP, SIEGE, TWO_STRIKES]
"""Short texts, one style each (the tests check speakers and groups in each)."""
GROUPING_CORPUS = [*CORPUS, LIVE_BLOG_FIXTURE, RIVER_PORT]
"""Every written text with its competing accounts: what grouping thresholds are chosen on."""
