"""What progress is made of: the one typed schema of a progress document (see
``docs/progress.md``), shared by the store, ``export`` and the teacher's report.

A document is decoded and validated in one pass by :func:`decode_document` (msgspec checks
every field's type and range while parsing; unknown fields are ignored, so a newer app may add
optional ones within a version). :class:`LearnerProgress` answers the questions the app asks
of one learner's attempts. Plain data, no I/O: :mod:`autograd_tutor.progress.store` reads and
writes documents. The worker pipe does not use this: it stays on stdlib ``json``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any, Literal

import msgspec

from autograd_tutor.presentation import Verdict

FORMAT = "autograd-tutor-progress"
VERSION = 1
PRACTICE_KEY = "practice"  # a lesson's exercise and experiment records (exercise_records.py)

_Credit = Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]
_Count = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]  # steps, hints: small counts
_Param = int | float  # a lesson parameter's value


def utc_now_iso() -> str:
    """The current time as ISO 8601 UTC, e.g. ``2025-03-01T09:30:12.123456+00:00``."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class Attempt(msgspec.Struct, frozen=True):
    """One committed answer (or skip) to one question. The first attempt recorded for a
    question is its first try; later ones are retries. Decoding checks every field (types,
    the verdict, credit within 0..1); the store checks what it writes by decoding it back."""

    lesson_id: str
    lesson_hash: str
    step: _Count
    question_id: str
    expr: str
    typed: str | None  # the text typed; None when skipped
    verdict: Verdict
    credit: _Credit  # 0..1, after the hint penalty
    hints_used: _Count
    seconds: float
    timestamp: str  # ISO 8601 UTC
    app_version: str
    diagnoses: tuple[str, ...] = ()  # misconception codes, e.g. "sign", "known_wrong"
    feedback: str = ""  # the message shown
    truth: str = ""  # torch's value as displayed
    # A parameterised lesson: the parameter values this attempt was given ({}: the lesson has
    # none, or the attempt predates variants and was given the default values).
    variant: dict[str, _Param] = {}
    take: _Count = 0  # 0: the first time through the lesson; 1, 2, ...: retakes with new numbers
    # the lesson's expect disagreed with torch (what differs); the attempt was scored against
    # torch, and the report counts it as the lesson's fault, never the learner's
    expect_disagrees: str = ""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (``diagnoses`` becomes a list, numbers floats where they are)."""
        data: dict[str, Any] = msgspec.to_builtins(self)
        data["credit"] = float(self.credit)
        data["seconds"] = float(self.seconds)
        data["diagnoses"] = list(self.diagnoses)
        if not self.variant:
            del data["variant"]
        if not self.take:
            del data["take"]
        return data


class FailedCheckRecord(msgspec.Struct, frozen=True):
    """A check an exercise attempt failed: its id and the sentence shown."""

    id: str
    says: str = ""


class ExerciseAttemptRecord(
    msgspec.Struct, frozen=True, kw_only=True, tag="exercise", tag_field="kind"
):
    """One run of a learner's exercise code, or the reference solution shown
    (``solution_shown``), as kept under a lesson's ``"practice"`` (exercise_records.py)."""

    code: str = ""
    passed: tuple[str, ...] = ()  # ids of the checks that passed
    failed: tuple[FailedCheckRecord, ...] = ()
    error: str = ""  # the error type when the code stopped, e.g. "NameError", "Timeout"
    solution_shown: bool = False
    seconds: float = 0.0
    timestamp: str = ""
    lesson_hash: str = ""
    app_version: str = ""

    @property
    def passed_all(self) -> bool:
        """The one definition of an exercise passed: the learner's own code ran without an
        error and failed no check (the record of the solution being shown never passes)."""
        return not self.failed and not self.error and not self.solution_shown


class ExperimentRunRecord(
    msgspec.Struct, frozen=True, kw_only=True, tag="experiment", tag_field="kind"
):
    """One run of an experiment: the knob settings, the prediction and the outcome."""

    settings: dict[str, Any] = {}
    predicted: str | None = None  # None: the prediction was skipped
    outcome: str | None = None  # None: no rule held, or the run failed
    losses: tuple[float | str, ...] = ()  # thinned; "nan", "inf" as text
    seconds: float = 0.0
    timestamp: str = ""
    lesson_hash: str = ""
    app_version: str = ""

    @property
    def skipped(self) -> bool:
        """The learner ran it without predicting the outcome."""
        return self.predicted is None

    @property
    def right(self) -> bool:
        """The prediction named the outcome the rules gave."""
        return self.predicted is not None and self.predicted == self.outcome


PracticeAttempt = ExerciseAttemptRecord | ExperimentRunRecord


def practice_attempt(raw: Any) -> PracticeAttempt | None:
    """One stored practice attempt as a typed record; None for one that does not validate (a
    file edited by hand, a newer kind): it is left out, the rest of the document still counts."""
    try:
        return msgspec.convert(raw, PracticeAttempt)
    except msgspec.ValidationError:
        return None


class LessonRecord(msgspec.Struct, kw_only=True):
    """A lesson's attempts in commit order, and the hash of the lesson they were given to."""

    attempts: list[Attempt]
    hash: str = ""


class ResetRecord(msgspec.Struct, kw_only=True):
    """Attempts archived by a lesson reset (kept in the record, no longer counted)."""

    lesson_id: str
    attempts: list[Attempt] = []
    hash: str = ""
    reset_at: str = ""
    practice: dict[str, Any] = {}  # the lesson's practice entries as they were


