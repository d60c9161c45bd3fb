"""The default rating scale; a casebook may define its own."""

from __future__ import annotations

from verify.models import RatingLabel, Settings

DEFAULT_SCALE: tuple[RatingLabel, ...] = (
    RatingLabel(
        label="true",
        description="Accurate, and nothing significant is missing.",
        rating_value=5,
        alternate_name="True",
    ),
    RatingLabel(
        label="mostly-true",
        description="Accurate but needs clarification or additional information.",
        rating_value=4,
        alternate_name="Mostly true",
    ),
    RatingLabel(
        label="mixed",
        description="Partly accurate, partly inaccurate.",
        rating_value=3,
        alternate_name="Mixture",
    ),
    RatingLabel(
        label="mostly-false",
        description="Contains an element of truth but ignores facts that change the picture.",
        rating_value=2,
        alternate_name="Mostly false",
    ),
    RatingLabel(
        label="false",
        description="Not accurate.",
        rating_value=1,
        alternate_name="False",
    ),
    RatingLabel(
        label="misleading",
        description="Accurate in parts but presented so as to give a false impression.",
        rating_value=2,
        alternate_name="Misleading",
    ),
    RatingLabel(
        label="unproven",
        description="The available evidence neither confirms nor refutes it.",
        rating_value=None,
        alternate_name="Unproven",
    ),
    RatingLabel(
        label="disputed",
        description="Credible sources give competing accounts that the evidence cannot settle.",
        rating_value=None,
        alternate_name="Disputed",
    ),
)

NO_SUFFICIENCY_LABELS = frozenset({"unproven", "disputed"})
"""Labels that need no independent confirmation: they say the evidence is not there."""


def default_settings() -> Settings:
    return Settings(scale=[r.model_copy() for r in DEFAULT_SCALE])
