"""One learner's results as a file: the JSON document itself, or CSV with one row per attempt.

CSV rows hold the current attempts in commit order, then the attempts archived by a lesson
reset (with ``reset_at`` filled in), under the header :data:`CSV_FIELDS`. Neither form carries
a raw control character (an escape sequence typed as an answer cannot reach the terminal that
shows the export): JSON escapes them (``\\u001b``, lossless), CSV cells write them out visibly
(``\\x1b``), and no CSV cell can be taken for a spreadsheet formula (:mod:`.csv_cells`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from autograd_tutor.progress.csv_cells import csv_text
from autograd_tutor.progress.records import Attempt, ProgressDocument
from autograd_tutor.safe_text import printable

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
# json.dumps escapes C0 controls itself; these it leaves raw with ensure_ascii=False.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def attempt_rows(doc: ProgressDocument) -> Iterator[dict[str, Any]]:
    """Flat rows for a document: current attempts, then reset ones (cells made printable)."""

    def row(attempt: Attempt, reset_at: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "student": doc.student,
            "lesson_id": attempt.lesson_id,
            "lesson_hash": attempt.lesson_hash,
            "step": attempt.step,
            "question_id": attempt.question_id,
            "expr": attempt.expr,
            "typed": "" if attempt.typed is None else attempt.typed,
            "verdict": attempt.verdict,
            "credit": float(attempt.credit),
            "hints_used": attempt.hints_used,
            "seconds": float(attempt.seconds),
            "timestamp": attempt.timestamp,
            "app_version": attempt.app_version,
            "diagnoses": DIAGNOSES_SEPARATOR.join(attempt.diagnoses),
            "feedback": attempt.feedback,
            "truth": attempt.truth,
            "reset_at": reset_at,
        }
        return {
            k: printable(v, keep_newlines=True) if isinstance(v, str) else v for k, v in out.items()
        }

    for record in doc.lessons.values():
        for attempt in record.attempts:
            yield row(attempt, "")
    for archived in doc.reset:
        for attempt in archived.attempts:
            yield row(attempt, archived.reset_at)


def to_json(raw: dict[str, Any]) -> str:
    """The document as stored (unknown fields kept), indented, ending with a newline."""
    text = json.dumps(raw, ensure_ascii=False, indent=2) + "\n"
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def to_csv(doc: ProgressDocument) -> str:
    """One row per attempt under a header row. A skipped question has an empty ``typed`` and
    the verdict ``skipped``; ``diagnoses`` are joined with ``;``; a cell that a spreadsheet
    would run as a formula starts with ``'``."""
    return csv_text(CSV_FIELDS, ([row[f] for f in CSV_FIELDS] for row in attempt_rows(doc)))
