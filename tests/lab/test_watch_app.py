"""``WatchApp`` driven by Pilot over a results folder that changes during the test: a file
rewritten, a new learner appearing, a corrupt file arriving. The app polls on its own timer (a
short interval here) or on ``r``; tests wait on what is shown, never on time."""

from __future__ import annotations

import hashlib
from pathlib import Path

from lab_helpers import (
    ALL_RIGHT_STEP_1,
    ALL_RIGHT_STEP_2,
    FIRST,
    FORWARD_VALUE,
    bundled,
    exercise_run,
    learner,
    write,
)
from textual.widgets import DataTable
from watch_helpers import rows, static, wait_until

from autograd_tutor.lab.stuck import StuckRules
from autograd_tutor.tui.watch.app import WatchApp
from autograd_tutor.tui.watch.learner import LearnerScreen
from autograd_tutor.tui.watch.question import QuestionScreen

SIZE = (80, 24)


def watch(folder: Path, *, interval: float = 0.05) -> WatchApp:
    return WatchApp(folder, list(bundled().values()), rules=StuckRules(3, 5, 60), interval=interval)


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


async def test_stuck_learners_come_first_with_the_misconception_and_leave_when_unstuck(
    tmp_path: Path,
) -> None:
    learner(tmp_path, "ann", [(FIRST, "1.2", "16")] * 3)
    learner(tmp_path, "bob", ALL_RIGHT_STEP_1)
    before = snapshot(tmp_path)
    app = watch(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(rows(app, "stuck-table")))
        assert rows(app, "stuck-table") == [["ann", "wrong 3× in a row", "1.2 x.grad", FIRST]]
        detail = static(app, "stuck-detail")
        assert "last answer: 16" in detail and FORWARD_VALUE in detail
        assert "2 learners · 1 stuck" in static(app, "status")
        # ann's machine rewrites her file: right at last
        learner(tmp_path, "ann", [(FIRST, "1.2", "16")] * 3 + [(FIRST, "1.2", "8")])
        await wait_until(pilot, lambda: rows(app, "stuck-table") == [])
        assert "Nobody is stuck right now." in static(app, "stuck-detail")
        assert "0 stuck" in static(app, "status")
    assert snapshot(tmp_path) == before | {"ann.json": snapshot(tmp_path)["ann.json"]}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ann.json", "bob.json"]  # wrote nothing


