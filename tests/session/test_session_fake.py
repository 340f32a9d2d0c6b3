"""LessonSession over a scripted fake worker (no torch): which steps run and replay, and what
is recorded, when steps succeed, crash, are cancelled or fail on replay."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fake_worker import FakeWorker

from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.lessons.model import Lesson
from autograd_tutor.progress import ProgressStore
from autograd_tutor.session import LessonSession
from autograd_tutor.values import Value

LESSON = """\
id: three-steps
title: Three steps
seed: 5
steps:
  - code: a = 1
    ask:
      - expr: a
        expect: 1
        wrong:
          - answer: "[1, 1]"
            says: a is one number, not two.
  - code: b = 2
    ask:
      - expr: b
        expect: 2
  - code: c = 3
    ask:
      - expr: c
        expect: 3
"""

A, B, C = ("a = 1", ("a",)), ("b = 2", ("b",)), ("c = 3", ("c",))


@pytest.fixture
def lesson(write_lesson) -> Lesson:
    return load_lesson(write_lesson(LESSON))


@pytest.fixture
def fake() -> FakeWorker:
    return FakeWorker({"a": Value.number(1), "b": Value.number(2), "c": Value.number(3)})


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore(tmp_path / "data", "ada")


def typed(store: ProgressStore) -> list[str | None]:
    return [a.typed for a in store.progress.attempts("three-steps")]


def test_steps_taken_in_order_run_once_each(lesson: Lesson, fake: FakeWorker) -> None:
    session = LessonSession(lesson, fake)
    for position, answer in enumerate(["1", "2", "3"]):
        outcome = session.commit(position, {f"{position + 1}.1": answer})
        assert outcome.ok and outcome.questions[0].score.verdict == "right"
    assert fake.runs() == ["reset", A, B, C]
    assert fake.calls[0] == ("reset", 5)  # the lesson's seed


def test_going_back_replays_the_steps_before_it_in_a_fresh_namespace(
    lesson: Lesson, fake: FakeWorker
) -> None:
    session = LessonSession(lesson, fake)
    session.commit(0, {"1.1": "1"})
    session.commit(1, {"2.1": "2"})
    fake.calls.clear()
    session.commit(1, {"2.1": "2"})  # again: b = 2 ran already, so a fresh namespace first
    assert fake.runs() == ["reset", ("a = 1", ()), B]


def test_opening_a_later_step_replays_the_earlier_ones_without_asking(
    lesson: Lesson, fake: FakeWorker
) -> None:
    LessonSession(lesson, fake).commit(2, {"3.1": "3"})
    assert fake.runs() == ["reset", ("a = 1", ()), ("b = 2", ()), C]


def test_a_crash_records_nothing_and_the_next_commit_replays(
    lesson: Lesson, fake: FakeWorker, store: ProgressStore
) -> None:
    session = LessonSession(lesson, fake, store)
    assert session.commit(0, {"1.1": "1"}).ok
    fake.crash_on.add("b = 2")
    crashed = session.commit(1, {"2.1": "2"})
    assert crashed.result.error is not None and crashed.result.error.type == "WorkerCrashed"
    assert crashed.questions == [] and typed(store) == ["1"]
    fake.crash_on.clear()
    fake.calls.clear()
    again = session.commit(1, {"2.1": "2"})
    assert again.ok and fake.runs() == ["reset", ("a = 1", ()), B]
    assert typed(store) == ["1", "2"]


def test_cancel_from_another_thread_records_nothing_and_the_next_commit_replays(
    lesson: Lesson, fake: FakeWorker, store: ProgressStore
) -> None:
    session = LessonSession(lesson, fake, store)
    assert session.commit(0, {"1.1": "1"}).ok
    fake.block_on.add("b = 2")
    outcomes = []
    runner = threading.Thread(target=lambda: outcomes.append(session.commit(1, {"2.1": "2"})))
    runner.start()
    assert fake.running.wait(timeout=10)
    session.cancel()
    runner.join(timeout=10)
    (cancelled,) = outcomes
    assert cancelled.result.error is not None and cancelled.result.error.type == "Cancelled"
    assert typed(store) == ["1"]
    fake.block_on.clear()
    fake.calls.clear()
    assert session.commit(1, {"2.1": "2"}).ok
    assert fake.runs() == ["reset", ("a = 1", ()), B]


def test_cancel_with_nothing_running_changes_nothing(lesson: Lesson, fake: FakeWorker) -> None:
    session = LessonSession(lesson, fake)
    session.cancel()
    assert session.commit(0, {"1.1": "1"}).ok


def test_an_earlier_step_that_fails_on_replay_is_named(
    lesson: Lesson, fake: FakeWorker, store: ProgressStore
) -> None:
    session = LessonSession(lesson, fake, store)
    assert session.commit(0, {"1.1": "1"}).ok
    fake.generation += 1  # the worker restarted between steps: the namespace is gone
    fake.fail_on["a = 1"] = "RuntimeError"
    outcome = session.commit(1, {"2.1": "2"})
    assert outcome.replay_failed_at == 0
    assert outcome.result.error is not None and outcome.result.error.type == "RuntimeError"
    assert fake.runs()[-2:] == ["reset", ("a = 1", ())]  # step 2 itself never ran
    assert typed(store) == ["1"]


def test_no_device_is_an_outcome_not_an_exception(lesson: Lesson, fake: FakeWorker) -> None:
    fake.unavailable = "--device cuda was asked for, but this torch sees no CUDA device"
    outcome = LessonSession(lesson, fake).commit(0, {"1.1": "1"})
    assert outcome.result.error is not None
    assert outcome.result.error.type == "DeviceUnavailable"
    assert fake.calls == []


def test_a_known_wrong_answer_from_the_lesson_names_its_misconception(
    lesson: Lesson, fake: FakeWorker
) -> None:
    outcome = LessonSession(lesson, fake).commit(0, {"1.1": "[1, 1]"})
    score = outcome.questions[0].score
    assert score.verdict == "wrong"
    assert score.feedback == "a is one number, not two."


EXERCISE_LESSON = """\
id: exercise-between
title: An exercise between two steps
steps:
  - code: a = 1
    ask:
      - expr: a
        expect: 1
  - code: s = 0
    exercise:
      starter: |
        b = ...
      solution: |
        b = 2
      checks:
        - expr: b == 2
          says: b is not 2
  - code: c = 3
    ask:
      - expr: c
        expect: 3
