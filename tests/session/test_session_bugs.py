"""Regression tests for the step runner's bugs (issue 18: A, C, D, E, G over the core; B and F
drive the app in tests/tui/test_tui_runner_bugs.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fake_worker import FakeWorker

from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.progress import ProgressStore
from autograd_tutor.session import LessonSession
from autograd_tutor.session.exercise import ExerciseSession
from autograd_tutor.values import Value

EXERCISE_BETWEEN = """\
id: replay-after-exercise
title: Replay after an exercise
steps:
  - code: |
      a = torch.tensor(2.0, requires_grad=True)
  - exercise:
      starter: |
        b = ...
      solution: |
        b = 3 * a
      checks:
        - expr: b.item() == 6
          says: b is not 3 * a
  - code: |
      b.backward()
    ask:
      - expr: a.grad
        expect: 3
"""


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    return ProgressStore(tmp_path / "data", "ada")


def test_a_after_a_failed_exercise_the_next_step_builds_on_the_reference_solution(
    write_lesson, worker, store
):
    """Bug A: the learner's ``b = a * 5`` (its check fails) must not become the namespace of
    step 3: torch's a.grad there is 3, from the reference solution."""
    lesson = load_lesson(write_lesson(EXERCISE_BETWEEN))
    session = LessonSession(lesson, worker, store)
    assert session.commit(0, {}).ok
    attempt = ExerciseSession(session, 1).run("b = a * 5\n")
    assert attempt.result.error is None and not attempt.passed
    outcome = session.commit(2, {"3.1": "3"})
    assert outcome.ok
    [answer] = outcome.questions
    assert answer.truth is not None and answer.truth.data == 3.0
    assert answer.score is not None and answer.score.verdict == "right"


def test_a_a_passed_exercise_also_replays_the_reference_solution(write_lesson, worker, store):
    """Even a passing run is the learner's code: what later steps see is the solution."""
    lesson = load_lesson(write_lesson(EXERCISE_BETWEEN))
    session = LessonSession(lesson, worker, store)
    assert ExerciseSession(session, 1).run("b = a + a + a + 0 * a\n").passed
    [answer] = session.commit(2, {"3.1": "3"}).questions
    assert answer.truth is not None and answer.truth.data == 3.0


BACKWARD_THEN_MORE = """\
id: preview-keeps-gradients
title: A preview keeps the gradients of the step before
steps:
  - code: |
      x = torch.tensor(2.0, requires_grad=True)
      y = x * x
      y.backward()
    ask:
      - expr: x.grad
        expect: 4
  - code: |
      z = x * 3
    ask:
      - expr: z
        expect: 6
"""


def test_c_a_preview_of_the_next_step_keeps_the_gradients_of_the_step_that_ran(
    write_lesson, worker
):
    """Bug C: previewing step 2's graph (ctrl+g, ``graph`` in --plain) must not wipe what was
    recorded while step 1's backward() ran: step 1's graph still carries its gradients."""
    lesson = load_lesson(write_lesson(BACKWARD_THEN_MORE))
    session = LessonSession(lesson, worker)
    assert session.commit(0, {"1.1": "4"}).ok
    before = session.graph(0)
    assert before.graph is not None and before.graph.gradients
    carried = [n for n in before.graph.nodes if n.grads]
    assert carried, "the step's graph carries the gradients of its backward() call"
    preview = session.graph(1)
    assert preview.graph is not None and not preview.revealed
    after = session.graph(0)
    assert after.graph is not None and after.graph.gradients
    assert [n.grads for n in after.graph.nodes] == [n.grads for n in before.graph.nodes]


def test_d_a_restart_archives_the_practice_beside_the_attempts(store):
    """Bug D: restarting a lesson keeps its exercise code, exercise attempts and experiment
    runs in the ``reset`` archive (nothing destroyed); the lesson starts over without them."""
    from autograd_tutor.progress import Attempt, read_document, utc_now_iso
    from autograd_tutor.progress.exercise_records import (
        ExerciseAttempt,
        ExperimentRun,
        practice_attempts,
        save_practice,
        saved_code,
    )

    store.record(
        Attempt(
            lesson_id="loop", lesson_hash="h1", step=0, question_id="1.1", expr="x",
            typed="1", verdict="right", credit=1.0, hints_used=0, seconds=1.0,
            timestamp=utc_now_iso(), app_version="test",
        )
    )  # fmt: skip
    save_practice(
        store, "loop", "h1", 1,
        code="my loop", attempt=ExerciseAttempt(1, "my loop", ("backward_called",), ()),
    )  # fmt: skip
    save_practice(
        store, "loop", "h1", 2,
        attempt=ExperimentRun(2, {"lr": 0.5}, "diverges", "diverges", losses=(1.0, "nan")),
    )  # fmt: skip
    assert store.reset_lesson("loop") == 1
    assert saved_code(store, "loop", 1) is None
    assert practice_attempts(store, "loop", 1) == [] == practice_attempts(store, "loop", 2)
    doc = read_document(store.path)
    assert doc is not None and "loop" not in doc["lessons"]
    [archived] = doc["reset"]
    assert [a["question_id"] for a in archived["attempts"]] == ["1.1"]
    practice = archived["practice"]
    assert practice["1"]["code"] == "my loop"
    assert [a["kind"] for a in practice["1"]["attempts"]] == ["exercise"]
    assert practice["1"]["attempts"][0]["passed"] == ["backward_called"]
    assert practice["2"]["attempts"][0]["settings"] == {"lr": 0.5}
    assert practice["2"]["attempts"][0]["losses"] == [1.0, "nan"]


