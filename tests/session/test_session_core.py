"""LessonSession over a real worker (the root conftest's): replay, restarts, recording, hints,
save failures. ``test_session_fake.py`` drives the same paths with a scripted fake."""

from __future__ import annotations

import os
import signal
import textwrap
from pathlib import Path

import pytest

from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.lessons.model import Lesson
from autograd_tutor.progress import ProgressStore
from autograd_tutor.session import LessonSession
from autograd_tutor.worker import WorkerClient

LESSON = textwrap.dedent(
    """\
    id: two-steps
    title: Two steps
    seed: 7
    steps:
      - code: |
          x = torch.tensor(3.0, requires_grad=True)
          noise = torch.randn(())
          y = x ** 2
          y.backward()
        ask:
          - expr: x.grad
            expect: 6
            hints: [2x, at 3]
      - code: |
          y = x ** 2
          y.backward()
        ask:
          - expr: x.grad
            expect: 12
          - expr: noise
    """
)


@pytest.fixture
def lesson(write_lesson) -> Lesson:
    return load_lesson(write_lesson(LESSON, "two-steps.yaml"))


def test_commits_score_and_record_every_question(
    lesson: Lesson, worker: WorkerClient, tmp_path: Path
) -> None:
    store = ProgressStore(tmp_path / "data", "ada")
    session = LessonSession(lesson, worker, store)
    first = session.commit(0, {"1.1": "6"})
    assert first.ok and first.questions[0].score.verdict == "right"
    second = session.commit(1, {"2.1": "6", "2.2": None})
    verdicts = [q.score.verdict for q in second.questions]
    assert verdicts == ["wrong", "skipped"]
    assert [d.code for d in second.questions[0].score.diagnoses][:1] == ["accumulation"]
    reread = ProgressStore(tmp_path / "data", "ada").progress
    assert [a.typed for a in reread.attempts("two-steps")] == ["6", "6", None]
    assert reread.first_unanswered_step(lesson) is None
    summary = session.summary()
    assert (summary.credit, summary.total) == (1.0, 3)
    assert [m.question.id for m in summary.missed] == ["2.1", "2.2"]


def test_going_back_replays_in_a_fresh_seeded_namespace(
    lesson: Lesson, worker: WorkerClient
) -> None:
    session = LessonSession(lesson, worker)
    noise = session.commit(1, {"2.2": None}).questions[0].truth  # replays step 1 first
    assert session.commit(1, {"2.1": "12"}).questions[0].score.verdict == "right"
    again = session.commit(1, {"2.1": "12", "2.2": None})  # not 18: step 1 is replayed
    assert again.questions[0].score.verdict == "right"
    assert again.questions[1].truth == noise  # same seed, same random numbers


def test_a_worker_killed_between_steps_is_replaced_and_the_lesson_replayed(
    lesson: Lesson, worker: WorkerClient
) -> None:
    session = LessonSession(lesson, worker)
    assert session.commit(0, {"1.1": "6"}).ok
    os.kill(worker.wait_ready().pid, signal.SIGKILL)
    outcome = session.commit(1, {"2.1": "12"})
    if not outcome.ok:  # the death is noticed on this run: it says so, and the next one works
        assert outcome.result.error.type == "WorkerCrashed"
        outcome = session.commit(1, {"2.1": "12"})
    assert outcome.ok, outcome.result.error
    assert outcome.questions[0].score.verdict == "right"


def test_hints_are_counted_and_lower_the_credit(lesson: Lesson, worker: WorkerClient) -> None:
    session = LessonSession(lesson, worker)
    assert session.next_hint("1.1") == "2x"
    assert session.next_hint("1.1") == "at 3"
    assert session.next_hint("1.1") is None
    assert session.hints_shown("1.1") == ["2x", "at 3"]
    score = session.commit(0, {"1.1": "6"}).questions[0].score
    assert score.verdict == "right" and score.hints_used == 2 and score.credit < 1


def test_a_progress_folder_that_cannot_be_written_is_reported_not_raised(
    lesson: Lesson, worker: WorkerClient, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    session = LessonSession(lesson, worker, ProgressStore(blocker, "ada"))
    outcome = session.commit(0, {"1.1": "6"})
    assert outcome.ok and outcome.questions[0].score.verdict == "right"
    assert outcome.save_error and str(blocker) in outcome.save_error


def test_a_question_left_out_of_a_commit_is_not_run_for_nor_shown(
    lesson: Lesson, worker: WorkerClient
) -> None:
    session = LessonSession(lesson, worker)
    outcome = session.commit(1, {"2.1": "12"})
    assert [q.question.id for q in outcome.questions] == ["2.1"]  # no value for "noise"
    assert [a.question_id for a in session.attempts()] == ["2.1"]


def test_the_first_attempt_is_the_first_try_and_later_ones_are_retries(
    lesson: Lesson, worker: WorkerClient, tmp_path: Path
) -> None:
    store = ProgressStore(tmp_path / "data", "ada")
    session = LessonSession(lesson, worker, store)
    first = session.commit(0, {"1.1": "5"})
    assert first.questions[0].score.verdict == "wrong" and not first.questions[0].retry
    again = session.commit(0, {"1.1": "6"})  # back to the step after the reveal
    assert again.questions[0].score.verdict == "right" and again.questions[0].retry
    summary = session.summary()
    assert summary.credit == 0.0  # the revealed answer was final for credit
    [missed] = [m for m in summary.missed if m.question.id == "1.1"]
    assert missed.verdict == "wrong" and missed.fixed
    assert summary.to_retry() == {1: frozenset({"2.1", "2.2"})}  # 1.1 was fixed
    # a new sitting reads the same from the store
    reread = LessonSession(lesson, worker, ProgressStore(tmp_path / "data", "ada")).summary()
    assert reread.credit == 0.0 and reread.records[0].retried


def test_a_retry_of_the_missed_questions_never_lowers_a_right_answer(
    lesson: Lesson, worker: WorkerClient
) -> None:
    session = LessonSession(lesson, worker)
    session.commit(0, {"1.1": "6"})
    session.commit(1, {"2.1": "6", "2.2": None})
    assert session.summary().to_retry() == {1: frozenset({"2.1", "2.2"})}
    session.commit(1, {"2.1": "12"})  # only the missed ones are asked again
    summary = session.summary()
    assert (summary.credit, summary.answered) == (1.0, 3)
    assert summary.to_retry() == {1: frozenset({"2.2"})}
    assert [r.latest.verdict for r in summary.records] == ["right", "right", "skipped"]


def test_answers_are_parsed_for_the_kind_the_question_expects(
    lesson: Lesson, worker: WorkerClient
) -> None:
    from autograd_tutor.grading import AnswerSyntaxError

    session = LessonSession(lesson, worker)
    with pytest.raises(AnswerSyntaxError, match="a name, not a value"):
        session.commit(0, {"1.1": "x"})
