"""Exercise steps over a real worker: the reference solution passes every check, typical
broken loops fail the right check with a precise message, an endless loop is stopped at the
time limit, and the learner's code and attempts are saved and come back."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from practice_helpers import (
    IN_PLACE_OUTSIDE_NO_GRAD,
    LOOP_LESSON,
    NAME_ERROR,
    NO_BACKWARD,
    NO_ZEROING,
    REBOUND_OUTSIDE_NO_GRAD,
    SOLUTION,
    WRONG_SIGN,
)

from autograd_tutor.cli import main
from autograd_tutor.lessons.loader import load_lesson
from autograd_tutor.progress import ProgressStore, read_document
from autograd_tutor.progress.exercise_records import (
    exercise_report_lines,
    practice_attempts,
    tally_exercises,
)
from autograd_tutor.progress.records import ExerciseAttemptRecord
from autograd_tutor.session import LessonSession
from autograd_tutor.session.exercise import ExerciseOutcome, ExerciseSession


@pytest.fixture
def exercise(write_lesson, worker, store) -> ExerciseSession:
    lesson = load_lesson(write_lesson(LOOP_LESSON))
    return ExerciseSession(LessonSession(lesson, worker, store), 1)


def verdicts(outcome: ExerciseOutcome) -> dict[str, bool | None]:
    return {c.check.id: c.passed for c in outcome.checks}


def message(outcome: ExerciseOutcome, check_id: str) -> str:
    return next(c.message for c in outcome.checks if c.check.id == check_id)


def test_the_reference_solution_passes_every_check_and_streams_its_loss(exercise):
    streamed: list[list[float]] = []
    outcome = exercise.run(SOLUTION, on_loss=streamed.append)
    assert outcome.result.error is None
    assert verdicts(outcome) == dict.fromkeys(
        ["backward_called", "update_not_recorded", "grads_zeroed", "loss_decreased", "check 5"],
        True,
    )
    assert outcome.passed
    assert outcome.result.training is not None and len(outcome.result.training.loss) == 300
    assert streamed and streamed[-1] == outcome.result.training.loss[: len(streamed[-1])]


def test_the_starter_code_fails(exercise):
    outcome = exercise.run(exercise.exercise.starter)
    assert not outcome.passed
    assert verdicts(outcome)["backward_called"] is False
    assert message(outcome, "backward_called").startswith("backward() was never called")


def test_no_zeroing_is_reported_as_accumulation(exercise):
    outcome = exercise.run(NO_ZEROING)
    assert verdicts(outcome)["grads_zeroed"] is False
    text = message(outcome, "grads_zeroed")
    assert text.startswith("gradients were never zeroed")
    assert "before backward() call 2" in text and ".grad still held the previous gradient" in text


def test_an_update_outside_no_grad_is_reported_as_recorded(exercise):
    outcome = exercise.run(REBOUND_OUTSIDE_NO_GRAD)
    assert verdicts(outcome)["update_not_recorded"] is False
    text = message(outcome, "update_not_recorded")
    assert text.startswith("the update was recorded by autograd")
    assert "is no longer a leaf tensor" in text and "torch.no_grad()" in text
    # the code then stopped (w.grad of a non-leaf is None): the rest could not be checked
    assert outcome.result.error is not None
    assert verdicts(outcome)["check 5"] is None


def test_an_in_place_update_outside_no_grad_is_reported_as_recorded(exercise):
    outcome = exercise.run(IN_PLACE_OUTSIDE_NO_GRAD)
    assert outcome.result.error is not None and outcome.result.error.type == "RuntimeError"
    text = message(outcome, "update_not_recorded")
    assert "in-place update of a parameter outside `with torch.no_grad():` (line 4)" in text


def test_the_wrong_sign_makes_the_loss_grow(exercise):
    outcome = exercise.run(WRONG_SIGN)
    assert verdicts(outcome)["loss_decreased"] is False
    assert "is the update's sign right?" in message(outcome, "loss_decreased")
    assert verdicts(outcome)["check 5"] is False
    assert message(outcome, "check 5").startswith("w did not reach 2")


def test_a_missing_backward_is_named(exercise):
    outcome = exercise.run(NO_BACKWARD)
    assert verdicts(outcome)["backward_called"] is False
    assert "call loss.backward() before the update" in message(outcome, "backward_called")


def test_code_that_patches_the_probes_verdicts_still_fails_what_it_did_not_do(exercise):
    """The verdicts are decided in the lesson worker from what the run observed: a loop
    without backward() that makes the probe in its own process say "passed" still fails."""
    patch = (
        "import sys\n"
        "from autograd_tutor.worker.protocol import CheckResult\n"
        "Probe = sys.modules['autograd_tutor.worker.exercise_probe'].Probe\n"
        "Probe._builtin = lambda self, name, error: (True, '')\n"
        "Probe.finish = Probe.finish_builtins = lambda self, error: [\n"
        "    CheckResult(str(c.get('id')), True, '') for c in self.checks]\n"
    )
    outcome = exercise.run(patch + NO_BACKWARD)
    assert not outcome.passed
    assert verdicts(outcome)["backward_called"] is False
    assert "call loss.backward() before the update" in message(outcome, "backward_called")
    assert not any(verdicts(outcome).values())


def test_a_name_error_stops_the_code_and_leaves_the_checks_unchecked(exercise):
    outcome = exercise.run(NAME_ERROR)
    error = outcome.result.error
    assert error is not None and error.type == "NameError" and error.line == 2
    assert set(verdicts(outcome).values()) == {None}
    assert all("the code stopped (NameError)" in c.message for c in outcome.checks)


def test_an_endless_loop_is_stopped_at_the_limit_and_the_code_kept(exercise, store):
    endless = "while True:\n    pass\n"
    outcome = exercise.run(endless)
    assert outcome.result.error is not None and outcome.result.error.type == "Timeout"
    assert exercise.initial_code() == endless
    # the worker was replaced: the next run replays the lesson and passes
    assert exercise.run(SOLUTION).passed


def test_code_and_attempts_are_saved_and_come_back_after_a_restart(tmp_path, worker, exercise):
    exercise.run(NO_ZEROING)
    exercise.run(SOLUTION)
    exercise.save_code(SOLUTION + "# my notes\n")
    again = ProgressStore(tmp_path / "data", "ada")  # a new app start reads the file
    lesson = exercise.lesson
    fresh = ExerciseSession(LessonSession(lesson, worker, again), 1)
    assert fresh.initial_code() == SOLUTION + "# my notes\n"
    attempts = practice_attempts(again, lesson.id, 1)
    assert all(isinstance(a, ExerciseAttemptRecord) for a in attempts)
    assert [a.code for a in attempts] == [NO_ZEROING, SOLUTION]
    failed_first = [f.id for f in attempts[0].failed]
    assert failed_first[0] == "grads_zeroed" and "check 5" in failed_first
    assert attempts[0].failed[0].says == "gradients were never zeroed"
    assert attempts[1].failed == () and len(attempts[1].passed) == 5
    assert not attempts[0].passed_all and attempts[1].passed_all
    assert all(a.seconds >= 0 and a.timestamp for a in attempts)
    assert fresh.ever_passed()
    # all questions answered (there are none) and the exercise passed: nothing left to resume
    assert LessonSession(lesson, worker, again).resume_position() == 0


def test_an_unpassed_exercise_is_where_the_lesson_resumes(tmp_path, worker, write_lesson):
    text = LOOP_LESSON.replace(
        "steps:\n  - code: |\n", "steps:\n  - ask: [{expr: x.shape}]\n    code: |\n"
    )
    lesson = load_lesson(write_lesson(text))
    store = ProgressStore(tmp_path / "data", "ada")
    session = LessonSession(lesson, worker, store)
    assert session.resume_position() == 0  # nothing answered yet
    session.commit(0, {"1.1": "(4,)"})
    assert LessonSession(lesson, worker, store).resume_position() == 1  # the exercise
    ExerciseSession(LessonSession(lesson, worker, store), 1).run(NO_ZEROING)
    assert LessonSession(lesson, worker, store).resume_position() == 1  # failed: still there
    ExerciseSession(LessonSession(lesson, worker, store), 1).run(SOLUTION)
    assert LessonSession(lesson, worker, store).resume_position() == 0  # all done


def test_a_new_lesson_opens_at_its_first_step_even_before_an_exercise(worker, write_lesson):
    lesson = load_lesson(write_lesson(LOOP_LESSON))  # step 1 only runs code, step 2 is the exercise
    store = ProgressStore(Path(lesson.path).parent / "data", "ada")
    assert LessonSession(lesson, worker, store).resume_position() == 0


def test_the_solution_is_offered_after_a_failed_run_and_counts_as_skipped(exercise):
    assert not exercise.may_show_solution()
    exercise.run(WRONG_SIGN)
    assert exercise.may_show_solution()
    solution, error = exercise.show_solution(WRONG_SIGN)
    assert error is None and solution == exercise.exercise.solution
    attempts = exercise.attempts()
    assert isinstance(attempts[-1], ExerciseAttemptRecord) and attempts[-1].solution_shown
    assert not exercise.ever_passed()
    tally = tally_exercises([read_document(exercise.store.path)])
    assert tally.attempts == 1  # the shown solution is not an attempt
    assert tally.passed_learners == 0


def test_the_report_tally_counts_attempts_and_the_most_failed_checks(
    tmp_path, worker, write_lesson
):
    lesson = load_lesson(write_lesson(LOOP_LESSON))
    docs = []
    for name, codes in {"ann": [NO_ZEROING, SOLUTION], "bob": [NO_ZEROING, WRONG_SIGN]}.items():
        learner = ProgressStore(tmp_path / "class", name)
        ex = ExerciseSession(LessonSession(lesson, worker, learner), 1)
        for code in codes:
            ex.run(code)
        docs.append(read_document(learner.path))
    tally = tally_exercises(docs)
    assert (tally.attempts, tally.learners, tally.passed_learners) == (4, 2, 1)
    counts = dict(tally.failed_checks)
    assert counts[lesson.steps[1].exercise.checks[4].says] == 3
    assert counts["gradients were never zeroed"] == 2
    assert tally.failed_checks[0][1] == 3  # most failed first


def test_report_prints_the_exercise_section(tmp_path, worker, write_lesson):
    path = write_lesson(LOOP_LESSON)
    lesson = load_lesson(path)
    learner = ProgressStore(tmp_path, "ann", results_dir=tmp_path / "class")
    ex = ExerciseSession(LessonSession(lesson, worker, learner), 1)
    ex.run(NO_ZEROING)
    ex.run(SOLUTION)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(
            ["report", str(tmp_path / "class"), "--lessons", str(path.parent), "--color", "never"]
        )
    text = out.getvalue()
    assert status == 0, text
    assert (
        "Exercises and experiments\n  1 learner tried exercises (2 attempts): passed at least one."
    ) in text
    assert "Checks failed most often:" in text
    assert "1  gradients were never zeroed" in text


def test_the_report_counts_experiment_predictions():
    def run(predicted, outcome):
        return {
            "kind": "experiment",
            "settings": {"lr": 0.1},
            "predicted": predicted,
            "outcome": outcome,
            "losses": [],
        }

    doc = {
        "lessons": {
            "t": {
                "attempts": [],
                "practice": {
                    "4": {
                        "code": None,
                        "attempts": [
                            run("converges", "converges"),
                            run("slow", "diverges"),
                            run(None, "diverges"),
                        ],
                    }
                },
            }
        }
    }
    tally = tally_exercises([doc])
    assert (tally.experiment_runs, tally.predictions, tally.predictions_right) == (3, 2, 1)
    assert tally.attempts == 0
    lines = exercise_report_lines(tally)
    assert lines[-1] == "  3 experiment runs; 1 of 2 predictions right (50%)."


def test_the_report_counts_practice_in_the_same_pass_serial_or_parallel(tmp_path):
    """The report reads each file once: the practice tally comes from the main pass, and the
    counters of its worker processes merge to the same numbers as one process."""
    import json

    from autograd_tutor.progress.report import PARALLEL_FROM, build_report

    def attempt(failed):
        checks = [{"id": "x", "says": failed}] if failed else []
        return {"kind": "exercise", "code": "loop()", "failed": checks}

    folder = tmp_path / "class"
    folder.mkdir()
    for i in range(PARALLEL_FROM + 10):
        practice = {"1": {"code": "", "attempts": [attempt("no zeroing"), attempt(None)]}}
        if i % 2:
            practice["3"] = {
                "attempts": [{"kind": "experiment", "predicted": "slow", "outcome": "slow"}]
            }
        doc = {
            "format": "autograd-tutor-progress",
            "version": 1,
            "student": f"s{i:03d}",
            "lessons": {"t": {"hash": "h", "attempts": [], "practice": practice}},
        }
        (folder / f"s{i:03d}.json").write_text(json.dumps(doc), encoding="utf-8")
    (folder / "plain.json").write_text(
        json.dumps(
            {"format": "autograd-tutor-progress", "version": 1, "student": "plain", "lessons": {}}
        ),
        encoding="utf-8",
    )
    n = PARALLEL_FROM + 10
    for jobs in (1, 2):
        tally = build_report(folder, jobs=jobs).practice
        assert (tally.attempts, tally.learners, tally.passed_learners) == (2 * n, n, n), jobs
        assert tally.failed_checks == (("no zeroing", n),), jobs
        assert (tally.experiment_runs, tally.predictions_right) == (n // 2, n // 2), jobs
