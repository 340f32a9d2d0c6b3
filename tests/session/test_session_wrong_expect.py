"""A wrong ``expect`` is the lesson's fault: the learner is scored against torch, told that the
lesson is wrong (naming it, the question and ``check``), the attempt records the disagreement,
and re-scoring for the report does not count it against the learner."""

from __future__ import annotations

from fake_worker import FakeWorker

from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.progress import ProgressStore
from autograd_tutor.progress.rescore import AnswerKey
from autograd_tutor.session import LessonSession
from autograd_tutor.values import Value

LESSON = """\
id: softmax-typo
title: A softmax whose expect has a typo
steps:
  - code: z = 1
    ask:
      - expr: z.grad
        expect: [0.25, 0.5, 0.625]
      - expr: y
        expect: 2
"""


def test_a_right_answer_against_a_wrong_expect_is_right_and_the_lesson_is_blamed(
    write_lesson, tmp_path
) -> None:
    lesson = load_lesson(write_lesson(LESSON))
    fake = FakeWorker({"z.grad": Value.tensor([0.25, 0.5, -0.375]), "y": Value.number(2)})
    store = ProgressStore(tmp_path / "data", "ada")
    session = LessonSession(lesson, fake, store)
    outcome = session.commit(0, {"1.1": "[0.25, 0.5, -0.375]", "1.2": "2"})
    grad, y = outcome.questions
    assert grad.score is not None and grad.score.verdict == "right"  # torch decides
    assert grad.expect_disagrees == "z.grad[2]: expect 0.625, torch -0.375"
    assert grad.expect_warning is not None
    for word in ("'softmax-typo'", "question 1.1", "autograd-tutor check", "not you"):
        assert word in grad.expect_warning
    assert y.expect_disagrees is None and y.expect_warning is None
    stored = store.load().attempts("softmax-typo")
    assert stored[0].expect_disagrees == "z.grad[2]: expect 0.625, torch -0.375"
    assert stored[1].expect_disagrees == ""
    key = AnswerKey.from_lessons([lesson])
    # the report cannot score it against the wrong expect: never "edited by hand?"
    assert key.expect_disputed(stored[0]) and key.rescore(stored[0]) is None
    assert not key.expect_disputed(stored[1]) and key.rescore(stored[1]) == ("right", 1.0)


def test_a_claimed_disagreement_that_torch_never_gave_is_re_scored(write_lesson, tmp_path) -> None:
    """A results file edited to claim a disagreement where the stored torch value equals the
    expect gains nothing: the attempt is re-scored against expect as usual."""
    lesson = load_lesson(write_lesson(LESSON))
    fake = FakeWorker({"z.grad": Value.tensor([0.25, 0.5, 0.625]), "y": Value.number(2)})
    store = ProgressStore(tmp_path / "data", "ada")
    LessonSession(lesson, fake, store).commit(0, {"1.1": "[0, 0, 0]", "1.2": "2"})
    attempt = store.load().attempts("softmax-typo")[0]
    forged = type(attempt)(
        **{**attempt.to_json(), "expect_disagrees": "forged", "verdict": "right", "credit": 1.0}
    )
    key = AnswerKey.from_lessons([lesson])
    assert not key.expect_disputed(forged)
    assert key.rescore(forged) == ("wrong", 0.0)  # not the forged right
