"""The bundled broadcast-bias lesson opens the graph panel with the step where the bias is
broadcast: at 80x24, before the run it shows b's leaf and no gradient or Y value; after the
reveal it shows the ones arriving at every row of Y and their sum, [3, 3], reaching b."""

from __future__ import annotations

from textual.widgets import Static
from tui_helpers import plain, type_text, wait_until

from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.graph import GraphScreen
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.reveal import RevealScreen
from autograd_tutor.tui.screens.step import StepScreen


def drawn_graph(app) -> str | None:
    screen = app.screen
    if not isinstance(screen, GraphScreen) or screen.view is None:
        return None
    lines = screen.query_one("#graph-lines", Static)
    assert lines.region.right <= 80
    return plain(lines.content)


async def test_the_broadcast_step_opens_the_graph_and_shows_the_rows_summed(tui_worker):
    app = AutogradTutorApp(None, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        app.open_lesson("broadcast-bias", [0])
        await wait_until(pilot, lambda: drawn_graph(app) is not None)
        before = drawn_graph(app)
        assert "b = [10, 20]" in before and "Y (3×2) · AddBackward0" in before
        assert "[3, 3]" not in before and "grad" not in before.replace("requires_grad", "")
        assert "11" not in before  # Y's values are what the step asks
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))
        for text in ("[[11, 22], [13, 24], [15, 26]]", "[1, 1]"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen), timeout=60)
        await pilot.press("g")
        await wait_until(pilot, lambda: drawn_graph(app) is not None)
        after = drawn_graph(app)
        assert "d out/d Y = [[1, 1], [1, 1], [1, 1]]" in after
        assert "flows back: [3, 3]" in after and "b.grad = [3, 3]" in after
