"""Quote-anchoring quality on the seed article and the written test texts.

    python bench/anchor_eval.py [N]
Prints: exact quotes found exactly at the right offsets; quotes with 1-3 changed characters
found, not exact, within 5 characters; quotes not in the text wrongly found.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.anchor_cases import cases, score
from verify.anchor import locate
from verify.models import TextQuote


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    found = [(c, locate(c.text, TextQuote(exact=c.quote))) for c in cases(n)]
    fig = score(found)
    print(
        f"exact quotes found exactly:          {fig['exact_found_exactly']:.1%}"
        f" of {fig['n_exact']:.0f}"
    )
    print(
        f"changed quotes found nearby, fuzzy:  {fig['changed_found_nearby']:.1%}"
        f" of {fig['n_changed']:.0f}"
    )
    print(
        f"absent quotes wrongly found:         {fig['absent_false_positives']:.1%}"
        f" of {fig['n_absent']:.0f}"
    )


if __name__ == "__main__":
    main()
