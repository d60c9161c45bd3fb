"""The domain: casebooks, documents, sources, claims, accounts, evidence, verdicts, events.

Models are strict (no silent coercion) and forbid unknown fields, so a damaged or hand-edited
record is refused instead of half-read. Times are timezone-aware UTC.
"""

# Annotations here are evaluated as the classes are made (no `from __future__ import
# annotations`): as strings, pydantic would compile each field's type again on every start.
import importlib
import os
import re
import sys
import types
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from verify.ids import ID_PATTERN
from verify.textsafe import clean_data, entering_line, entering_text

# verify uses no pydantic plugins, and one installed beside it would see every casebook record
# as it is validated; finding them also reads every installed package's metadata, a sixth of
# a one-shot command's time. Set before the first model is built, which is when pydantic looks.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
_PLUGIN_FINDER = "pydantic.plugin._loader"
_PLUGINS_OFF = ("__all__", "1", "true")
"""The values of PYDANTIC_DISABLE_PLUGINS with which pydantic's finder finds no plugin."""


def _no_plugins() -> Any:
    """pydantic's plugin finder, as pydantic answers when plugins are off: none.

    The finder's module imports importlib.metadata (and the email package) before it reads the
    setting, a tenth of a one-shot command; with plugins off, its answer is known without it.
    If the setting says otherwise by the time a model is built, the real finder answers.
    """
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in _PLUGINS_OFF:
        return ()
    if sys.modules.get(_PLUGIN_FINDER) is _FINDER:
        del sys.modules[_PLUGIN_FINDER]
    return importlib.import_module(_PLUGIN_FINDER).get_plugins()


_FINDER = types.ModuleType(_PLUGIN_FINDER, _no_plugins.__doc__)
_FINDER.get_plugins = _no_plugins  # type: ignore[attr-defined]
sys.modules.setdefault(_PLUGIN_FINDER, _FINDER)

SCHEMA_VERSION = 11
"""Version of the SQLite layout; bumped with every numbered migration."""

FORMAT_VERSION = 1
"""Version of the portable JSON interchange format."""

Text = Annotated[str, AfterValidator(entering_text)]
"""An untrusted string that may hold paragraphs: controls and bidi overrides removed on entry."""
Line = Annotated[str, AfterValidator(entering_line)]
"""An untrusted one-line string (names, labels, addresses): cleaned, breaks made spaces."""
Data = Annotated[dict[str, Any], AfterValidator(clean_data)]
"""Free-form JSON kept from outside (an import's extra fields, history states), cleaned."""
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


def utcnow() -> datetime:
    return datetime.now(UTC)


# Defaults made by Python functions, not by the `list` and `dict` types: pydantic reads a
# factory's signature, and a builtin's is parsed with the tokenizer, whose one large pattern
# costs each command that validates a claim a tenth of a bare Python start-up to compile.
def _empty_list() -> list[Any]:
    return []


def _empty_dict() -> dict[str, Any]:
    return {}


class Model(BaseModel):
    # defer_build: a model's validator is built when it is first used, not when this module
    # is imported, so a command pays only for the models it touches (`verify list` for one).
    model_config = ConfigDict(
        strict=True, extra="forbid", validate_assignment=True, defer_build=True
    )


class RatingLabel(Model):
    label: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,39}$")]
    description: Line
    rating_value: int | None = Field(default=None, ge=1, le=5)
    """ClaimReview ratingValue (1 worst, 5 best); None when the label is off the truth scale."""
    alternate_name: Line
    """ClaimReview alternateName: the label as readers see it."""


class Settings(Model):
    name: Line = "Casebook"
    publisher_name: Line = ""
    """Shown as the ClaimReview author."""
    publisher_url: Line = ""
    """Base address of the desk's site; ClaimReview urls are built from it."""
    scale: list[RatingLabel]

    def label(self, name: str) -> RatingLabel | None:
        return next((r for r in self.scale if r.label == name), None)


class SourceKind(StrEnum):
    person = "person"
    organisation = "organisation"
    outlet = "outlet"
    unnamed_official = "unnamed official"
    """Not named ("officials", "an informed source in the ministry")."""
    unknown = "unknown"


SourceGrade = Literal["A", "B", "C", "D", "E", "F"]
Credibility = Annotated[int, Field(ge=1, le=6)]


class Source(Model):
    id: Id
    name: Line
    kind: SourceKind = SourceKind.unknown
    grade: SourceGrade = "F"
    """Admiralty reliability: A completely reliable ... E unreliable, F cannot be judged."""
    publisher: Line = ""
    """The organisation the source speaks for or publishes through; independence is judged on it."""
    anonymous: bool = False
    notes: Text = ""


class Document(Model):
    id: Sha256
    """sha256 of the raw bytes as retrieved: the document's identity."""
    address: Line = ""
    title: Line = ""
    publisher: Line = ""
    published: datetime | None = None
    retrieved: datetime
    media_type: Line = "text/plain"
    text: str
    """Extracted text; every selector's offsets count characters of it. Kept as extracted (its
    sha256 and every quote's offsets depend on each character); cleaned where it is shown."""
    text_sha256: Sha256


