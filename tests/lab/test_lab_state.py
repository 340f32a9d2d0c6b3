"""The live lab view's core: the folder poller, verified reading, the class state, the stuck
rules (no UI)."""

from __future__ import annotations

import os
from pathlib import Path

from lab_helpers import (
    ALL_RIGHT_STEP_1,
    ALL_RIGHT_STEP_2,
    FIRST,
    FORWARD_VALUE,
    bundled,
    document,
    exercise_run,
    learner,
    write,
)

from autograd_tutor.lab.learner import LessonIndex, read_learner
from autograd_tutor.lab.poller import FolderPoller
from autograd_tutor.lab.state import ClassState
from autograd_tutor.lab.stuck import StuckRules


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def state_of(folder: Path, **kw) -> ClassState:
    state = ClassState(folder, list(bundled().values()), **kw)
    state.refresh()
    return state


def test_the_poller_reports_only_new_changed_and_removed_files(tmp_path: Path) -> None:
    a = learner(tmp_path, "ann", ALL_RIGHT_STEP_1[:1])
    b = learner(tmp_path, "bob")
    (tmp_path / ".ann.json.tmp").write_bytes(b"half")  # a save in progress: not a results file
    poller = FolderPoller(tmp_path)
    assert sorted(p for p, _ in poller.poll().changed) == [a, b]
    assert not poller.poll().any  # nothing changed: nothing to read
    learner(tmp_path, "ann", ALL_RIGHT_STEP_1[:2])  # rewritten (a rename: a new inode)
    changes = poller.poll()
    assert [p for p, _ in changes.changed] == [a] and not changes.removed
    b.unlink()
    assert poller.poll().removed == [b]


def test_a_link_in_the_folder_is_named_and_never_followed(tmp_path: Path) -> None:
    outside = learner(tmp_path / "elsewhere", "eve", ALL_RIGHT_STEP_1)
    lab = tmp_path / "lab"
    lab.mkdir()
    os.symlink(outside, lab / "eve.json")
    state = state_of(lab)
    assert state.records == {}
    assert [(p.path.name, p.reason) for p in state.skipped] == [
        ("eve.json", "a symbolic link (not followed)")
    ]


def test_cells_say_not_started_in_progress_at_a_step_or_finished_with_the_first_try_score(
    tmp_path: Path,
) -> None:
    learner(tmp_path, "ann", ALL_RIGHT_STEP_1 + ALL_RIGHT_STEP_2)
    learner(tmp_path, "bob", [(FIRST, "1.1", "16"), (FIRST, "1.2", "16")])
    learner(tmp_path, "cy", [*ALL_RIGHT_STEP_1[:1], (FIRST, "1.2", "4"), *ALL_RIGHT_STEP_1[2:]])
    state = state_of(tmp_path)
    cells = {v.student: v.cells[FIRST] for v in state.learners}
    assert cells["ann"].text == "✓ 100%"
    assert cells["bob"].text == "step 1/2"  # 1.3 and 1.4 still unanswered
    assert cells["cy"].text == "step 2/2"
    assert cells["ann"].state == "finished" and cells["cy"].percent == 75
    assert {v.student: v.cells["detach"].text for v in state.learners} == dict.fromkeys(
        ["ann", "bob", "cy"], "·"
    )
    assert [lesson.id for lesson in state.shown_lessons] == [FIRST]
    assert [v.student for v in state.sorted_learners("progress")] == ["ann", "cy", "bob"]
    assert [v.student for v in state.sorted_learners("score")] == ["ann", "cy", "bob"]
    assert [v.student for v in state.sorted_learners("name")] == ["ann", "bob", "cy"]


def test_questions_show_the_first_try_share_and_the_common_wrong_answers_in_words(
    tmp_path: Path,
) -> None:
    learner(tmp_path, "ann", [(FIRST, "1.2", "16"), (FIRST, "1.2", "8")])
    learner(tmp_path, "bob", [(FIRST, "1.2", " 16 ")])
    learner(tmp_path, "cy", [(FIRST, "1.2", "8")])
    learner(tmp_path, "dee", [(FIRST, "1.2", "4")])
    q = state_of(tmp_path).question(FIRST, "1.2")
    assert q is not None
    assert (q.learners, q.first_right) == (4, 1)
    assert [(f.student, f.attempt.attempt.typed) for f in q.firsts] == [
        ("ann", "16"),
        ("bob", " 16 "),
        ("cy", "8"),
        ("dee", "4"),
    ]
    assert [(w.text, w.count) for w in q.wrong] == [("16", 2), ("4", 1)]
    assert q.wrong[0].misconception.startswith(FORWARD_VALUE)


def test_stuck_learners_wrong_three_times_a_failing_exercise_and_no_progress(
    tmp_path: Path,
) -> None:
    clock = Clock(0.0)
    ann = learner(tmp_path, "ann", [(FIRST, "1.2", "16")] * 3)
    learner(tmp_path, "bob", [(FIRST, "1.2", "16")] * 3 + [(FIRST, "1.2", "8")])  # got it
    runs = [exercise_run(["gradients were never zeroed"])] * 5
    learner(tmp_path, "cy", practice={("training-loop", 3): runs})
    learner(tmp_path, "dee", practice={("training-loop", 3): runs[:4]})  # not yet
    idle = learner(tmp_path, "eve", ALL_RIGHT_STEP_1[:1])
    for path in tmp_path.glob("*.json"):
        os.utime(path, (1000.0, 1000.0))
    os.utime(idle, (100.0, 100.0))
    clock.now = 100.0 + 10 * 60
    state = state_of(tmp_path, clock=clock, rules=StuckRules(3, 5, 10))
    got = [(s.student, s.kind, s.where, s.count) for s in state.stuck]
    assert got == [
        ("ann", "question", "1.2 x.grad", 3),
        ("cy", "exercise", "step 4: Your turn: write the loop", 5),
        ("eve", "idle", "", 10),
    ]
    assert state.stuck[0].why.startswith(FORWARD_VALUE) and state.stuck[0].last_answer == "16"
    assert state.stuck[1].why == "gradients were never zeroed"
    ex = state.exercises[0]
    assert (ex.tried, ex.passed, ex.runs) == (2, 0, 9)
    assert ex.failing == (("gradients were never zeroed", 9),)
    # ann answers right: no longer stuck, after one refresh
    learner(tmp_path, "ann", [(FIRST, "1.2", "16")] * 3 + [(FIRST, "1.2", "8")])
    os.utime(ann, (1000.0, 1000.0))
    assert state.refresh()
    assert [s.student for s in state.stuck] == ["cy", "eve"]


