"""The class at one moment: every learner's standing per lesson, the questions and exercises
across the class, and who is stuck; kept up to date by re-reading only the files that changed.

What "finished" and the score mean is the learner app's own:
:func:`~autograd_tutor.session.summary.take_standing` (each question's first try, in the take
the learner is on) and :mod:`~autograd_tutor.session.standing` (an exercise passed or its
solution shown, an experiment run).
"""

from __future__ import annotations

import functools
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from autograd_tutor.lab.learner import CheckedAttempt, LearnerRecord, LessonIndex, read_learner
from autograd_tutor.lab.poller import FolderPoller
from autograd_tutor.lab.stuck import (
    Stuck,
    StuckRules,
    idle_reason,
    lasting_reasons,
    misconception,
    most_pressing_first,
)
from autograd_tutor.lessons.model import ExerciseStep, Lesson, Question
from autograd_tutor.lessons.variants import take_of
from autograd_tutor.progress.records import PracticeAttempt
from autograd_tutor.progress.report import FileProblem, normalize_answer
from autograd_tutor.session.standing import practice_standings_from
from autograd_tutor.session.summary import take_standing

CellState = Literal["not started", "in progress", "finished"]
SortKey = Literal["name", "progress", "score"]
TOP_WRONG = 3


@dataclass(frozen=True)
class Cell:
    """One learner on one lesson."""

    state: CellState
    step: int = 0  # 1-based: the first step still to do (in progress)
    steps: int = 0
    percent: int = 0  # first-try score of the questions answered (finished: of all)
    answered: int = 0

    @property
    def text(self) -> str:
        if self.state == "finished":
            return f"✓ {self.percent}%"
        if self.state == "in progress":
            return f"step {self.step}/{self.steps}"
        return "·"


def lesson_cell(lesson: Lesson, record: LearnerRecord) -> Cell:
    """Where ``record``'s learner stands on ``lesson``: the learner app's own summary
    (first tries; finished = every question answered, every exercise and experiment done)."""
    attempts = record.counted(lesson.id)
    practice = [t for t in record.practice if t.lesson_id == lesson.id]
    if not attempts and not practice:
        return Cell("not started", steps=len(lesson.steps))
    tried: dict[int, list[PracticeAttempt]] = {}
    for t in practice:
        tried.setdefault(t.step, []).append(t.record)
    standings = {p.step_index: p for p in practice_standings_from(lesson, tried)}
    answers = [a.attempt for a in attempts]
    take = take_of(answers)
    summary = take_standing(lesson, answers, take, tuple(standings.values()))
    if summary.finished:
        return Cell("finished", 0, len(lesson.steps), summary.percent, summary.answered)
    answered_ids = {a.question_id for a in answers if a.take == take}
    todo = next(
        step.index
        for step in lesson.steps
        if (step.index in standings and not standings[step.index].done)
        or any(q.id not in answered_ids for q in step.questions)
    )
    percent = round(100 * summary.credit / summary.answered) if summary.answered else 0
    return Cell("in progress", todo + 1, len(lesson.steps), percent, summary.answered)


@dataclass(frozen=True)
class LearnerView:
    """A learner's row: the record, a cell per lesson, the sort keys, and why they are stuck
    (what lasts until their file changes; idleness is looked at on every refresh)."""

    record: LearnerRecord
    cells: dict[str, Cell]
    stuck: tuple[Stuck, ...] = ()
    answers: LearnerAnswers = field(default_factory=lambda: LearnerAnswers((), ()))

    @classmethod
    def of(
        cls, record: LearnerRecord, lessons: list[Lesson], index: LessonIndex, rules: StuckRules
    ) -> LearnerView:
        """Everything shown about one file, worked out once per read of it."""
        if record.problem:
            return cls(record, {})
        return cls(
            record,
            {lesson.id: lesson_cell(lesson, record) for lesson in lessons},
            tuple(lasting_reasons(record, index, rules)),
            answers_of(record),
        )

    @property
    def student(self) -> str:
        return self.record.student

    @property
    def progress(self) -> tuple[int, float]:
        """Lessons finished, then the share of steps done in the others."""
        finished = sum(1 for c in self.cells.values() if c.state == "finished")
        partial = sum(
            (c.step - 1) / c.steps for c in self.cells.values() if c.state == "in progress"
        )
        return finished, partial

    @property
    def score(self) -> float:
        """First-try score over every question answered so far (0..100; -1 when none)."""
        answered = sum(c.answered for c in self.cells.values())
        if not answered:
            return -1.0
        return sum(c.percent * c.answered for c in self.cells.values()) / answered

    @functools.cached_property
    def in_progress(self) -> list[str]:
        return [lid for lid, c in self.cells.items() if c.state == "in progress"]