class ProgressDocument(msgspec.Struct, kw_only=True):
    """One learner's progress file (a results file in a lab folder is the same document)."""

    format: Literal["autograd-tutor-progress"]
    version: Literal[1]
    lessons: dict[str, LessonRecord]
    student: str = ""
    updated: str = ""
    app_version: str = ""
    reset: list[ResetRecord] = []


class _Header(msgspec.Struct):
    """Just enough of a document to say why it did not validate."""

    format: Any = None
    version: Any = None


class DocumentError(ValueError):
    """A learner document that cannot be used. ``newer`` is True for a newer format version."""

    def __init__(self, message: str, *, newer: bool = False) -> None:
        super().__init__(message)
        self.newer = newer


_DECODER = msgspec.json.Decoder(ProgressDocument)
_HEADER_DECODER = msgspec.json.Decoder(_Header)


def decode_document(data: bytes) -> ProgressDocument:
    """Parse and validate a progress document from its file's bytes.

    Raises :class:`DocumentError` saying what is wrong (``newer`` set for a document written by
    a newer format version), never anything else for bad data.
    """
    try:
        doc = _DECODER.decode(data)
    except msgspec.ValidationError as exc:
        raise _explain(data, str(exc)) from None
    except msgspec.DecodeError as exc:
        raise DocumentError(describe_json_error(data, str(exc))) from None
    except RecursionError:  # deeply nested arrays or objects
        raise DocumentError("nested too deeply to be a progress document") from None
    _check_lessons(doc)
    return doc


def convert_document(raw: Any) -> ProgressDocument:
    """Validate an already parsed JSON value as a document (:class:`DocumentError` if not)."""
    try:
        doc = msgspec.convert(raw, ProgressDocument)
    except msgspec.ValidationError as exc:
        raise _explain_header(raw, str(exc)) from None
    _check_lessons(doc)
    return doc


def _check_lessons(doc: ProgressDocument) -> None:
    for lesson_id, record in doc.lessons.items():
        for attempt in record.attempts:
            if attempt.lesson_id != lesson_id:
                raise DocumentError(
                    f"lesson {lesson_id!r} holds an attempt for lesson {attempt.lesson_id!r}"
                )


def _explain(data: bytes, detail: str) -> DocumentError:
    try:
        header = _HEADER_DECODER.decode(data)
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
        return DocumentError(f"not a progress document (top level is not an object: {detail})")
    return _explain_header(header, detail)


def _explain_header(header: Any, detail: str) -> DocumentError:
    if isinstance(header, dict):
        header = _Header(header.get("format"), header.get("version"))
    if not isinstance(header, _Header):
        return DocumentError(f"not a progress document (top level is a {type(header).__name__})")
    fmt, version = header.format, header.version
    if fmt != FORMAT:
        return DocumentError(
            f"not a progress document (format is {fmt!r}, expected {FORMAT!r})"
            if fmt is not None
            else "not a progress document (no 'format' field)"
        )
    if isinstance(version, bool) or not isinstance(version, int):
        return DocumentError(f"progress document has no valid 'version' ({version!r})")
    if version > VERSION:
        return DocumentError(
            f"written by a newer autograd-tutor (format version {version}; this one reads "
            f"version {VERSION})",
            newer=True,
        )
    if version < VERSION:
        return DocumentError(f"outdated format version {version} (this one reads {VERSION})")
    return DocumentError(f"malformed progress document ({detail})")


def describe_json_error(data: bytes, detail: str) -> str:
    """A short human reason why ``data`` is not JSON."""
    if not data.strip():
        return "the file is empty"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "not text (binary data or not UTF-8)"
    if "truncated" in detail.lower():
        return f"truncated JSON (the file ends after {len(data)} bytes, mid-document)"
    return f"not valid JSON ({detail})"


def encode_document(doc: ProgressDocument | dict[str, Any]) -> bytes:
    """The compact UTF-8 JSON bytes of a document, as the store writes them."""
    return msgspec.json.encode(doc)


def new_document(student: str, app_version: str) -> dict[str, Any]:
    """An empty learner document (a plain dict, as the store edits it)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "student": student,
        "updated": utc_now_iso(),
        "app_version": app_version,
        "lessons": {},
        "reset": [],
    }


class LearnerProgress:
    """One learner's attempts, queryable. Attempts of a lesson are in commit order."""

    def __init__(self, doc: ProgressDocument | None = None) -> None:
        self.student = doc.student if doc is not None else ""
        self.lessons: dict[str, list[Attempt]] = {}
        self.hashes: dict[str, str] = {}
        if doc is not None:
            for lesson_id, record in doc.lessons.items():
                self.lessons[lesson_id] = list(record.attempts)
                last = record.attempts[-1].lesson_hash if record.attempts else ""
                self.hashes[lesson_id] = record.hash or last

    def attempts(self, lesson_id: str) -> list[Attempt]:
        """This lesson's attempts in commit order (a copy)."""
        return list(self.lessons.get(lesson_id, ()))

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
        return first_unanswered_step(lesson, self.answered_questions(lesson.id))


def first_unanswered_step(lesson: Any, answered: set[str]) -> int | None:
    """The ``index`` of the first step of ``lesson`` holding a question not in ``answered``,
    moved back over question-less steps right before it; None when all are answered."""
    steps = list(lesson.steps)
    for pos, step in enumerate(steps):
        if any(q.id not in answered for q in step.questions):
            while pos > 0 and not steps[pos - 1].questions:
                pos -= 1
            return int(steps[pos].index)
    return None