"""


def test_learner_runs_replay_nothing_in_the_lesson_worker(write_lesson, fake: FakeWorker) -> None:
    """Each attempt goes to its own process with the earlier steps as its prelude; the lesson
    worker runs nothing for it, and the next step replays only the exercise, from its
    reference solution, on top of the namespace step 1 left."""
    from autograd_tutor.session.exercise import ExerciseSession
    from autograd_tutor.session.kinds import replay_code

    lesson = load_lesson(write_lesson(EXERCISE_LESSON))
    session = LessonSession(lesson, fake)
    assert session.commit(0, {"1.1": "1"}).ok
    exercise = ExerciseSession(session, 1)
    for code in ("b = 5\n", "b = 2\n", "b = 2\n"):
        exercise.run(code)
    assert session.commit(2, {"3.1": "3"}).ok
    prelude = ("a = 1", "s = 0")
    assert fake.runs() == [
        "reset",
        A,
        ("b = 5\n", prelude),
        ("b = 2\n", prelude),
        ("b = 2\n", prelude),
        (replay_code(lesson.steps[1]), ()),
        C,
    ]


WITH_AN_EXERCISE = """\
id: with-an-exercise
title: A question, then an exercise
steps:
  - code: a = 1
    ask:
      - expr: a
        expect: 1
  - code: b = 2
    exercise:
      starter: c = ...
      solution: c = a + b
      checks:
        - expr: c == 3
          says: c is a + b.
"""


def test_a_lesson_with_learner_code_starts_its_fork_server_once_a_step_ran(
    lesson: Lesson, fake: FakeWorker, write_lesson
) -> None:
    """The runs' fork server imports torch (seconds; 13 s on a CUDA box): it starts while the
    learner is still on the questions before the exercise, never for a lesson without one."""
    practice = load_lesson(write_lesson(WITH_AN_EXERCISE, "practice.yaml"))
    LessonSession(practice, fake).commit(0, {"1.1": "1"})
    assert fake.learner_prepared == 1
    LessonSession(lesson, fake).commit(0, {"1.1": "1"})
    assert fake.learner_prepared == 1