async def test_the_grid_grows_with_a_new_learner_and_shows_a_corrupt_file_as_unreadable(
    tmp_path: Path,
) -> None:
    learner(tmp_path, "ann", ALL_RIGHT_STEP_1 + ALL_RIGHT_STEP_2)
    app = watch(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await wait_until(pilot, lambda: len(rows(app, "class-table")) == 1)
        assert rows(app, "class-table") == [["ann", "✓ 100%"]]
        learner(tmp_path, "bob", [(FIRST, "1.1", "16"), (FIRST, "1.2", "4")])
        await wait_until(pilot, lambda: len(rows(app, "class-table")) == 2)
        assert rows(app, "class-table")[1] == ["bob", "▸1/2"]
        write(tmp_path, b'{"format": "autograd-tutor-progress", "lessons": {"first-gr', "cy.json")
        await wait_until(pilot, lambda: len(rows(app, "class-table")) == 3)
        assert rows(app, "class-table")[2] == ["cy unreadable", ""]
        assert "2 learners · 0 stuck · 1 file unreadable" in static(app, "status")
        await pilot.press("down", "down")
        assert static(app, "class-detail").startswith("cy.json\nunreadable: truncated JSON")
        # the corrupt file counts for nothing: 1.1 still has two learners, both right
        await pilot.press("3")
        assert rows(app, "questions-table")[0][3:5] == ["██████████ 100%", "2"]
        # sort by progress, then by score: ann first both times
        await pilot.press("2", "s")
        assert app.screen.sort == "progress"
        assert [r[0] for r in rows(app, "class-table")] == ["ann", "bob", "cy unreadable"]


async def test_a_forged_file_is_flagged_and_its_forged_answer_not_counted(tmp_path: Path) -> None:
    import json

    learner(tmp_path, "ann", [(FIRST, "1.2", "16")])
    path = learner(tmp_path, "mal", [(FIRST, "1.2", "16")])
    app = watch(tmp_path, interval=3600)  # polls on `r` only
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        assert rows(app, "questions-table")[0][1:5] == ["1.2", "x.grad", "░░░░░░░░░░   0%", "2"]
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["lessons"][FIRST]["attempts"][0].update(verdict="right", credit=1.0)
        write(tmp_path, doc)
        await pilot.press("r")
        await wait_until(pilot, lambda: rows(app, "questions-table")[0][4] == "1")
        await pilot.press("2")
        assert [r[0] for r in rows(app, "class-table")] == ["ann", "mal edited?"]
        await pilot.press("down")
        assert "edited by hand? 1 stored verdict not what was typed (not counted)" in static(
            app, "class-detail"
        )


async def test_drilling_into_a_learner_shows_attempts_in_order_and_follows_their_file(
    tmp_path: Path,
) -> None:
    answers = [(FIRST, "1.1", "16"), (FIRST, "1.2", "4")]
    runs = [exercise_run(["gradients were never zeroed"])]
    learner(tmp_path, "ann", answers, practice={("training-loop", 3): runs})
    app = watch(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LearnerScreen))
        assert [r[1:] for r in rows(app, "attempts")] == [
            [FIRST, "1.1", "y", "16", "16", "right"],
            [FIRST, "1.2", "x.grad", "4", "8", "wrong"],
            ["training-loop", "s4", "exercise run", "", "", "gradients were never zeroed"],
        ]
        learner(tmp_path, "ann", [*answers, (FIRST, "1.2", "8")], {("training-loop", 3): runs})
        await wait_until(pilot, lambda: len(rows(app, "attempts")) == 4)
        assert rows(app, "attempts")[2][1:] == [FIRST, "1.2", "x.grad", "8", "8", "right"]
        await pilot.press("escape")
        assert not isinstance(app.screen, LearnerScreen)


async def test_drilling_into_a_question_shows_every_learners_first_answer(tmp_path: Path) -> None:
    learner(tmp_path, "ann", [(FIRST, "1.1", "16"), (FIRST, "1.2", "16"), (FIRST, "1.2", "8")])
    learner(tmp_path, "bob", [(FIRST, "1.1", "16"), (FIRST, "1.2", "8")])
    app = watch(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "down")
        assert FORWARD_VALUE in static(app, "questions-detail")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, QuestionScreen))
        got = rows(app, "firsts")
        assert [r[:3] for r in got] == [["ann", "16", "wrong"], ["bob", "8", "right"]]
        assert got[0][3].startswith("16 is y, the forward value.")
        assert "(1 of 2)" in static(app, "question-head")


async def test_the_grid_fits_eight_lessons_in_80_columns_with_numbered_headers(
    tmp_path: Path,
) -> None:
    """A column is headed by the lesson's number in the course, named in the legend above the
    grid, so the cells set the width: eight lessons side by side at 80x24."""
    lessons = list(bundled().values())
    started = lessons[:8]
    answers = [(lesson.id, lesson.questions[0].id, None) for lesson in started]  # skipped
    learner(tmp_path, "annabel", answers)
    learner(tmp_path, "bob", ALL_RIGHT_STEP_1 + ALL_RIGHT_STEP_2)
    app = watch(tmp_path, interval=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await wait_until(pilot, lambda: len(rows(app, "class-table")) == 2)
        table = app.screen.query_one("#class-table", DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert labels == ["Learner", *(str(n) for n in range(1, 9))]
        assert table.virtual_size.width <= table.size.width <= 80  # no sideways scrolling
        ann, bob = rows(app, "class-table")
        assert ann[0] == "annabel" and all(c.startswith(("▸", "✓")) for c in ann[1:])
        assert bob[1] == "✓ 100%" and bob[2:] == ["·"] * 7
        shown = static(app, "class-legend")
        for n, lesson in enumerate(started, 1):
            assert f"{n} {lesson.id}" in shown
        assert "✓ finished, first-try score" in shown
        region = app.screen.query_one("#class-legend").region
        assert region.height == 3 and region.bottom <= table.region.y  # above the grid, whole
