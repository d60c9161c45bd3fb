"""From news text to proposed claims: archive, split, attribute, score, group."""
