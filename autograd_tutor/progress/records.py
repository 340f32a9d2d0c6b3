"""What progress is made of: one :class:`Attempt` per committed answer, and the per-learner
document that holds them (see ``docs/progress.md`` for the file format).

Plain data, no I/O: :mod:`autograd_tutor.progress.store` reads and writes documents, and the
teacher's report (:mod:`autograd_tutor.progress.report`) reads the same documents without
building :class:`Attempt` objects (it walks the raw dicts for speed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

FORMAT = "autograd-tutor-progress"
VERSION = 1
VERDICTS: tuple[str, ...] = ("right", "partial", "wrong", "skipped")

# Attempt field -> accepted JSON types (bool is rejected separately for numbers).
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "lesson_id": (str,),
    "lesson_hash": (str,),
    "step": (int,),
    "question_id": (str,),
    "expr": (str,),
    "typed": (str, type(None)),
    "verdict": (str,),
    "credit": (int, float),
    "hints_used": (int,),
    "seconds": (int, float),
    "timestamp": (str,),
    "app_version": (str,),
}


def utc_now_iso() -> str:
    """The current time as ISO 8601 UTC, e.g. ``2025-03-01T09:30:12.123456+00:00``."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Attempt:
    """One committed answer (or skip) to one question."""

    lesson_id: str
    lesson_hash: str
    step: int
    question_id: str
    expr: str
    typed: str | None  # the text typed; None when skipped
    verdict: str  # "right" | "partial" | "wrong" | "skipped"
    credit: float  # 0..1
    hints_used: int
    seconds: float
    timestamp: str  # ISO 8601 UTC
    app_version: str
    diagnoses: tuple[str, ...] = ()  # misconception codes, e.g. "sign", "known_wrong"
    feedback: str = ""  # the message shown
    truth: str = ""  # torch's value as displayed

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, not {self.verdict!r}")
        if not 0.0 <= float(self.credit) <= 1.0:
            raise ValueError(f"credit must be between 0 and 1, not {self.credit!r}")
        if not isinstance(self.diagnoses, tuple):
            object.__setattr__(self, "diagnoses", tuple(self.diagnoses))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (``diagnoses`` becomes a list)."""
        return {
            "lesson_id": self.lesson_id,
            "lesson_hash": self.lesson_hash,
            "step": self.step,
            "question_id": self.question_id,
            "expr": self.expr,
            "typed": self.typed,
            "verdict": self.verdict,
            "credit": float(self.credit),
            "hints_used": self.hints_used,
            "seconds": float(self.seconds),
            "timestamp": self.timestamp,
            "app_version": self.app_version,
            "diagnoses": list(self.diagnoses),
            "feedback": self.feedback,
            "truth": self.truth,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Attempt:
        """Build an attempt from :meth:`to_json` output; ``ValueError`` names what is wrong."""
        if not isinstance(data, Mapping):
            raise ValueError(f"an attempt must be an object, not {type(data).__name__}")
        for name, types in _FIELD_TYPES.items():
            if name not in data:
                raise ValueError(f"attempt is missing {name!r}")
            value = data[name]
            if isinstance(value, bool) or not isinstance(value, types):
                raise ValueError(f"attempt field {name!r} has the wrong type: {value!r}")
        diagnoses = data.get("diagnoses", [])
        if not isinstance(diagnoses, list) or not all(isinstance(d, str) for d in diagnoses):
            raise ValueError(f"attempt field 'diagnoses' must be a list of strings: {diagnoses!r}")
        feedback = data.get("feedback", "")
        truth = data.get("truth", "")
        if not isinstance(feedback, str) or not isinstance(truth, str):
            raise ValueError("attempt fields 'feedback' and 'truth' must be strings")
        return cls(
            lesson_id=data["lesson_id"],
            lesson_hash=data["lesson_hash"],
            step=data["step"],
            question_id=data["question_id"],
            expr=data["expr"],
            typed=data["typed"],
            verdict=data["verdict"],
            credit=float(data["credit"]),
            hints_used=data["hints_used"],
            seconds=float(data["seconds"]),
            timestamp=data["timestamp"],
            app_version=data["app_version"],
            diagnoses=tuple(diagnoses),
            feedback=feedback,
            truth=truth,
        )


def new_document(student: str, app_version: str) -> dict[str, Any]:
    """An empty learner document."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "student": student,
        "updated": utc_now_iso(),
        "app_version": app_version,
        "lessons": {},
        "reset": [],
    }


class DocumentError(ValueError):
    """A learner document that cannot be used. ``newer`` is True for a newer format version."""

    def __init__(self, message: str, *, newer: bool = False) -> None:
        super().__init__(message)
        self.newer = newer


