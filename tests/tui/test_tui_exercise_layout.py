"""The exercise screen read at 80x24 and used at 200x60: the task, the setup code that runs
first and every check readable; after a run every verdict and a loss plot of at least 8 rows on
screen; select-all and the starter code one key each, in the footer."""

from __future__ import annotations

from textual.widget import Widget
from tui_helpers import HERE, plain, type_text, wait_until

from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.exercise import ExerciseScreen
from autograd_tutor.tui.widgets.loss_plot import LossPlot

LESSONS = HERE / "practice_lessons"


def shown_whole(app, widget: Widget) -> bool:
    """The widget is displayed, inside the screen, and not cut by a scrolling parent."""
    region = widget.region
    if not widget.display or region.height <= 0:
        return False
    if not app.screen.region.contains_region(region):
        return False
    parent = widget.parent
    while isinstance(parent, Widget) and parent is not app.screen:
        if not parent.region.contains_region(region):
            return False
        parent = parent.parent
    return True


def footer_keys(app) -> dict[str, str]:
    return {
        b.binding.key: b.binding.description for b in app.active_bindings.values() if b.binding.show
    }


async def open_exercise(pilot, app) -> ExerciseScreen:
    await wait_until(pilot, lambda: app.lessons_loaded)
    app.open_lesson("loop", {1: None})
    await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen))
    return app.screen


async def test_at_80x24_task_setup_every_check_then_every_verdict_and_the_plot(
    tui_worker, tui_store
):
    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, app)
        checks = screen.exercise.exercise.checks
        # the code view: the title, the task's first lines, the editor, the status, the keys
        for part in ("#step-title", "#brief", "#editor", "#status"):
            assert shown_whole(app, screen.query_one(part)), part
        assert screen.editor.has_focus and screen.editor.region.height >= 8
        keys = footer_keys(app)
        assert keys.get("f2") == "Starter" and keys.get("ctrl+a") == "Select all"
        assert keys.get("f4") == "Task" and keys.get("f5") == "Results" and "f1" in keys

        # F4: the task in full, with the setup code and every check, all on screen at once
        await pilot.press("f4")
        setup = screen.query_one("#setup")
        names = screen.query_one("#check-names")
        assert shown_whole(app, setup) and "lr = 0.05" in setup.text
        assert shown_whole(app, names)
        listed = plain(names.content)
        assert all(check.title in listed for check in checks), listed
        await pilot.press("escape")  # back to the code, not out of the step
        assert isinstance(app.screen, ExerciseScreen) and screen.editor.has_focus

        # a run opens the results: every verdict, then a plot of at least 8 rows
        screen.editor.load_text(screen.exercise.exercise.solution)
        done = screen.finished_runs
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: screen.finished_runs > done, timeout=60)
        pane, plot = screen.query_one("#checks-pane"), screen.query_one(LossPlot)
        assert shown_whole(app, pane) and shown_whole(app, plot)
        verdicts = plain(screen.query_one("#checks").content)
        assert verdicts.count("✓ passed") == len(checks)
        assert pane.virtual_size.height <= pane.region.height  # no verdict scrolled away
        assert plot.region.height >= 8 and plot.loss
        assert "All checks passed" in plain(screen.query_one("#status").content)
        await pilot.press("f5")  # back to the code
        assert shown_whole(app, screen.editor) and not screen.query_one("#results").display


async def test_at_200x60_task_editor_and_results_share_the_screen(tui_worker, tui_store):
    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await open_exercise(pilot, app)
        for part in ("#setup", "#check-names", "#editor", "#checks-pane", "#loss"):
            assert shown_whole(app, screen.query_one(part)), part
        editor, plot = screen.editor, screen.query_one(LossPlot)
        assert editor.region.x < plot.region.x  # side by side
        assert plot.region.height >= 40 and plot.region.width >= 60
        assert "f4" not in footer_keys(app)  # nothing to switch: all is on screen


async def test_select_all_and_the_starter_code_are_one_key_each(tui_worker, tui_store):
    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, app)
        editor = screen.editor
        starter = editor.text
        editor.load_text("print('mine')\n")
        await pilot.press("ctrl+a")
        assert editor.selected_text == "print('mine')\n"
        await type_text(pilot, "x = 1")  # typing replaces the whole selection
        assert editor.text == "x = 1"
        await pilot.press("f2")
        assert editor.text == starter
        await pilot.press("ctrl+z")  # the starter is an edit like any other
        assert editor.text == "x = 1"


def test_help_names_every_key_of_the_exercise_and_experiment_screens():
    from autograd_tutor.tui.screens.experiment import ExperimentScreen
    from autograd_tutor.tui.screens.help import HELP_FILE

    rows = HELP_FILE.read_text(encoding="utf-8").splitlines()

    def keys_for(where: str) -> str:
        return " ".join(row for row in rows if row.startswith("| ") and where in row.split("|")[1])

    shown_as = {"escape": "Esc", "f1": "F1", "f2": "F2", "f3": "F3", "f4": "F4", "f5": "F5"}
    shown_as |= {"pageup": "PgUp", "pagedown": "PgDn"}
    for screen, where in ((ExerciseScreen, "exercise"), (ExperimentScreen, "experiment")):
        listed = keys_for(where) + " " + keys_for("anywhere")
        for binding in screen.BINDINGS:
            key = binding.key if hasattr(binding, "key") else binding[0]
            if key.isdigit():
                assert "1-9" in listed, where
                continue
            assert shown_as.get(key, key) in listed, f"{where}: {key} is not in the help"


async def test_quitting_with_edited_unrun_code_asks_and_keeps_the_draft(tui_worker, tui_store):
    from tui_helpers import screen_text

    from autograd_tutor.progress.exercise_records import saved_code
    from autograd_tutor.tui.screens.confirm import ConfirmScreen

    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, app)
        await pilot.press("ctrl+a", *"x = 1  # my draft")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "has not run since you edited it" in screen_text(app)
        assert saved_code(tui_store, "loop", 1) == "x = 1  # my draft"  # kept already
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
    assert saved_code(tui_store, "loop", 1) == "x = 1  # my draft"
    # code as it was loaded, not edited: ctrl+q quits at once
    app = AutogradTutorApp(LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, app)
        assert screen.editor.text.rstrip() == "x = 1  # my draft"
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
