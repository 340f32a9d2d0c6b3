"""The exercise and experiment screens driven like a learner at 80x24: edit code in the editor,
run it, read the verdicts; an endless loop stopped with the code kept; code restored in a new
app; the solution only after a run; three experiment runs overlaid with a legend; the code of
each run a PgDn away at 80x24, on screen whole on a tall terminal."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import HERE, go_on, plain, type_text, wait_until

from autograd_tutor.presentation import ERROR_TITLES
from autograd_tutor.progress import ProgressStore, read_document
from autograd_tutor.progress.exercise_records import saved_code
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.exercise import ExerciseScreen
from autograd_tutor.tui.screens.experiment import ExperimentScreen
from autograd_tutor.tui.screens.solution import SolutionScreen
from autograd_tutor.tui.widgets.loss_overlay import LossOverlay

LESSONS = HERE / "practice_lessons"
NO_ZEROING = (
    "for step in range(300):\n"
    "    loss = ((w * x + b - y) ** 2).mean()\n"
    "    loss.backward()\n"
    "    with torch.no_grad():\n"
    "        w -= lr * w.grad\n"
    "        b -= lr * b.grad\n"
)


def inside_screen(app, widget) -> bool:
    region, screen = widget.region, app.screen.region
    return region.height > 0 and screen.contains_region(region)


async def open_step(pilot, app, lesson_id: str, position: int):
    await wait_until(pilot, lambda: app.lessons_loaded)
    app.open_lesson(lesson_id, {position: None})
    await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen | ExperimentScreen))
    return app.screen


async def run_and_wait(pilot, screen, shown: str = "#checks") -> str:
    """Press ctrl+r and wait for the run's result; the text of ``shown`` then."""
    done = screen.finished_runs
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: screen.finished_runs > done, timeout=60)
    return plain(screen.query_one(shown).content)


async def test_edit_run_and_read_the_verdicts(tui_worker, tui_store):
    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(pilot, app, "loop", 1)
        editor = screen.editor
        assert inside_screen(app, editor) and editor.has_focus
        assert "# TODO" in editor.text and editor.show_line_numbers
        footer = " ".join(
            b.binding.description for b in app.active_bindings.values() if b.binding.show
        )
        assert "Run" in footer and "Starter" in footer and "Select all" in footer
        # F3 before any run: not yet
        await pilot.press("f3")
        assert not isinstance(app.screen, SolutionScreen)

        editor.load_text(NO_ZEROING)
        first = await run_and_wait(pilot, screen)
        assert "✗ failed  gradients were never zeroed: before backward() call 2" in first
        assert inside_screen(app, screen.query_one("#checks-pane"))

        # the learner adds the zeroing at the end of the loop, typing it in the editor
        editor.focus()
        editor.cursor_location = (len(editor.text.splitlines()) - 1, 100)
        await pilot.press("end", "enter")
        await type_text(pilot, "    w.grad.zero_()")
        await pilot.press("enter")
        await type_text(pilot, "    b.grad.zero_()")
        assert editor.text.rstrip().endswith("w.grad.zero_()\n    b.grad.zero_()")
        second = await run_and_wait(pilot, screen)
        assert "All 5 checks passed." in second
        assert "✓ passed  the gradients were zeroed between backward() calls" in second
        assert screen.query_one("#loss").loss  # the training exercise drew its loss

        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, SolutionScreen))
        assert "w.grad.zero_()" in app.screen.query_one("#solution").text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen))
    attempts = read_document(tui_store.path)["lessons"]["loop"]["practice"]["1"]["attempts"]
    assert [a["failed"] == [] for a in attempts] == [False, True]
    assert not any(a["solution_shown"] for a in attempts)  # shown after passing: no skip


async def test_an_endless_loop_is_stopped_and_the_editor_keeps_the_code(
    tui_worker, tui_store, tmp_path: Path
):
    endless = "while True:\n    pass\n"
    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(pilot, app, "loop", 1)
        screen.editor.load_text(endless)
        text = await run_and_wait(pilot, screen)
        assert f"{ERROR_TITLES['Timeout']}\nthe step ran longer than 2 s" in text
        assert screen.editor.text == endless
        assert not screen.editor.read_only
    assert saved_code(tui_store, "loop", 1) == endless
    # a new start of the app (a new store reading the file) opens with that code
    again = ProgressStore(tui_store.data_dir, "ada")
    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=again, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(pilot, app, "loop", 1)
        assert screen.editor.text == endless


async def test_escape_cancels_a_run(tui_worker, tui_store):
    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(pilot, app, "loop", 1)
        screen.editor.load_text("import time\ntime.sleep(30)\n")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: screen.busy)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.busy, timeout=20)
        assert ERROR_TITLES["Cancelled"] in plain(screen.query_one("#checks").content)
        assert isinstance(app.screen, ExerciseScreen)


