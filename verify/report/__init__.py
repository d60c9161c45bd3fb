"""Exports: markdown for editors, ClaimReview JSON-LD for publishing."""
