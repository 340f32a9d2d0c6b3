"""Helpers for the progress tests: attempts and fake lessons (``run_cli`` and ``child_env`` are
in ``tests/cli_runner.py``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograd_tutor.progress import Attempt, utc_now_iso


def make_attempt(
    lesson_id: str = "chain-rule",
    question_id: str = "1.1",
    *,
    step: int = 0,
    typed: str | None = "[2., 4.]",
    verdict: str = "right",
    credit: float | None = None,
    lesson_hash: str = "hash-v1",
    expr: str = "x.grad",
    diagnoses: tuple[str, ...] = (),
    feedback: str = "",
) -> Attempt:
    if credit is None:
        credit = {"right": 1.0, "partial": 0.5}.get(verdict, 0.0)
    return Attempt(
        lesson_id=lesson_id,
        lesson_hash=lesson_hash,
        step=step,
        question_id=question_id,
        expr=expr,
        typed=typed,
        verdict=verdict,
        credit=credit,
        hints_used=0,
        seconds=4.5,
        timestamp=utc_now_iso(),
        app_version="0.1.0",
        diagnoses=diagnoses,
        feedback=feedback,
        truth="[2., 4.]",
    )


@dataclass
class FakeQuestion:
    id: str


@dataclass
class FakeStep:
    index: int
    questions: list[FakeQuestion] = field(default_factory=list)


@dataclass
class FakeLesson:
    id: str
    steps: list[FakeStep]


def teacher_lessons_for(results: Path, lessons_dir: Path) -> Path:
    """A teacher's lessons folder that holds the lessons, questions and expressions the results
    files in ``results`` were made up with (``make_attempt``'s "chain-rule", "2.1", "x.grad"),
    so that ``report --lessons`` counts them. Each lesson's newest version (the hash of its
    most recent attempt) becomes the folder's version: the results files' attempts with that
    hash are rewritten to the lesson's real hash; other hashes stay another version."""
    from autograd_tutor.lessons.loader import load_lessons

    docs: dict[Path, dict[str, Any]] = {}
    for path in sorted(results.glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            for record in doc["lessons"].values():
                for a in record["attempts"]:
                    a["lesson_hash"], a["question_id"], a["expr"], a["timestamp"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # the broken files of a lab stay as they are
        docs[path] = doc
    questions: dict[str, dict[str, str]] = {}
    newest: dict[str, tuple[str, str]] = {}  # lesson id -> (timestamp, hash)
    for doc in docs.values():
        for lesson_id, record in doc["lessons"].items():
            for a in record["attempts"]:
                questions.setdefault(lesson_id, {})[a["question_id"]] = a["expr"]
                newest[lesson_id] = max(
                    newest.get(lesson_id, ("", "")), (a["timestamp"], a["lesson_hash"])
                )
    lessons_dir.mkdir(parents=True, exist_ok=True)
    for lesson_id, asked in questions.items():
        by_step: dict[int, dict[int, str]] = {}
        for qid, expr in asked.items():
            step, pos = (int(n) for n in qid.split("."))
            by_step.setdefault(step, {})[pos] = expr
        steps = []
        for step in range(1, max(by_step) + 1):
            entry: dict[str, Any] = {"explain": f"Step {step}.", "code": "x = torch.tensor(1.0)"}
            exprs = by_step.get(step, {})
            if exprs:
                entry["ask"] = [{"expr": exprs.get(pos, "x")} for pos in range(1, max(exprs) + 1)]
            steps.append(entry)
        lesson = {"id": lesson_id, "title": lesson_id, "summary": "Made up.", "steps": steps}
        (lessons_dir / f"{lesson_id}.yaml").write_text(json.dumps(lesson), encoding="utf-8")
    loaded, broken = load_lessons(lessons_dir)
    assert not broken, broken
    real = {lesson.id: lesson.content_hash for lesson in loaded}
    for path, doc in docs.items():
        for lesson_id, record in doc["lessons"].items():
            for a in record["attempts"]:
                if a["lesson_hash"] == newest[lesson_id][1]:
                    a["lesson_hash"] = real[lesson_id]
            if record.get("hash") == newest[lesson_id][1]:
                record["hash"] = real[lesson_id]
        path.write_text(json.dumps(doc), encoding="utf-8")
    return lessons_dir