async def test_three_experiment_runs_are_overlaid_with_a_legend(tui_worker, tui_store):
    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(pilot, app, "knobs", 1)
        overlay = screen.query_one(LossOverlay)
        assert inside_screen(app, overlay)
        status = plain(screen.query_one("#status").content)
        assert "1-3 predict" in status  # three outcomes, not a fixed 1-4
        await pilot.press("ctrl+r")  # no prediction yet: asked for one
        assert "Predict first" in plain(screen.query_one("#verdict").content)
        for keys, expected in (
            (["2"], "converges"),
            (["right", "1"], "converges"),
            (["right", "1"], "diverges"),
        ):
            await pilot.press(*keys)
            verdict = await run_and_wait(pilot, screen, "#verdict")
            assert expected in verdict
        assert [label for label, _ in overlay.runs] == ["lr=0.01", "lr=0.1", "lr=0.9"]
        drawn = plain(overlay.render())
        legend = drawn.rstrip().splitlines()[-1]
        assert "• lr=0.01" in legend and "+ lr=0.1" in legend and "x lr=0.9" in legend
        assert "✓ as you predicted" in verdict
        assert inside_screen(app, overlay) and inside_screen(app, screen.query_one("#verdict"))
    runs = read_document(tui_store.path)["lessons"]["knobs"]["practice"]["1"]["attempts"]
    assert [(r["predicted"], r["outcome"]) for r in runs] == [
        ("converges", "slow"),
        ("diverges", "converges"),
        ("diverges", "diverges"),
    ]


async def test_both_screens_fit_at_60x20(tui_worker, tui_store):
    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_step(pilot, app, "loop", 1)
        for part in (screen.editor, screen.query_one("#status")):
            assert inside_screen(app, part), part
        assert screen.editor.region.height >= 5
        await pilot.press("f5")  # the results view
        assert inside_screen(app, screen.query_one("#checks-pane"))
        await pilot.press("f5")  # back to the code
        await pilot.press("escape", "escape")  # leave the editor, then the step
        screen = await open_step(pilot, app, "knobs", 1)
        for part in ("#overlay", "#verdict", "#predict", "#status"):
            assert inside_screen(app, screen.query_one(part)), part


async def test_solution_after_a_failed_run_counts_as_skipped_and_f2_resets(tui_worker, tui_store):
    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(pilot, app, "loop", 1)
        starter = screen.editor.text
        screen.editor.load_text(NO_ZEROING)
        await run_and_wait(pilot, screen)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, SolutionScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        assert screen.editor.text == NO_ZEROING  # the solution never overwrites the code
        await pilot.press("f2")
        assert screen.editor.text == starter
        await pilot.press("ctrl+z")  # the reset is an edit: it can be undone
        assert screen.editor.text == NO_ZEROING
        await pilot.press("f2")
        assert screen.editor.text == starter
        # typing is saved a moment after the learner stops, without running anything
        screen.editor.focus()
        await type_text(pilot, "# mine")
        await wait_until(
            pilot, lambda: (saved_code(tui_store, "loop", 1) or "").startswith("# mine")
        )
    attempts = read_document(tui_store.path)["lessons"]["loop"]["practice"]["1"]["attempts"]
    assert [a["solution_shown"] for a in attempts] == [False, True]


async def test_the_step_before_leads_to_the_exercise_and_ctrl_n_to_the_summary(
    tui_worker, tui_store
):
    from autograd_tutor.tui.screens.reveal import RevealScreen
    from autograd_tutor.tui.screens.step import StepScreen
    from autograd_tutor.tui.screens.summary import SummaryScreen

    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.lessons_loaded)
        app.open_lesson("loop")  # a new lesson opens at its first step (code only, here)
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        await go_on(pilot)  # Enter counts once the reveal has been seen
        await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert len(app.screen_stack) == 3  # picker, summary (the step screens are gone)


async def test_a_tutor_bug_during_a_run_is_shown_and_the_screen_stays(
    tui_worker, tui_store, monkeypatch
):
    """A bug inside the tutor while an exercise runs reaches the screen as one message (with
    its traceback), the run ends and the learner's code stays; the app does not crash."""
    from autograd_tutor.session.exercise import ExerciseSession

    def broken(self, code, *, on_loss=None):
        raise RuntimeError("the core broke")

    monkeypatch.setattr(ExerciseSession, "run", broken)
    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(pilot, app, "loop", 1)
        screen.editor.load_text(NO_ZEROING)
        text = await run_and_wait(pilot, screen)
        assert "Something went wrong inside the tutor" in text
        assert "RuntimeError: the core broke" in text
        assert not screen.busy and screen.editor.text == NO_ZEROING
        assert isinstance(app.screen, ExerciseScreen)


def code_rows_on_screen(screen) -> int:
    """How many rows of the experiment's code (the brief's code block) are on screen."""
    brief = screen.query_one("#brief")
    fence = brief.query_one("MarkdownFence")
    return fence.region.intersection(brief.content_region).height


async def test_the_code_of_each_run_is_on_screen_or_a_page_down_away(tui_worker, tui_store):
    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(pilot, app, "knobs", 1)
        assert code_rows_on_screen(screen) == 0  # the loss curves keep the rows at 80x24
        assert "PgUp/PgDn code" in plain(screen.query_one("#status").content)
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: code_rows_on_screen(screen) > 0)
        assert inside_screen(app, screen.query_one(LossOverlay))
    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_step(pilot, app, "knobs", 1)
        await wait_until(pilot, lambda: code_rows_on_screen(screen) >= 7)  # all 7 lines
        assert inside_screen(app, screen.query_one(LossOverlay))