_QKey = tuple[str, str]  # (lesson id, question id)


@dataclass(frozen=True)
class LearnerAnswers:
    """One learner's first answer to each question, and their wrong answers (normalised as
    ``report`` does, with the misconception in words)."""

    firsts: tuple[tuple[_QKey, CheckedAttempt], ...]
    wrong: tuple[tuple[_QKey, str, str], ...]


def answers_of(record: LearnerRecord) -> LearnerAnswers:
    firsts: dict[_QKey, CheckedAttempt] = {}
    wrong = []
    for a in record.counted():
        key = (a.attempt.lesson_id, a.attempt.question_id)
        firsts.setdefault(key, a)
        if a.wrong and a.attempt.typed is not None:
            wrong.append((key, normalize_answer(a.attempt.typed), misconception(a)))
    return LearnerAnswers(tuple(firsts.items()), tuple(wrong))


@dataclass(frozen=True)
class FirstAnswer:
    """One learner's first answer to one question."""

    student: str
    path: Path
    attempt: CheckedAttempt


@dataclass(frozen=True)
class WrongAnswer:
    text: str  # normalised as report does
    count: int
    misconception: str


@dataclass(frozen=True)
class QuestionView:
    lesson_id: str
    question: Question
    step: int  # 0-based
    firsts: tuple[FirstAnswer, ...]  # every learner's first answer, by name
    wrong: tuple[WrongAnswer, ...]  # the most common wrong answers (every attempt), most first

    @property
    def learners(self) -> int:
        return len(self.firsts)

    @property
    def first_right(self) -> int:
        return sum(1 for f in self.firsts if f.attempt.verdict == "right")

    @property
    def share(self) -> float:
        return self.first_right / self.learners if self.learners else 0.0


@dataclass(frozen=True)
class ExerciseView:
    lesson_id: str
    step: int  # 0-based
    title: str
    tried: int  # learners who ran their code
    passed: int  # learners with a passing run
    runs: int
    failing: tuple[tuple[str, int], ...]  # (what the check says, failed runs), most first


@dataclass
class ClassState:
    """The class over one folder. :meth:`refresh` polls it; the views are rebuilt only when a
    file changed. Never writes into the folder."""

    directory: Path
    lessons: list[Lesson]
    rules: StuckRules = field(default_factory=StuckRules)
    clock: Callable[[], float] = time.time
    index: LessonIndex = field(init=False)
    records: dict[Path, LearnerRecord] = field(default_factory=dict)
    skipped: list[FileProblem] = field(default_factory=list)
    folder_problem: str = ""  # the folder cannot be listed now ("" when it can)
    learners: list[LearnerView] = field(default_factory=list)
    questions: list[QuestionView] = field(default_factory=list)
    exercises: list[ExerciseView] = field(default_factory=list)
    stuck: list[Stuck] = field(default_factory=list)
    refreshed_at: float = 0.0

    def __post_init__(self) -> None:
        self.index = LessonIndex.of(self.lessons)
        self._poller = FolderPoller(self.directory)
        self._views: dict[Path, LearnerView] = {}

    def refresh(self) -> bool:
        """Poll the folder, re-read what changed; True when what is shown changed."""
        self.refreshed_at = self.clock()
        try:
            changes = self._poller.poll()
        except OSError as exc:
            problem = f"cannot list the folder ({exc.strerror or exc})"
            changed = problem != self.folder_problem
            self.folder_problem = problem
            return changed
        changed = bool(self.folder_problem) or changes.any
        self.folder_problem = ""
        for path in changes.removed:
            self.records.pop(path, None)
            self._views.pop(path, None)
        for path, mtime in changes.changed:
            record = self.records[path] = read_learner(path, self.index, mtime)
            self._views[path] = LearnerView.of(record, self.lessons, self.index, self.rules)
        self.skipped = changes.skipped
        if changed:
            self._rebuild()
        stuck = self._stuck()
        if stuck != self.stuck:
            self.stuck = stuck
            changed = True
        return changed

    # -- views -------------------------------------------------------------------------------

    @property
    def shown_lessons(self) -> list[Lesson]:
        """The lessons someone has started (all of them while nobody has), in course order."""
        started = {
            lid for v in self.learners for lid, c in v.cells.items() if c.state != "not started"
        }
        return [lesson for lesson in self.lessons if lesson.id in started] or list(self.lessons)

    def sorted_learners(self, key: SortKey) -> list[LearnerView]:
        by_name = sorted(self.learners, key=lambda v: (v.student.casefold(), str(v.record.path)))
        if key == "progress":
            return sorted(by_name, key=lambda v: v.progress, reverse=True)
        if key == "score":
            return sorted(by_name, key=lambda v: v.score, reverse=True)
        return by_name

    def learner(self, path: Path) -> LearnerView | None:
        return next((v for v in self.learners if v.record.path == path), None)

    def question(self, lesson_id: str, question_id: str) -> QuestionView | None:
        return next(
            (q for q in self.questions if (q.lesson_id, q.question.id) == (lesson_id, question_id)),
            None,
        )

    def _rebuild(self) -> None:
        records = sorted(self.records.values(), key=lambda r: (r.student.casefold(), str(r.path)))
        self.learners = [self._views[r.path] for r in records]
        self.questions = _questions(self.lessons, self.learners)
        self.exercises = _exercises(self.lessons, records)

    def _stuck(self) -> list[Stuck]:
        now = self.clock()
        out: list[Stuck] = []
        for view in self.learners:
            out += view.stuck
            idle = idle_reason(view.record, self.rules, now=now, in_progress=view.in_progress)
            if idle is not None:
                out.append(idle)
        return most_pressing_first(out)