def test_forged_and_unreadable_files_are_shown_as_such_and_never_counted(
    tmp_path: Path,
) -> None:
    forged = document("mal", [(FIRST, "1.2", "16"), (FIRST, "1.1", "16")])
    forged["lessons"][FIRST]["attempts"][0].update(verdict="right", credit=1.0)  # edited
    write(tmp_path, forged)
    made_up = document("ned", [(FIRST, "1.1", "16")])
    made_up["lessons"][FIRST]["attempts"][0]["expr"] = "@SUM(1+1)"
    write(tmp_path, made_up)
    write(tmp_path, b'{"format": "autograd-tutor-progress", "vers', "tom.json")
    learner(tmp_path, "ann", [(FIRST, "1.2", "16")])
    state = state_of(tmp_path)
    views = {v.student: v for v in state.learners}
    assert views["tom"].record.problem.startswith("truncated JSON")
    assert views["tom"].cells == {}
    assert views["mal"].record.notes() == [
        "edited by hand? 1 stored verdict not what was typed (not counted)"
    ]
    assert views["ned"].record.notes() == [
        "1 attempt with another expression than the question's (not counted)"
    ]
    q = state.question(FIRST, "1.2")
    assert q is not None and [f.student for f in q.firsts] == ["ann"]  # mal's 1.2 is forged
    assert q.first_right == 0
    q11 = state.question(FIRST, "1.1")
    assert q11 is not None and [f.student for f in q11.firsts] == ["mal"]  # ned's is unmatched


def test_reading_one_file_uses_the_report_reader_limits(tmp_path: Path) -> None:
    index = LessonIndex.of(bundled().values())
    path = write(tmp_path, b"\xff\xfebinary", "x.json")
    assert read_learner(path, index, 0.0).problem == "not text (binary data or not UTF-8)"
    path = write(tmp_path, b"[]", "y.json")
    assert read_learner(path, index, 0.0).problem.startswith("not a progress document")


def test_a_folder_that_disappears_keeps_the_last_state_and_says_so(tmp_path: Path) -> None:
    lab = tmp_path / "lab"
    learner(lab, "ann", ALL_RIGHT_STEP_1)
    state = state_of(lab)
    for p in lab.iterdir():
        p.unlink()
    lab.rmdir()
    assert state.refresh()
    assert state.folder_problem.startswith("cannot list the folder")
    assert [v.student for v in state.learners] == ["ann"]


def test_each_answer_is_verified_against_its_own_variant(tmp_path: Path) -> None:
    """watch verifies with report's verifier: the same typed text is right for one learner's
    numbers and wrong for another's, whatever order the files are read in."""
    bob = document("bob", [(FIRST, "1.2", "8")])  # the default, a=4: 8 is right
    ada = document("ada", [(FIRST, "1.2", "8")])
    typed = ada["lessons"][FIRST]["attempts"][0]
    typed.update(variant={"a": 3}, verdict="wrong", credit=0.0)  # 8 is wrong when a=3
    write(tmp_path, bob)
    write(tmp_path, ada)
    state = state_of(tmp_path)
    views = {v.student: v for v in state.learners}
    assert views["ada"].record.notes() == [] and views["bob"].record.notes() == []
    q = state.question(FIRST, "1.2")
    assert q is not None
    firsts = sorted((f.student, f.attempt.verdict) for f in q.firsts)
    assert firsts == [("ada", "wrong"), ("bob", "right")]
    typed.update(verdict="right", credit=1.0)  # edited: 8 claimed right for a=3
    write(tmp_path, ada)
    assert state.refresh()
    ada_now = state.learner(views["ada"].record.path)
    assert ada_now is not None and ada_now.record.forged == 1
    q = state.question(FIRST, "1.2")
    assert q is not None and [f.student for f in q.firsts] == ["bob"]  # never counted


def test_a_retake_in_progress_is_in_progress_by_its_own_take(tmp_path: Path) -> None:
    """The grid reads the learner app's standing: the take the learner is on decides."""
    doc = document("ann", ALL_RIGHT_STEP_1 + ALL_RIGHT_STEP_2)  # take 0, finished
    retake = document("ann", [(FIRST, "1.1", "9")])["lessons"][FIRST]["attempts"][0]
    retake.update(variant={"a": 3}, take=1, verdict="right", credit=1.0, feedback="")
    doc["lessons"][FIRST]["attempts"].append(retake)  # 9 is right for a=3
    write(tmp_path, doc)
    state = state_of(tmp_path)
    (view,) = state.learners
    assert view.record.notes() == []
    cell = view.cells[FIRST]
    assert (cell.state, cell.step, cell.answered, cell.percent) == ("in progress", 1, 1, 100)
