"""The default rating scale; a casebook may define its own."""

from __future__ import annotations

from typing import Any

from verify.models import RatingLabel, Settings

DEFAULT_SCALE: tuple[dict[str, Any], ...] = (
    dict(
        label="true",
        description="Accurate, and nothing significant is missing.",
        rating_value=5,
        alternate_name="True",
    ),
    dict(
        label="mostly-true",
        description="Accurate but needs clarification or additional information.",
        rating_value=4,
        alternate_name="Mostly true",
    ),
    dict(
        label="mixed",
        description="Partly accurate, partly inaccurate.",
        rating_value=3,
        alternate_name="Mixture",
    ),
    dict(
        label="mostly-false",
        description="Contains an element of truth but ignores facts that change the picture.",
        rating_value=2,
        alternate_name="Mostly false",
    ),
    dict(
        label="false",
        description="Not accurate.",
        rating_value=1,
        alternate_name="False",
    ),
    dict(
        label="misleading",
        description="Accurate in parts but presented so as to give a false impression.",
        rating_value=2,
        alternate_name="Misleading",
    ),
    dict(
        label="unproven",
        description="The available evidence neither confirms nor refutes it.",
        rating_value=None,
        alternate_name="Unproven",
    ),
    dict(
        label="disputed",
        description="Credible sources give competing accounts that the evidence cannot settle.",
        rating_value=None,
        alternate_name="Disputed",
    ),
)

NO_SUFFICIENCY_LABELS = frozenset({"unproven", "disputed"})
"""Labels that need no independent confirmation: they say the evidence is not there."""


def default_settings() -> Settings:
    # Built here, not at import: validating the labels builds the models' validators, which
    # a command that never makes a casebook (`verify list`) does not otherwise need.
    return Settings(scale=[RatingLabel(**r) for r in DEFAULT_SCALE])