def check_header(doc: Any) -> None:
    """Raise :class:`DocumentError` unless ``doc`` is a version-1 progress document (header and
    top-level shape only; cheap, used by the report)."""
    if not isinstance(doc, dict):
        raise DocumentError(f"not a progress document (top level is a {type(doc).__name__})")
    fmt = doc.get("format")
    if fmt != FORMAT:
        raise DocumentError(
            f"not a progress document (format is {fmt!r}, expected {FORMAT!r})"
            if fmt is not None
            else "not a progress document (no 'format' field)"
        )
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise DocumentError(f"progress document has no valid 'version' ({version!r})")
    if version > VERSION:
        raise DocumentError(
            f"written by a newer autograd-tutor (format version {version}; this one reads "
            f"version {VERSION})",
            newer=True,
        )
    if version < VERSION:
        raise DocumentError(f"outdated format version {version} (this one reads {VERSION})")
    if not isinstance(doc.get("lessons"), dict):
        raise DocumentError("progress document has no 'lessons' object")


def parse_document(doc: Any) -> LearnerProgress:
    """Validate a whole document and build its :class:`LearnerProgress` (``DocumentError`` if
    anything is wrong)."""
    check_header(doc)
    lessons: dict[str, list[Attempt]] = {}
    hashes: dict[str, str] = {}
    for lesson_id, entry in doc["lessons"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("attempts"), list):
            raise DocumentError(f"lesson {lesson_id!r} has no 'attempts' list")
        try:
            attempts = [Attempt.from_json(a) for a in entry["attempts"]]
        except ValueError as exc:
            raise DocumentError(f"lesson {lesson_id!r}: {exc}") from None
        for a in attempts:
            if a.lesson_id != lesson_id:
                raise DocumentError(
                    f"lesson {lesson_id!r} holds an attempt for lesson {a.lesson_id!r}"
                )
        lessons[lesson_id] = attempts
        h = entry.get("hash")
        hashes[lesson_id] = (
            h if isinstance(h, str) else (attempts[-1].lesson_hash if attempts else "")
        )
    reset = doc.get("reset", [])
    if not isinstance(reset, list):
        raise DocumentError("'reset' must be a list")
    student = doc.get("student")
    return LearnerProgress(
        student=student if isinstance(student, str) else "",
        lessons=lessons,
        hashes=hashes,
        reset_count=len(reset),
    )


@dataclass
class LearnerProgress:
    """One learner's attempts, queryable. Attempts of a lesson are in commit order."""

    student: str = ""
    lessons: dict[str, list[Attempt]] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    reset_count: int = 0

    def lesson_ids(self) -> list[str]:
        """Lessons with at least one attempt."""
        return [lid for lid, attempts in self.lessons.items() if attempts]

    def attempts(self, lesson_id: str) -> list[Attempt]:
        """This lesson's attempts in commit order (a copy)."""
        return list(self.lessons.get(lesson_id, ()))

    def all_attempts(self) -> list[Attempt]:
        return [a for attempts in self.lessons.values() for a in attempts]

    def latest(self, lesson_id: str) -> dict[str, Attempt]:
        """question id -> that question's latest attempt."""
        return {a.question_id: a for a in self.lessons.get(lesson_id, ())}

    def answered_questions(self, lesson_id: str) -> set[str]:
        """Question ids with any committed attempt (a skip counts as answered)."""
        return {a.question_id for a in self.lessons.get(lesson_id, ())}

    def score(self, lesson_id: str) -> tuple[float, int]:
        """``(credit_sum, n_answered)`` over each question's latest attempt."""
        latest = self.latest(lesson_id)
        return (sum(a.credit for a in latest.values()), len(latest))

    def lesson_hash(self, lesson_id: str) -> str | None:
        """The lesson hash the latest attempt was made under, None if never attempted."""
        return self.hashes.get(lesson_id) if self.lessons.get(lesson_id) else None

    def lesson_changed(self, lesson_id: str, current_hash: str) -> bool:
        """True when some question's latest attempt was made under another lesson version.

        Old answers stay; answering the question again under the current version clears it.
        """
        return any(a.lesson_hash != current_hash for a in self.latest(lesson_id).values())

    def first_unanswered_step(self, lesson: Any) -> int | None:
        """Where to resume ``lesson`` (a :class:`~autograd_tutor.lessons.model.Lesson`, or
        anything with ``id`` and ``steps`` whose items have ``index`` and ``questions``).

        Returns the ``index`` of the first step holding an unanswered question, moved back over
        question-less (explanation) steps right before it, so the learner sees them again; None
        when every question was answered.
        """
        answered = self.answered_questions(lesson.id)
        steps = list(lesson.steps)
        for pos, step in enumerate(steps):
            if any(q.id not in answered for q in step.questions):
                while pos > 0 and not steps[pos - 1].questions:
                    pos -= 1
                return steps[pos].index
        return None


def iter_attempt_dicts(doc: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    """The raw attempt dicts of a (checked) document, lesson by lesson, in commit order."""
    for entry in doc["lessons"].values():
        yield from entry["attempts"]
