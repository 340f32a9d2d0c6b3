"""Make a lab's results folder as a class would leave it mid-lab, to try ``watch`` or ``report``:

    .venv/bin/python scripts/demo_lab.py DIR [--learners 30] [--seed 1]

Each learner has worked through the first few bundled lessons; each answer is scored by the
app's own parser and scorer (so it verifies), wrong ones taken from the lessons' known wrong
answers (with their misconceptions); a few learners keep answering one question wrong, a few
keep failing the training-loop exercise. Files are written as the store writes them (a
temporary file, then a rename). Used by ``benchmarks/bench_watch_refresh.py`` and
``scripts/watch_screenshot.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path
from typing import Any

from autograd_tutor.grading import parse_prediction, score
from autograd_tutor.lessons.loader import load_lessons
from autograd_tutor.lessons.model import ExerciseStep, Lesson, Question
from autograd_tutor.progress.paths import file_stem
from autograd_tutor.progress.records import new_document
from autograd_tutor.values import Value

NAMES = (
    "Ada Bea Cy Dara Eli Fay Gus Hana Ivo Jun Kai Lea Milo Nia Omar Pia Quin Rosa Sam Tia "
    "Uma Vic Wen Xia Yul Zoe"
).split()
CHECK_FAILS = (
    "gradients were never zeroed: before backward() call 2, w.grad still held the previous "
    "gradient",
    "the loss did not go down: it ended at 4.1, the first value was 4.0",
)


def scored_attempt(
    lesson: Lesson, step: int, question: Question, typed: str, minute: int
) -> dict[str, Any]:
    """One attempt as the app records it."""
    assert question.expect is not None
    result = score(
        parse_prediction(typed, question.expr),
        question.expect,
        tolerance=question.tolerance,
        known_wrong=[(w.answer, w.says) for w in question.wrong],
    )
    return {
        "lesson_id": lesson.id,
        "lesson_hash": lesson.content_hash,
        "step": step,
        "question_id": question.id,
        "expr": question.expr,
        "typed": typed,
        "verdict": result.verdict,
        "credit": result.credit,
        "hints_used": 0,
        "seconds": 20.0,
        "timestamp": f"2026-03-02T09:{minute // 60 % 60:02d}:{minute % 60:02d}.000000+00:00",
        "app_version": "0.1.0",
        "diagnoses": [d.code for d in result.diagnoses],
        "feedback": result.feedback,
        "truth": str(question.expect.data),
    }


_TYPABLE = ("number", "tensor", "bool", "name", "shape", "none")


def _text(value: Value) -> str:
    """A value as a learner types it."""
    if value.kind == "bool":
        return str(bool(value.data))
    if value.kind == "name":
        return str(value.data)
    if value.kind == "none":
        return "None"
    if value.kind == "shape":
        return str(tuple(value.data))
    return json.dumps(value.data)


def _wrong_text(question: Question, rng: random.Random) -> str:
    assert question.expect is not None
    if question.wrong and rng.random() < 0.8:
        return _text(rng.choice(question.wrong).answer)
    if question.expect.kind == "bool":
        return str(not question.expect.data)
    if question.expect.kind == "name":
        return "MulBackward0"
    if question.expect.kind == "shape":
        return "(1,)"
    if question.expect.kind == "none":
        return "0"
    return str(rng.randint(-5, 50))


def _right_text(question: Question) -> str:
    assert question.expect is not None
    return _text(question.expect)


def learner_document(name: str, lessons: list[Lesson], rng: random.Random) -> dict[str, Any]:
    doc = new_document(name, "0.1.0")
    minute = 0
    stuck_here = rng.random() < 0.15  # stuck on the first question with known wrong answers
    taken = lessons[: rng.randint(1, 4)]
    if rng.random() < 0.3:  # on to the training loop's exercise
        taken += [lesson for lesson in lessons if lesson.id == "training-loop"]
    for lesson in taken:
        entry: dict[str, Any] = {"hash": lesson.content_hash, "attempts": []}
        doc["lessons"][lesson.id] = entry
        stop = rng.randint(1, len(lesson.steps))
        for step in lesson.steps[:stop]:
            if isinstance(step, ExerciseStep):
                runs = rng.randint(1, 7)
                passes = rng.random() < 0.5
                attempts = [
                    {
                        "kind": "exercise",
                        "code": "...",
                        "passed": [],
                        "failed": [{"id": "check 1", "says": rng.choice(CHECK_FAILS)}],
                        "error": "",
                        "solution_shown": False,
                        "seconds": 2.0,
                        "timestamp": f"2026-03-02T09:{minute % 60:02d}:30.000000+00:00",
                        "lesson_hash": lesson.content_hash,
                        "app_version": "0.1.0",
                    }
                    for _ in range(runs)
                ]
                if passes:
                    attempts[-1]["failed"] = []
                entry["practice"] = {str(step.index): {"code": "...", "attempts": attempts}}
            for q in step.questions:
                if q.expect is None or q.expect.kind not in _TYPABLE:
                    continue
                tries = 0
                while True:
                    minute += 1
                    tries += 1
                    stuck_now = stuck_here and bool(q.wrong)
                    wrong = (stuck_now and tries <= 3) or rng.random() < 0.3
                    typed = _wrong_text(q, rng) if wrong and tries < 4 else _right_text(q)
                    entry["attempts"].append(scored_attempt(lesson, step.index, q, typed, minute))
                    if not wrong or tries >= 4:
                        break
                    if stuck_now and tries == 3:
                        return doc
    return doc


def make_lab(folder: Path, learners: int, seed: int = 1) -> list[Path]:
    """Write ``learners`` results files into ``folder``; their paths."""
    rng = random.Random(seed)
    lessons, _ = load_lessons(None)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(learners):
        name = NAMES[i % len(NAMES)] + (f" {i // len(NAMES) + 1}" if i >= len(NAMES) else "")
        paths.append(write_document(folder, learner_document(name, lessons, rng)))
    for path in paths[3::11]:  # a few have not saved anything for a quarter of an hour
        quiet = time.time() - 15 * 60
        os.utime(path, (quiet, quiet))
    return paths


def write_document(folder: Path, doc: dict[str, Any]) -> Path:
    path = folder / f"{file_stem(doc['student'])}.json"
    tmp = folder / f".{path.name}.tmp"
    tmp.write_bytes(json.dumps(doc).encode("utf-8"))
    os.replace(tmp, path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = make_lab(args.folder, args.learners, args.seed)
    print(f"{len(paths)} results files in {args.folder}")


if __name__ == "__main__":
    main()