class TextQuote(Model):
    exact: Annotated[str, StringConstraints(min_length=1)]
    prefix: str = ""
    suffix: str = ""


class TextPosition(Model):
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class AnchorStatus(StrEnum):
    exact = "exact"
    fuzzy = "fuzzy"
    not_found = "not-found"


class Selector(Model):
    """Where a quote sits in an archived document (W3C Web Annotation style)."""

    document_id: Sha256
    quote: TextQuote
    position: TextPosition | None = None
    status: AnchorStatus = AnchorStatus.exact
    score: float = Field(default=100.0, ge=0, le=100)


class Assessment(StrEnum):
    supported = "supported"
    refuted = "refuted"
    unresolved = "unresolved"


class Account(Model):
    id: Id
    source_id: Id | None = None
    statement: Text
    origin: Selector | None = None
    assessment: Assessment = Assessment.unresolved


class Stance(StrEnum):
    """ACH ratings of one evidence item against one account."""

    strongly_consistent = "CC"
    consistent = "C"
    neutral = "N"
    inconsistent = "I"
    strongly_inconsistent = "II"


class EvidenceKind(StrEnum):
    passage = "passage"
    url = "url"
    file = "file"
    note = "note"


class Evidence(Model):
    id: Id
    kind: EvidenceKind
    summary: Text = ""
    selector: Selector | None = None
    document_id: Sha256 | None = None
    """For URLs and files: the archived copy, so the evidence survives the page or file."""
    url: Line = ""
    file_name: Line = ""
    """For files: the original name, shown to people; never used to build a path."""
    note: Text = ""
    source_id: Id | None = None
    credibility: Credibility = 6
    """Admiralty information credibility: 1 confirmed ... 6 cannot be judged."""
    stances: dict[str, Stance] = Field(default_factory=_empty_dict)
    """Per account id, how this item bears on that account."""
    added: datetime


class ClaimStatus(StrEnum):
    proposed = "proposed"
    open = "open"
    decided = "decided"
    dropped = "dropped"


class Verdict(Model):
    label: Line
    rationale: Text = ""
    reviewer: Line = ""
    at: datetime
    thin_evidence_confirmed: bool = False
    """The reviewer confirmed a verdict despite fewer than two independent sources."""


_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def is_partial_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a day that exists (no 2023-12-45, no 2023-02-30)."""
    m = _PARTIAL_DATE.fullmatch(value)
    if m is None:
        return False
    year, month, day = (int(g) if g is not None else None for g in m.groups())
    try:
        date(year or 1, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        return False
    return year != 0


class Claim(Model):
    id: Id
    ref: Line = ""
    """External id from an imported feed or archive."""
    text: Annotated[Text, StringConstraints(min_length=1)]
    topic: Line = ""
    claimant: Line = ""
    date: str = ""
    """When the claim was made, as precise as known (YYYY, YYYY-MM or YYYY-MM-DD)."""
    origin: Selector | None = None
    tags: list[Line] = Field(default_factory=_empty_list)
    checkworthiness: float | None = Field(default=None, ge=0, le=1)
    status: ClaimStatus = ClaimStatus.open
    verdict: Verdict | None = None
    # Left out of the record while empty, so a claim nobody was assigned is written (and
    # exported, and read by an older verify) exactly as before assignments existed.
    assignee: Line = Field(default="", exclude_if=lambda v: not v)
    """The reviewer on the desk who has the claim (`verify assign`); empty when nobody has."""
    accounts: list[Account] = Field(default_factory=_empty_list)
    evidence: list[Evidence] = Field(default_factory=_empty_list)
    extra: Data = Field(default_factory=_empty_dict)
    """Fields kept verbatim from an import (headline, url, ...)."""
    revision: int = Field(default=1, ge=1)
    created: datetime
    updated: datetime

    @field_validator("date")
    @classmethod
    def _date_shape(cls, v: str) -> str:
        if v and not is_partial_date(v):
            raise ValueError(f"date must be a real date as YYYY, YYYY-MM or YYYY-MM-DD: {v!r}")
        return v

    def account(self, account_id: str) -> Account | None:
        return next((a for a in self.accounts if a.id == account_id), None)


class Event(Model):
    seq: int = 0
    at: datetime
    actor: Line
    action: Line
    target: Line
    """`claim:ID`, `source:ID`, `document:SHA`, `casebook`."""
    before: Data | None = None
    after: Data | None = None
    undone: bool = False


class ClaimSummary(Model):
    """What the claim list shows, read from summary columns without loading the claim."""

    id: str
    ref: str
    text: str
    status: str
    verdict: str | None
    accounts: int
    evidence: int
    updated: str
    tags: str = ""
    assignee: str = ""
