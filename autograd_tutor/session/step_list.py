"""A lesson's steps as the "go to step" list shows them: each step's kind, title and where the
learner stands on it, and whether it may be opened. No UI, no torch.

What may be opened is decided here, once: every step up to the first one holding an unanswered
question (where resuming the lesson starts, before it moves back over explanation steps).
A later step is locked, because its code builds on the unanswered one and its reveal could show
that value: jumping past a question would let the learner skip its reveal, and the prediction
must be the learner's own. The list never shows a value, only counts and states. An exercise
or experiment left unfinished does not lock what follows (the lesson lets the learner go on),
except an experiment that asks for every knob value to be run first (``try_all``): its "next"
waits for them, and so does the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd_tutor.lessons.model import Lesson
from autograd_tutor.presentation import exercise_standing_text, experiment_standing_text
from autograd_tutor.session.kinds import Kind, practice_step
from autograd_tutor.session.standing import (
    ExerciseStanding,
    ExperimentStanding,
    PracticeStanding,
)
from autograd_tutor.session.summary import LessonSummary


@dataclass(frozen=True)
class StepEntry:
    """One step of a lesson in the step list: ``state`` in words (``2 of 3 answered``,
    ``passed, 2 runs``), ``done`` (answered / passed / run), and ``open`` (may be opened now;
    else ``locked_by``: the step whose questions must be answered first)."""

    index: int
    kind: Kind
    title: str
    state: str
    done: bool
    open: bool
    locked_by: int | None = None
    lock: str = ""  # why it is locked, in words: "answer step 2 first"


def step_entries(summary: LessonSummary) -> tuple[StepEntry, ...]:
    """Every step of ``summary``'s lesson with the learner's standing on it (first tries for
    questions, ``standing.py`` for exercises and experiments)."""
    lesson: Lesson = summary.lesson
    answered = {r.question.id for r in summary.records if r.first is not None}
    practice = {p.step_index: p for p in summary.practice}
    blocker, lock = _first_blocker(summary, answered, practice)
    entries = []
    for step in lesson.steps:
        reachable = blocker is None or step.index <= blocker
        standing = practice.get(step.index)
        if standing is not None:
            state, done = _practice_state(standing)
        elif practice_step(step) is not None:
            state, done = "not tried", False
        elif step.questions:
            got = sum(1 for q in step.questions if q.id in answered)
            total = len(step.questions)
            done = got == total
            state = "answered" if done else ("not answered" if not got else f"{got} of {total}")
        else:
            state, done = "to read", True
        entries.append(
            StepEntry(
                step.index,
                step.kind,
                step.title,
                state,
                done,
                reachable,
                None if reachable else blocker,
                "" if reachable else lock,
            )
        )
    return tuple(entries)


def _first_blocker(
    summary: LessonSummary, answered: set[str], practice: dict[int, PracticeStanding]
) -> tuple[int | None, str]:
    """The first step that locks those after it, and what it asks for in words."""
    for step in summary.lesson.steps:
        if any(q.id not in answered for q in step.questions):
            return step.index, f"answer step {step.index + 1} first"
        standing = practice.get(step.index)
        if isinstance(standing, ExperimentStanding) and standing.untried:
            return step.index, f"run every setting of step {step.index + 1} first"
    return None, ""


def _practice_state(standing: PracticeStanding) -> tuple[str, bool]:
    if isinstance(standing, ExerciseStanding):
        return exercise_standing_text(standing.status, standing.runs), standing.done
    text = experiment_standing_text(standing.runs, standing.predictions, standing.right)
    return text, standing.done
