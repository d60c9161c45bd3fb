"""Languages other than English: which language a text is in, its words, stems, sentences,
reported speech, and a sentence encoder that puts Russian, Ukrainian and English in one space.

English keeps its own tools (verify.ingest, verify.match, verify.embed); this package is what
the rest of verify dispatches to when a text is Russian or Ukrainian.
"""

from verify.lang.detect import LANGUAGES, language

__all__ = ["LANGUAGES", "language"]
