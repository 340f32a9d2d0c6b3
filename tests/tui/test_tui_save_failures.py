"""Saves that fail in the middle of a lesson in the app: the summary says first what did not
reach its folder and where the progress is, the score counts every answer, and after the app
the same words go to stderr with the named exit status (``commands/app.not_saved_status``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from save_failures import block
from tui_helpers import TEST_LESSONS, go_on, screen_text, type_text, wait_until

from autograd_tutor.commands.app import not_saved_status
from autograd_tutor.errors import ExitStatus
from autograd_tutor.progress import ProgressStore
from autograd_tutor.progress import store as store_module
from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.reveal import RevealScreen
from autograd_tutor.tui.screens.step import StepScreen
from autograd_tutor.tui.screens.summary import SummaryScreen

STEP_TWO = "[[9, 8, 7], [6, 5, 4], [3, 2, 1]]"


async def answer(pilot: Any, text: str) -> None:
    await type_text(pilot, text)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RevealScreen), timeout=60)
    await go_on(pilot)


async def take_chain(app: AutogradTutorApp, pilot: Any, between: Any) -> str:
    """Step 1 right (saved), then ``between()``, then step 2 right; the summary's text."""
    await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
    await answer(pilot, "6")
    await wait_until(pilot, lambda: isinstance(app.screen, StepScreen) and app.screen.position == 1)
    between()
    await answer(pilot, STEP_TWO)
    await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
    return " ".join(screen_text(app).split())


async def test_a_results_folder_gone_mid_lesson(
    tui_worker: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = tmp_path / "lab"
    store = ProgressStore(tmp_path / "data", "ada", results)
    app = AutogradTutorApp(
        TEST_LESSONS, worker=tui_worker, store=store, open_lessons=["tui-chain"], cursor_blink=False
    )
    async with app.run_test(size=(80, 24)) as pilot:
        shown = await take_chain(app, pilot, lambda: block(results))
        assert (
            f"Your results did NOT reach the results folder: {results / 'ada.json'} could not "
            "be written" in shown
        )
        assert f"your progress is saved in {store.path}" in shown
        assert "Score 100%" in shown
        assert app.screen.query_one("#not-saved").region.y < 24  # in view without scrolling
    assert not_saved_status(store) == ExitStatus.RESULTS_NOT_SAVED
    assert "error: Your results did NOT reach the results folder" in capsys.readouterr().err
    assert len(store.progress.attempts("tui-chain")) == 2


async def test_a_data_folder_gone_mid_lesson(
    tui_worker: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    rescue = tmp_path / "rescue"
    monkeypatch.setattr(store_module, "rescue_folder", lambda: rescue)
    data = tmp_path / "data"
    store = ProgressStore(data, "ada")
    app = AutogradTutorApp(
        TEST_LESSONS, worker=tui_worker, store=store, open_lessons=["tui-chain"], cursor_blink=False
    )
    async with app.run_test(size=(80, 24)) as pilot:
        shown = await take_chain(app, pilot, lambda: block(data))
        assert f"Your progress was NOT saved: 1 change could not be written to {store.path}" in (
            shown
        )
        assert f"A copy of all your progress is kept in {rescue / 'ada.json'}" in shown
        assert "Score 100%" in shown  # the unsaved answer is counted
    assert not_saved_status(store) == ExitStatus.DATA_UNWRITABLE
    assert "error: Your progress was NOT saved" in capsys.readouterr().err
    kept = ProgressStore(rescue, "ada").progress.attempts("tui-chain")
    assert [a.typed for a in kept] == ["6", STEP_TWO]
