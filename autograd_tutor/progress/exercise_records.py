"""Exercises and experiments in the progress document, kept beside a lesson's attempts.

Each lesson entry may hold ``"practice": {"<step index>": {...}}``::

    {"code": "the learner's latest code (restored when they come back)",
     "attempts": [{"kind": "exercise", "code": "...", "passed": ["backward_called"],
                   "failed": [{"id": "grads_zeroed", "says": "gradients were never zeroed"}],
                   "error": "", "solution_shown": false, "seconds": 12.5,
                   "timestamp": "...", "lesson_hash": "...", "app_version": "..."},
                  {"kind": "experiment", "settings": {"lr": 0.5}, "predicted": "diverges",
                   "outcome": "diverges", "seconds": 3.1, ...}]}

Older readers ignore the key. Every change goes through ``ProgressStore.update_document``: one
atomic write under the lock, like answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from autograd_tutor.presentation import percent, plural
from autograd_tutor.progress.practice_tally import (
    PRACTICE_KEY,
    ExerciseTally,
    PracticeCounter,
)
from autograd_tutor.progress.records import (
    DocumentError,
    ExerciseAttemptRecord,
    ExperimentRunRecord,
    FailedCheckRecord,
    PracticeAttempt,
    practice_attempt,
    utc_now_iso,
)
from autograd_tutor.progress.store import ProgressStore, read_document
from autograd_tutor.safe_text import printable


@dataclass(frozen=True)
class FailedCheck:
    id: str
    says: str


@dataclass(frozen=True)
class ExerciseAttempt:
    """One run of a learner's code (or the reference solution shown: ``solution_shown``)."""

    step: int
    code: str
    passed: tuple[str, ...]
    failed: tuple[FailedCheck, ...]
    error: str = ""  # the error type when the code stopped, e.g. "NameError", "Timeout"
    solution_shown: bool = False
    seconds: float = 0.0
    timestamp: str = field(default_factory=utc_now_iso)

    def record(self, lesson_hash: str, app_version: str) -> ExerciseAttemptRecord:
        """As the progress document keeps it (the typed schema of progress/records.py)."""
        return ExerciseAttemptRecord(
            code=self.code,
            passed=tuple(self.passed),
            failed=tuple(FailedCheckRecord(f.id, f.says) for f in self.failed),
            error=self.error,
            solution_shown=self.solution_shown,
            seconds=round(float(self.seconds), 3),
            timestamp=self.timestamp,
            lesson_hash=lesson_hash,
            app_version=app_version,
        )


@dataclass(frozen=True)
class ExperimentRun:
    """One run of an experiment: the knob settings, the prediction and the outcome."""

    step: int
    settings: Mapping[str, Any]
    predicted: str | None  # None: skipped
    outcome: str | None  # None: the run failed
    seconds: float = 0.0
    timestamp: str = field(default_factory=utc_now_iso)
    losses: tuple[float | str, ...] = ()  # the run's loss curve, thinned ("nan", "inf" as text)

    def record(self, lesson_hash: str, app_version: str) -> ExperimentRunRecord:
        """As the progress document keeps it (the typed schema of progress/records.py)."""
        return ExperimentRunRecord(
            settings=dict(self.settings),
            predicted=self.predicted,
            outcome=self.outcome,
            losses=tuple(self.losses),
            seconds=round(float(self.seconds), 3),
            timestamp=self.timestamp,
            lesson_hash=lesson_hash,
            app_version=app_version,
        )


def _entry(doc: Mapping[str, Any], lesson_id: str, step: int) -> Mapping[str, Any]:
    lesson = doc.get("lessons", {}).get(lesson_id)
    if not isinstance(lesson, dict):
        return {}
    practice = lesson.get(PRACTICE_KEY)
    if not isinstance(practice, dict):
        return {}
    entry = practice.get(str(step))
    return entry if isinstance(entry, dict) else {}


def _document(store: ProgressStore) -> Mapping[str, Any]:
    """The learner's document as the file holds it (the store's typed view leaves out the
    practice records); empty when there is no usable file (the store reports that itself)."""
    try:
        return read_document(store.path) or {}
    except (OSError, DocumentError):
        return {}


def saved_code(store: ProgressStore, lesson_id: str, step: int) -> str | None:
    """The learner's latest code for an exercise step, None when there is none."""
    code = _entry(_document(store), lesson_id, step).get("code")
    return code if isinstance(code, str) else None


