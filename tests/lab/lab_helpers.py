"""Writing a lab's results folder as learners' machines would: documents in the progress
format, each answer scored by the app's own parser and scorer against the bundled lessons (so
it verifies), written atomically like the store; and hand-edited ones."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autograd_tutor.grading import parse_prediction, score
from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.lessons.model import Lesson
from autograd_tutor.progress.paths import file_stem
from autograd_tutor.progress.records import new_document

Answer = tuple[str, str, str | None]  # (lesson id, question id, typed; None = skipped)


@functools.cache
def bundled() -> dict[str, Lesson]:
    lessons, _ = load_lessons(None)
    return {lesson.id: lesson for lesson in lessons}


def attempt(lesson_id: str, question_id: str, typed: str | None, n: int = 0) -> dict[str, Any]:
    """One attempt as the app records it (verdict, credit and feedback from the scorer)."""
    lesson = bundled()[lesson_id]
    step, question = next((s, q) for s in lesson.steps for q in s.questions if q.id == question_id)
    assert question.expect is not None
    if typed is None:
        verdict, credit, feedback, codes = "skipped", 0.0, "", []
    else:
        result = score(
            parse_prediction(typed, question.expr),
            question.expect,
            tolerance=question.tolerance,
            known_wrong=[(w.answer, w.says) for w in question.wrong],
        )
        verdict, credit, feedback = result.verdict, result.credit, result.feedback
        codes = [d.code for d in result.diagnoses]
    return {
        "lesson_id": lesson_id,
        "lesson_hash": lesson.content_hash,
        "step": step.index,
        "question_id": question_id,
        "expr": question.expr,
        "typed": typed,
        "verdict": verdict,
        "credit": credit,
        "hints_used": 0,
        "seconds": 5.0,
        "timestamp": f"2026-01-01T10:{n // 60:02d}:{n % 60:02d}.000000+00:00",
        "app_version": "0.1.0",
        "diagnoses": codes,
        "feedback": feedback,
        "truth": str(question.expect.data),
    }


def exercise_run(failed: Sequence[str] = (), *, error: str = "") -> dict[str, Any]:
    return {
        "kind": "exercise",
        "code": "for i in range(10): pass",
        "passed": [],
        "failed": [{"id": f"check {i + 1}", "says": says} for i, says in enumerate(failed)],
        "error": error,
        "solution_shown": False,
        "seconds": 1.0,
        "timestamp": "2026-01-01T10:30:00.000000+00:00",
        "lesson_hash": bundled()["training-loop"].content_hash,
        "app_version": "0.1.0",
    }


def document(
    student: str,
    answers: Sequence[Answer] = (),
    practice: dict[tuple[str, int], list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    doc = new_document(student, "0.1.0")
    for n, (lesson_id, question_id, typed) in enumerate(answers):
        entry = doc["lessons"].setdefault(
            lesson_id, {"hash": bundled()[lesson_id].content_hash, "attempts": []}
        )
        entry["attempts"].append(attempt(lesson_id, question_id, typed, n))
    for (lesson_id, step), runs in (practice or {}).items():
        entry = doc["lessons"].setdefault(
            lesson_id, {"hash": bundled()[lesson_id].content_hash, "attempts": []}
        )
        entry.setdefault("practice", {})[str(step)] = {"code": None, "attempts": runs}
    return doc


def write(folder: Path, doc: dict[str, Any] | bytes, name: str | None = None) -> Path:
    """Write a document (or raw bytes) as the store does: a temporary file, then a rename."""
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(doc, dict):
        name = name or f"{file_stem(doc['student'])}.json"
        data = json.dumps(doc).encode("utf-8")
    else:
        data = doc
    assert name is not None
    path = folder / name
    tmp = folder / f".{name}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def learner(
    folder: Path,
    student: str,
    answers: Sequence[Answer] = (),
    practice: dict[tuple[str, int], list[dict[str, Any]]] | None = None,
) -> Path:
    return write(folder, document(student, answers, practice))


FIRST = "first-gradient"
# first-gradient's step 1 asks 1.1 y (16), 1.2 x.grad (8), 1.3 y.requires_grad, 1.4 y.grad_fn
ALL_RIGHT_STEP_1: list[Answer] = [
    (FIRST, "1.1", "16"),
    (FIRST, "1.2", "8"),
    (FIRST, "1.3", "True"),
    (FIRST, "1.4", "PowBackward0"),
]
ALL_RIGHT_STEP_2: list[Answer] = [
    (FIRST, "2.1", "1040"),
    (FIRST, "2.2", "[[16, 33, 5], [56, 85, 33], [161, 120, 56]]"),
    (FIRST, "2.3", "(3, 3)"),
]
FORWARD_VALUE = "16 is y, the forward value."  # the start of 1.2's known wrong answer 16
