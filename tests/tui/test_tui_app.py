"""Smaller app behaviours: help from the Markdown file, themes from the command palette,
hints and parse errors on a step, and a skipped question revealed."""

from __future__ import annotations

import re

import pytest
from tui_helpers import TEST_LESSONS, go_on, screen_text, type_text, wait_until

from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.help import HelpScreen
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.reveal import RevealScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.screens.summary import SummaryScreen
from autograd_tutor.tui.widgets.question_field import QuestionField


async def test_help_names_the_keys_and_where_progress_is_kept(tui_worker, tui_store):
    app = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        shown = screen_text(app)
        assert "ctrl+r" in shown and "ctrl+t" in shown and "ctrl+s" in shown
        assert f"Progress of **{tui_store.student}**" in shown
        assert str(tui_store.path) in shown
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen))


def light_theme_offered(app: AutogradTutorApp) -> bool:
    """The command palette's list shows its search's hits, the first highlighted."""
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found:
        return False
    hits = found.first()
    return (
        hits.option_count > 0
        and hits.highlighted == 0
        and "light" in str(hits.get_option_at_index(0).prompt).lower()
    )


async def test_command_palette_switches_to_the_light_theme(tui_worker):
    app = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+p")
        await type_text(pilot, "Theme: light")
        await wait_until(pilot, lambda: light_theme_offered(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.theme == "textual-light")


async def test_hint_parse_error_and_skip_on_a_step(tui_worker):
    app = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.lessons_loaded)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: "Hint 1: The derivative of x**2 is 2x." in screen_text(app))
        await type_text(pilot, "[1,, 2]")
        await pilot.press("ctrl+r")
        await pilot.pause()
        field = app.screen.query_one(QuestionField)
        shown = screen_text(app)
        assert "^" in shown and "column" in shown  # the parser's caret, before anything ran
        assert isinstance(app.screen, StepScreen) and not app.screen.busy
        await pilot.press("ctrl+s")
        assert field.skipped and field.text == ""
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        shown = screen_text(app)
        assert "(skipped)" in shown and "– skipped" in shown
        assert "tensor(6)" in shown  # torch's value is revealed


@pytest.mark.slow
async def test_summary_lists_the_misconception_and_retries_the_missed_step(tui_worker):
    app = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.lessons_loaded)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        await type_text(pilot, "9")  # the forward value, a known wrong answer
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        await go_on(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        assert app.screen.position == 1
        await type_text(pilot, "[[9, 8, 7], [6, 5, 4], [3, 2, 1]]")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))
        await go_on(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        shown = screen_text(app)
        assert "Score 50%" in shown
        assert "Step 1 · x.grad" in shown and "Step 2 · a.grad" in shown
        assert "9 is y, the forward value; the gradient is 2x." in shown
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        assert app.screen.position == 0 and app.screen.order == [0]
        assert "(retry 1 of 1)" in screen_text(app)


# The window frame Textual draws around an exported screenshot (its three buttons and title).
SCREENSHOT_CHROME = {"#ff5f57", "#febc2e", "#28c840", "#c5c8c6"}


def hues_in(svg: str) -> set[str]:
    """The colours of an exported screenshot that are not a shade of grey (frame left out)."""
    colours = set(re.findall(r'fill="(#[0-9a-f]{6})"', svg)) - SCREENSHOT_CHROME
    return {c for c in colours if not c[1:3] == c[3:5] == c[5:7]}


@pytest.mark.parametrize("no_color", [False, True])
async def test_no_color_leaves_only_shades_of_grey(tui_worker, monkeypatch, no_color):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = AutogradTutorApp(TEST_LESSONS, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        hues = hues_in(app.export_screenshot())
    assert (hues == set()) == no_color, hues