def lesson_practice(store: ProgressStore, lesson_id: str) -> dict[int, list[PracticeAttempt]]:
    """Every exercise and experiment step of a lesson with its attempts (typed, oldest first),
    from one read of the learner's file."""
    lesson = _document(store).get("lessons", {}).get(lesson_id)
    practice = lesson.get(PRACTICE_KEY) if isinstance(lesson, dict) else None
    if not isinstance(practice, dict):
        return {}
    out: dict[int, list[PracticeAttempt]] = {}
    for step, entry in practice.items():
        attempts = entry.get("attempts") if isinstance(entry, dict) else None
        if step.isdigit() and isinstance(attempts, list):
            out[int(step)] = [a for a in map(practice_attempt, attempts) if a is not None]
    return out


def practice_attempts(store: ProgressStore, lesson_id: str, step: int) -> list[PracticeAttempt]:
    """The attempts of one exercise or experiment step, oldest first, as typed records (one
    that does not validate, e.g. edited by hand, is left out)."""
    attempts = _entry(_document(store), lesson_id, step).get("attempts")
    if not isinstance(attempts, list):
        return []
    return [a for a in map(practice_attempt, attempts) if a is not None]


def save_practice(
    store: ProgressStore,
    lesson_id: str,
    lesson_hash: str,
    step: int,
    *,
    code: str | None = None,
    attempt: ExerciseAttempt | ExperimentRun | None = None,
) -> None:
    """Save the learner's code and/or one attempt in one atomic write (raises
    :class:`~autograd_tutor.progress.store.ProgressSaveError` when it cannot be written)."""
    entry_json = (
        msgspec.to_builtins(attempt.record(lesson_hash, store.app_version))
        if attempt is not None
        else None
    )

    def change(doc: dict[str, Any]) -> None:
        lesson = doc["lessons"].setdefault(lesson_id, {"hash": lesson_hash, "attempts": []})
        practice = lesson.setdefault(PRACTICE_KEY, {})
        entry = practice.setdefault(str(step), {"code": None, "attempts": []})
        if code is not None:
            entry["code"] = code
        if entry_json is not None:
            entry.setdefault("attempts", []).append(entry_json)

    store.update_document(change)


def tally_exercises(docs: Sequence[Mapping[str, Any]], *, top: int = 5) -> ExerciseTally:
    """Exercise attempts counted over learner documents, and the checks failed most."""
    counter = PracticeCounter()
    for doc in docs:
        counter.add_document(doc)
    return counter.tally(top=top)


def exercise_passes_text(tally: ExerciseTally) -> str:
    """Who passed an exercise (all its checks), in one sentence: ``3 learners tried exercises
    (5 attempts): 1 passed at least one, 2 none yet.``"""
    tried, passed = tally.learners, tally.passed_learners
    if passed == 0:
        outcome = "passed none yet" if tried == 1 else "none passed one yet"
    elif passed == tried:
        outcome = "passed at least one" if tried == 1 else "all passed at least one"
    else:
        outcome = f"{passed} passed at least one, {tried - passed} none yet"
    return (
        f"{plural(tried, 'learner')} tried exercises ({plural(tally.attempts, 'attempt')}): "
        f"{outcome}."
    )


def exercise_report_lines(tally: ExerciseTally, width: int = 78) -> list[str]:
    """The report's exercise and experiment section as text lines (none when nobody tried
    one)."""
    if not tally.attempts and not tally.experiment_runs:
        return []
    lines = ["", "Exercises and experiments"]
    if tally.attempts:
        lines.append(f"  {exercise_passes_text(tally)}")
    if tally.experiment_runs:
        share = (
            f" ({percent(tally.predictions_right / tally.predictions)})"
            if tally.predictions
            else ""
        )
        lines.append(
            f"  {plural(tally.experiment_runs, 'experiment run')}; {tally.predictions_right} of "
            f"{plural(tally.predictions, 'prediction')} right{share}."
        )
    if tally.failed_checks:
        lines.append("  Checks failed most often:")
        for says, count in tally.failed_checks:
            text = printable(says)
            room = width - 12
            if len(text) > room:
                text = text[: room - 1] + "…"
            lines.append(f"  {count:>6}  {text}")
    return lines
