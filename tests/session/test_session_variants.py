"""A parameterised lesson in a session (fake worker, no torch): the learner's own numbers in
the namespace and the code, each answer scored against them and stored with the variant, and
a retake with new numbers whose first tries are recorded as such next to the first take's."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_worker import FakeWorker

from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.lessons.model import Lesson
from autograd_tutor.lessons.variants import draw
from autograd_tutor.presentation import takes_text
from autograd_tutor.progress import ProgressStore
from autograd_tutor.session import LessonSession, lesson_standing
from autograd_tutor.values import Value

LESSON = """\
id: double
title: Double
params:
  a: {choice: [4, 3, 5, 6]}
steps:
  - code: y = 2 * {a}
    ask:
      - expr: y
        expect: 2 * a
"""


@pytest.fixture
def lesson(write_lesson) -> Lesson:
    return load_lesson(write_lesson(LESSON))


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore.from_options("ada", tmp_path / "data")


def worker_for(a: int) -> FakeWorker:
    return FakeWorker({"y": Value.number(2 * a)})


def test_the_learner_works_on_their_own_numbers(lesson: Lesson, store: ProgressStore) -> None:
    mine = draw(lesson, "ada")
    a = mine["a"]
    fake = worker_for(a)
    session = LessonSession.for_learner(lesson, fake, store)
    assert session.lesson.variant == mine and session.take == 0
    assert session.lesson.steps[0].code == f"y = 2 * {a}"
    outcome = session.commit(0, {"1.1": str(2 * a)})
    assert outcome.questions[0].score.verdict == "right"
    assert ("run", f"a = {a}\n", ()) in fake.calls  # the parameter is a name in the namespace
    (attempt,) = store.progress.attempts("double")
    assert (attempt.variant, attempt.take) == (mine, 0)
    again = LessonSession.for_learner(
        lesson, fake, ProgressStore.from_options("ada", store.data_dir)
    )
    assert again.lesson.variant == mine  # a restart shows the same numbers


def test_a_retake_has_new_numbers_and_the_summary_shows_both(
    lesson: Lesson, store: ProgressStore
) -> None:
    first = LessonSession.for_learner(lesson, worker_for(draw(lesson, "ada")["a"]), store)
    first_a = first.lesson.variant["a"]
    first.commit(0, {"1.1": "1"})  # wrong
    assert first.summary().finished
    retake = first.retake()
    second_a = retake.lesson.variant["a"]
    assert second_a != first_a and retake.take == 1
    assert retake.resume_position() == 0 and not retake.summary().answered
    retake.worker = worker_for(second_a)
    retake.commit(0, {"1.1": str(2 * second_a)})
    summary = retake.summary()
    assert (summary.percent, summary.take) == (100, 1)
    (earlier,) = summary.earlier
    assert (earlier.take, earlier.variant_label, earlier.percent) == (0, f"a={first_a}", 0)
    assert takes_text(summary) == (
        f"Your takes: first time [a={first_a}]: 0% · this time [a={second_a}]"
    )
    stored = [(a.take, a.variant["a"], a.verdict) for a in store.progress.attempts("double")]
    assert stored == [(0, first_a, "wrong"), (1, second_a, "right")]
    reopened = ProgressStore.from_options("ada", store.data_dir)
    back = LessonSession.for_learner(lesson, retake.worker, reopened)
    assert (back.take, back.lesson.variant["a"]) == (1, second_a)  # the app opens the retake


def test_a_learner_who_did_not_name_themselves_sees_the_seed_numbers(
    lesson: Lesson, tmp_path: Path
) -> None:
    unnamed = ProgressStore.from_options(None, tmp_path / "data")  # the login name
    session = LessonSession.for_learner(lesson, worker_for(4), unnamed)
    assert session.lesson.variant == {"a": 4}  # the first value: the default
    named = ProgressStore.from_options("ada", tmp_path / "data2")
    assert LessonSession.for_learner(lesson, worker_for(4), named).lesson.variant == draw(
        lesson, "ada"
    )
    assert LessonSession.for_learner(lesson, worker_for(4), None).lesson.variant == {"a": 4}


TWO_QUESTIONS = (
    LESSON.replace("id: double", "id: twice")
    + """\
  - code: z = 3 * {a}
    ask:
      - expr: z
        expect: 3 * a
"""
)


def test_the_standing_is_the_current_takes(write_lesson, store: ProgressStore) -> None:
    """A retake in progress is in progress (not finished by the first take's answers), scored
    by its own first tries, with the first take's score kept beside it."""
    lesson = load_lesson(write_lesson(TWO_QUESTIONS))
    a = draw(lesson, "ada")["a"]
    first = LessonSession.for_learner(lesson, FakeWorker({"y": Value.number(2 * a)}), store)
    first.commit(0, {"1.1": str(2 * a)})  # right
    first.worker = FakeWorker({"z": Value.number(3 * a)})
    first.commit(1, {"2.1": "0"})  # wrong
    done = lesson_standing(lesson, store)
    assert (done.finished, done.take, done.percent, done.earlier) == (True, 0, 50, ())
    retake = first.retake()
    b = retake.lesson.variant["a"]
    assert lesson_standing(lesson, store).take == 0  # nothing answered in the retake yet
    retake.worker = FakeWorker({"y": Value.number(2 * b)})
    retake.commit(0, {"1.1": "0"})  # wrong
    now = lesson_standing(lesson, store)
    assert (now.finished, now.started, now.take, now.answered, now.percent) == (
        False,
        True,
        1,
        1,
        0,
    )
    (earlier,) = now.earlier
    assert (earlier.take, earlier.percent, earlier.variant_label) == (0, 50, f"a={a}")
    mine = retake.summary()  # the session and the picker read one standing
    assert (mine.take, mine.answered, mine.credit, mine.earlier) == (1, 1, 0.0, now.earlier)
