"""Words and numbers as every interface shows them: verdict labels, plurals, percents.

Plain Python (no Textual, no Rich): the TUI, ``--plain`` and ``report`` all print through these
so that a verdict or a count reads the same everywhere.
"""

from __future__ import annotations

from typing import Literal

Verdict = Literal["right", "partial", "wrong", "skipped"]
VERDICTS: tuple[Verdict, ...] = ("right", "partial", "wrong", "skipped")

VERDICT_LABELS: dict[str, str] = {
    "right": "right",
    "partial": "partly right",
    "wrong": "wrong",
    "skipped": "skipped",
}


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 learner``, ``2 learners``, ``0 hints``; irregular forms through ``plural_form``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def percent(fraction: float) -> str:
    """A share as a whole percent: ``0.756`` -> ``76%``."""
    return f"{round(100 * fraction)}%"