def _questions(lessons: list[Lesson], learners: Iterable[LearnerView]) -> list[QuestionView]:
    """Per question: every learner's first answer (in the learners' order), the most common
    wrong answers."""
    firsts: dict[_QKey, list[FirstAnswer]] = {}
    wrong: dict[_QKey, Counter[str]] = {}
    meaning: dict[tuple[str, str, str], str] = {}
    for view in learners:
        r = view.record
        for key, a in view.answers.firsts:
            firsts.setdefault(key, []).append(FirstAnswer(r.student, r.path, a))
        for key, text, words in view.answers.wrong:
            wrong.setdefault(key, Counter())[text] += 1
            meaning.setdefault((key[0], key[1], text), words)
    out = []
    for lesson in lessons:
        for step in lesson.steps:
            for q in step.questions:
                key = (lesson.id, q.id)
                if key not in firsts:
                    continue
                ranked = sorted(wrong.get(key, Counter()).items(), key=lambda kv: (-kv[1], kv[0]))
                out.append(
                    QuestionView(
                        lesson.id,
                        q,
                        step.index,
                        tuple(firsts[key]),
                        tuple(
                            WrongAnswer(text, n, meaning[(key[0], key[1], text)])
                            for text, n in ranked[:TOP_WRONG]
                        ),
                    )
                )
    return out


def _exercises(lessons: list[Lesson], records: Iterable[LearnerRecord]) -> list[ExerciseView]:
    tried: Counter[tuple[str, int]] = Counter()
    passed: Counter[tuple[str, int]] = Counter()
    runs: Counter[tuple[str, int]] = Counter()
    failing: dict[tuple[str, int], Counter[str]] = {}
    for r in records:
        mine: set[tuple[str, int]] = set()
        mine_passed: set[tuple[str, int]] = set()
        for t in r.practice:
            if t.kind != "exercise" or t.solution_shown:
                continue
            key = (t.lesson_id, t.step)
            mine.add(key)
            runs[key] += 1
            if t.passed:
                mine_passed.add(key)
            failing.setdefault(key, Counter()).update(t.failed_checks)
        tried.update(mine)
        passed.update(mine_passed)
    out = []
    for lesson in lessons:
        for step in lesson.steps:
            key = (lesson.id, step.index)
            if not isinstance(step, ExerciseStep) or key not in tried:
                continue
            out.append(
                ExerciseView(
                    lesson.id,
                    step.index,
                    step.title,
                    tried[key],
                    passed[key],
                    runs[key],
                    tuple(failing.get(key, Counter()).most_common()),
                )
            )
    return out
