"""Who needs the teacher now, and why: the stuck-learner rules.

- **the same question wrong** ``wrong_in_a_row`` times in a row, still not right (the latest
  attempts of that question are all wrong or partly right);
- **a failing exercise run** ``exercise_runs`` times without a pass (and no solution shown);
- **no progress** for ``idle_minutes`` while a lesson is in progress (the file has not changed
  by the folder's clock, so a learner's wrong system clock does not matter).

Only attempts that count (:mod:`.learner`) are looked at; an unreadable file is never stuck.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from autograd_tutor.lab.learner import CheckedAttempt, LearnerRecord, LessonIndex

StuckKind = Literal["question", "exercise", "idle"]
_ORDER = {"question": 0, "exercise": 1, "idle": 2}


@dataclass(frozen=True)
class StuckRules:
    wrong_in_a_row: int = 3
    exercise_runs: int = 5
    idle_minutes: float = 10.0


@dataclass(frozen=True)
class Stuck:
    """One reason one learner is stuck: where, how many times, and the misconception (or the
    failing check) in words."""

    path: Path
    student: str
    kind: StuckKind
    lesson_id: str
    where: str  # "1.2 x.grad", "step 4: Your turn: write the loop", ""
    count: int  # times wrong in a row, failing runs, minutes without progress
    why: str  # the misconception, the failing check, or "" (idle)
    last_answer: str = ""  # what was typed last (questions)

    @property
    def summary(self) -> str:
        """Short: ``wrong 3× in a row``, ``7 failing runs``, ``idle 14 min``."""
        if self.kind == "question":
            return f"wrong {self.count}× in a row"
        if self.kind == "exercise":
            return f"{self.count} failing runs"
        return f"no progress for {self.count} min"


def misconception(attempt: CheckedAttempt) -> str:
    """The misconception the app diagnosed for a wrong answer, in the words the learner saw."""
    a = attempt.attempt
    if a.feedback.strip():
        return " ".join(a.feedback.split())
    return "no misconception diagnosed"


def _wrong_runs(record: LearnerRecord, rules: StuckRules, index: LessonIndex) -> list[Stuck]:
    by_question: dict[tuple[str, str], list[CheckedAttempt]] = {}
    for a in record.counted():
        by_question.setdefault((a.attempt.lesson_id, a.attempt.question_id), []).append(a)
    out = []
    for (lesson_id, question_id), attempts in by_question.items():
        run = 0
        for a in reversed(attempts):
            if not a.wrong:
                break
            run += 1
        if run >= rules.wrong_in_a_row:
            last = attempts[-1]
            expr = last.attempt.expr
            out.append(
                Stuck(
                    record.path,
                    record.student,
                    "question",
                    lesson_id,
                    f"{question_id} {expr}",
                    run,
                    misconception(last),
                    last.attempt.typed or "",
                )
            )
    return out


def _failing_exercises(record: LearnerRecord, rules: StuckRules, index: LessonIndex) -> list[Stuck]:
    runs: dict[tuple[str, int], list[tuple[str, ...]]] = {}
    done: set[tuple[str, int]] = set()
    for t in record.practice:
        if t.kind != "exercise":
            continue
        where = (t.lesson_id, t.step)
        if t.passed or t.solution_shown:
            done.add(where)
        else:
            runs.setdefault(where, []).append(t.failed_checks)
    out = []
    for (lesson_id, step), failures in runs.items():
        if (lesson_id, step) in done or len(failures) < rules.exercise_runs:
            continue
        title = index.lessons[lesson_id].steps[step].title
        why = failures[-1][0] if failures[-1] else "the checks did not pass"
        out.append(
            Stuck(
                record.path,
                record.student,
                "exercise",
                lesson_id,
                f"step {step + 1}: {title}" if title else f"step {step + 1}",
                len(failures),
                why,
            )
        )
    return out


def lasting_reasons(record: LearnerRecord, index: LessonIndex, rules: StuckRules) -> list[Stuck]:
    """The reasons that last until the file changes: a question wrong again and again, a
    failing exercise (worked out once per read of the file)."""
    if record.problem:
        return []
    return _wrong_runs(record, rules, index) + _failing_exercises(record, rules, index)


def idle_reason(
    record: LearnerRecord, rules: StuckRules, *, now: float, in_progress: Sequence[str]
) -> Stuck | None:
    """No progress: a lesson in progress (``in_progress``, the first is named) and the file
    unchanged for ``idle_minutes`` by the folder's clock."""
    if record.problem or not in_progress or now - record.mtime < rules.idle_minutes * 60:
        return None
    minutes = int((now - record.mtime) // 60)
    return Stuck(record.path, record.student, "idle", in_progress[0], "", minutes, "")


def most_pressing_first(reasons: list[Stuck]) -> list[Stuck]:
    """Questions, then exercises, then idle; the most repeated first; then by name."""
    return sorted(reasons, key=lambda s: (_ORDER[s.kind], -s.count, s.student.casefold()))
