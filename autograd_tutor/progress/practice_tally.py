"""Exercises and experiments counted across a class, for ``report``.

A results file's lessons may hold ``"practice"`` entries (see :mod:`.exercise_records`). The
report reads each file once: :class:`PracticeCounter` takes the same bytes the main tally
decoded, skips a file without the key at the cost of a substring search, and decodes only the
``lessons -> practice`` part of one that has it (msgspec skips everything else in C). Counters
from the report's worker processes merge into one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import msgspec

from autograd_tutor.progress.records import (
    PRACTICE_KEY,
    ExerciseAttemptRecord,
    ExperimentRunRecord,
    practice_attempt,
)

_MARKER = b'"practice"'


@dataclass(frozen=True)
class ExerciseTally:
    """What ``report`` says about exercises across a class."""

    attempts: int
    learners: int
    passed_learners: int
    failed_checks: tuple[tuple[str, int], ...]  # (message, how many attempts failed it), most first
    experiment_runs: int = 0
    predictions: int = 0  # experiment runs with a prediction (not skipped)
    predictions_right: int = 0


class _PracticeOnly(msgspec.Struct):
    practice: dict[str, Any] | None = None


class _LessonsOnly(msgspec.Struct):
    lessons: dict[str, _PracticeOnly] = {}


_DECODER = msgspec.json.Decoder(_LessonsOnly)


def exercise_passed(raw: Mapping[str, Any]) -> bool:
    """Whether a stored practice attempt is an exercise that passed, as the typed record
    decides (:attr:`~autograd_tutor.progress.records.ExerciseAttemptRecord.passed_all`)."""
    attempt = practice_attempt(raw)
    return isinstance(attempt, ExerciseAttemptRecord) and attempt.passed_all


def decode_practice(data: bytes) -> dict[str, Any]:
    """``{lesson id: {"practice": {...}}}`` from a results file's bytes, only the lessons that
    hold practice records (empty when the file has none, or does not decode)."""
    if _MARKER not in data:
        return {}
    try:
        decoded = _DECODER.decode(data)
    except (msgspec.DecodeError, RecursionError):
        return {}
    return {
        lid: {PRACTICE_KEY: rec.practice}
        for lid, rec in decoded.lessons.items()
        if rec.practice is not None
    }


def iter_practice_attempts(doc: Mapping[str, Any]) -> Iterable[tuple[str, int, dict[str, Any]]]:
    """``(lesson_id, step, attempt)`` for every exercise/experiment attempt in a document."""
    lessons = doc.get("lessons")
    if not isinstance(lessons, dict):
        return
    for lesson_id, lesson in lessons.items():
        practice = lesson.get(PRACTICE_KEY) if isinstance(lesson, dict) else None
        if not isinstance(practice, dict):
            continue
        for step, entry in practice.items():
            attempts = entry.get("attempts") if isinstance(entry, dict) else None
            if not isinstance(attempts, list) or not step.isdigit():
                continue
            for attempt in attempts:
                if isinstance(attempt, dict):
                    yield lesson_id, int(step), attempt


@dataclass
class PracticeCounter:
    """Exercise attempts, learners who tried and passed, failed checks and experiment runs."""

    attempts: int = 0
    learners: int = 0
    passed: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    runs: int = 0
    predictions: int = 0
    right: int = 0

    def add_bytes(self, data: bytes) -> None:
        """Count the practice in one results file's bytes (a file without any costs a
        substring search; one that does not decode is left to the main report to name)."""
        lessons = decode_practice(data)
        if lessons:
            self.add_document({"lessons": lessons})

    def add_document(self, doc: Mapping[str, Any]) -> None:
        """Count one learner's document (attempts read as the typed records of
        progress/records.py: passed, skipped and right mean what they mean everywhere)."""
        tried = any_passed = False
        for _lesson, _step, raw in iter_practice_attempts(doc):
            attempt = practice_attempt(raw)
            if isinstance(attempt, ExperimentRunRecord):
                self.runs += 1
                if not attempt.skipped:
                    self.predictions += 1
                    self.right += attempt.right
                continue
            if not isinstance(attempt, ExerciseAttemptRecord) or attempt.solution_shown:
                continue
            self.attempts += 1
            tried = True
            any_passed = any_passed or attempt.passed_all
            for check in attempt.failed:
                self.failed[check.says or check.id] += 1
            if attempt.error:
                self.failed[f"the code stopped with {attempt.error}"] += 1
        self.learners += tried
        self.passed += any_passed

    def merge(self, other: PracticeCounter) -> None:
        self.attempts += other.attempts
        self.learners += other.learners
        self.passed += other.passed
        self.failed.update(other.failed)
        self.runs += other.runs
        self.predictions += other.predictions
        self.right += other.right

    def tally(self, *, top: int = 5) -> ExerciseTally:
        return ExerciseTally(
            self.attempts,
            self.learners,
            self.passed,
            tuple(self.failed.most_common(top)),
            self.runs,
            self.predictions,
            self.right,
        )
