"""Short news texts written for the tests, in the styles verify meets: wire copy, a live blog,
an official statement, an interview. People, places and events are invented.

Each text lists the statements expected to be attributed (the start of the statement and its
speaker as verify should name it) and the competing accounts expected in one group.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class NewsText:
    style: str
    text: str
    speakers: dict[str, str | None]
    """Statement start -> expected speaker (None: no speaker)."""
    groups: list[tuple[str, str]] = field(default_factory=list)
    """Pairs of statement starts that are competing accounts of one event."""
    apart: list[tuple[str, str]] = field(default_factory=list)
    """Pairs of statement starts that must not be grouped."""


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
)

CORPUS = [WIRE, TWO_IN_ONE, LIVE_BLOG, STATEMENT, INTERVIEW]
