"""One learner's results as a file: the JSON document itself, or CSV with one row per attempt.

CSV rows hold the current attempts in commit order, then the attempts archived by a lesson
reset (with ``reset_at`` filled in), under the header :data:`CSV_FIELDS`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

CSV_FIELDS: tuple[str, ...] = (
    "student",
    "lesson_id",
    "lesson_hash",
    "step",
    "question_id",
    "expr",
    "typed",
    "verdict",
    "credit",
    "hints_used",
    "seconds",
    "timestamp",
    "app_version",
    "diagnoses",
    "feedback",
    "truth",
    "reset_at",
)
DIAGNOSES_SEPARATOR = ";"


def attempt_rows(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Flat rows for a (valid) document: current attempts, then reset ones."""
    student = doc.get("student", "")

    def row(attempt: dict[str, Any], reset_at: str) -> dict[str, Any]:
        out = {name: attempt.get(name, "") for name in CSV_FIELDS}
        out["student"] = student
        out["typed"] = "" if attempt.get("typed") is None else attempt["typed"]
        out["diagnoses"] = DIAGNOSES_SEPARATOR.join(attempt.get("diagnoses") or ())
        out["reset_at"] = reset_at
        return out

    for entry in doc.get("lessons", {}).values():
        for attempt in entry.get("attempts", ()):
            yield row(attempt, "")
    for archived in doc.get("reset", ()):
        if isinstance(archived, dict):
            for attempt in archived.get("attempts", ()):
                yield row(attempt, str(archived.get("reset_at", "")))


def to_json(doc: dict[str, Any]) -> str:
    """The document, indented, ending with a newline."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_csv(doc: dict[str, Any]) -> str:
    """One row per attempt under a header row. A skipped question has an empty ``typed`` and
    the verdict ``skipped``; ``diagnoses`` are joined with ``;``."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(attempt_rows(doc))
    return buf.getvalue()
