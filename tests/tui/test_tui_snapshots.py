"""SVG snapshots at 80x24 (pytest-textual-snapshot): the picker, a step before and after the
reveal, and a training step's loss curve. The lessons are this folder's own (``lessons/``) so
edits to the bundled lessons do not move the pictures; cursors do not blink; progress is not
shown (its path would differ per run). Regenerate with ``--snapshot-update`` and look at them."""

from __future__ import annotations

from typing import Any

from tui_helpers import TEST_LESSONS, type_text, wait_until

from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.reveal import RevealScreen
from autograd_tutor.tui.screens.step import StepScreen


def make_app(worker: Any) -> AutogradTutorApp:
    return AutogradTutorApp(TEST_LESSONS, worker=worker, store=None, cursor_blink=False)


async def torch_ready(pilot: Any) -> None:
    await wait_until(pilot, lambda: pilot.app.worker_info is not None)


async def open_lesson(pilot: Any, index: int) -> None:
    await torch_ready(pilot)
    for _ in range(index):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, StepScreen))


def test_snapshot_picker(snap_compare, tui_worker):
    assert snap_compare(make_app(tui_worker), run_before=torch_ready)


def test_snapshot_step_before_reveal(snap_compare, tui_worker):
    async def before(pilot: Any) -> None:
        await open_lesson(pilot, 0)
        await type_text(pilot, "9")

    assert snap_compare(make_app(tui_worker), run_before=before)


def test_snapshot_step_after_reveal(snap_compare, tui_worker):
    async def before(pilot: Any) -> None:
        await open_lesson(pilot, 0)
        await type_text(pilot, "9")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, RevealScreen), 60)

    assert snap_compare(make_app(tui_worker), run_before=before)


def test_snapshot_training_loss_curve(snap_compare, tui_worker):
    async def before(pilot: Any) -> None:
        await open_lesson(pilot, 1)
        await type_text(pilot, "21")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, RevealScreen), 60)
        await pilot.pause()  # the reveal shows a training step's plots first, no scrolling

    assert snap_compare(make_app(tui_worker), run_before=before)