def test_d_a_lesson_with_only_practice_is_archived_too(store):
    from autograd_tutor.progress import read_document
    from autograd_tutor.progress.exercise_records import save_practice, saved_code

    save_practice(store, "loop", "h1", 1, code="draft")
    assert store.reset_lesson("loop") == 0
    assert saved_code(store, "loop", 1) is None
    doc = read_document(store.path)
    assert doc is not None and doc["reset"][0]["practice"]["1"]["code"] == "draft"


class _WatchedTurn:
    """The session's turn lock, saying when a second thread starts waiting for it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.waiting = threading.Event()

    def __enter__(self) -> None:
        if not self._lock.acquire(blocking=False):
            self.waiting.set()
            self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


class _BlockingPreviewWorker(FakeWorker):
    """A preview that runs until ``release`` is set; every call notes whether another call was
    still in the worker (``overlaps``)."""

    def __init__(self, values: dict[str, Value]) -> None:
        super().__init__(values)
        self.previewing = threading.Event()
        self.release = threading.Event()
        self.busy = False
        self.overlaps: list[str] = []

    def run(self, code, exprs, **kwargs):  # type: ignore[no-untyped-def, override]
        if self.busy:
            self.overlaps.append(code)
        return super().run(code, exprs, **kwargs)

    def preview(self, code, exprs, **kwargs):  # type: ignore[no-untyped-def, override]
        self.busy = True
        result = super().preview(code, exprs, **kwargs)
        self.previewing.set()
        try:
            assert self.release.wait(timeout=30), "the test never released the preview"
            return result
        finally:
            self.busy = False


def test_e_a_commit_waits_for_a_graph_fetch_of_the_same_session(write_lesson):
    """Bug E: the graph panel fetches from its own thread; a commit made meanwhile (a
    graph-open step, the learner runs the step at once) waits for the fetch instead of
    running while the preview holds the worker's namespace."""
    lesson = load_lesson(write_lesson(BACKWARD_THEN_MORE))
    fake = _BlockingPreviewWorker({"x.grad": Value.number(4)})
    session = LessonSession(lesson, fake)
    turn = session.turn = _WatchedTurn()
    fetch = threading.Thread(target=session.graph, args=(0,))
    fetch.start()
    assert fake.previewing.wait(timeout=30)
    results = []
    commit = threading.Thread(target=lambda: results.append(session.commit(0, {"1.1": "4"})))
    commit.start()
    assert turn.waiting.wait(timeout=30), "the commit should wait for the graph fetch"
    assert [c[0] for c in fake.calls] == ["reset", "preview"]  # the commit has not run yet
    fake.release.set()
    fetch.join(timeout=30)
    commit.join(timeout=30)
    assert not fetch.is_alive() and not commit.is_alive()
    assert fake.overlaps == []
    assert [c[0] for c in fake.calls] == ["reset", "preview", "run"]
    [outcome] = results
    assert outcome.ok and outcome.questions[0].score is not None


def test_practice_records_are_typed_and_a_hand_edited_one_is_left_out(store):
    """Practice attempts come back as the typed records of progress/records.py; one that does
    not validate (edited by hand) is left out while the others still count."""
    from autograd_tutor.progress.exercise_records import (
        ExerciseAttempt,
        ExperimentRun,
        practice_attempts,
        save_practice,
    )
    from autograd_tutor.progress.records import ExerciseAttemptRecord, ExperimentRunRecord

    save_practice(store, "loop", "h1", 1, attempt=ExerciseAttempt(1, "ok", ("a",), ()))
    save_practice(store, "loop", "h1", 2, attempt=ExperimentRun(2, {"lr": 1}, None, "slow"))

    def vandalise(doc: dict) -> None:
        doc["lessons"]["loop"]["practice"]["1"]["attempts"].append(
            {"kind": "exercise", "failed": "not a list"}
        )
        doc["lessons"]["loop"]["practice"]["1"]["attempts"].append({"kind": "trophy"})

    store.update_document(vandalise)
    [exercise] = practice_attempts(store, "loop", 1)
    assert isinstance(exercise, ExerciseAttemptRecord) and exercise.passed_all
    assert exercise.lesson_hash == "h1" and exercise.app_version
    [run] = practice_attempts(store, "loop", 2)
    assert isinstance(run, ExperimentRunRecord) and run.skipped and not run.right
    assert run.settings == {"lr": 1}
