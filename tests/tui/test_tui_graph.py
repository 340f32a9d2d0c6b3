"""The graph panel driven with Pilot over a real worker: before the run it shows the forward
graph and no gradient; after the reveal the learner reads -2 along the chain, moves between
nodes with the arrow keys and opens a node's detail with Enter."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static
from tui_helpers import go_on, plain, screen_text, type_text, wait_until

from autograd_tutor.tui.app import AutogradTutorApp
from autograd_tutor.tui.screens.graph import GraphScreen
from autograd_tutor.tui.screens.picker import PickerScreen
from autograd_tutor.tui.screens.reveal import RevealScreen
from autograd_tutor.tui.screens.step import StepScreen

BACKPROP = 1  # backprop-by-hand, second in the picker
STEP_ONE = ["1", "-1", "1", "True"]


async def open_lesson(pilot: Any, index: int) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
    for _ in range(index):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))


async def answer(pilot: Any, answers: list[str]) -> None:
    for text in answers:
        await type_text(pilot, text)
        await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RevealScreen), timeout=60)


def graph_drawn(app: Any) -> bool:
    screen = app.screen
    return isinstance(screen, GraphScreen) and screen.view is not None


def lines_text(app: Any) -> str:
    return plain(app.screen.query_one("#graph-lines", Static).content)


async def test_graph_before_the_run_has_no_gradient_and_after_the_reveal_reads_the_chain(
    tui_worker, tui_store
):
    app = AutogradTutorApp(worker=tui_worker, store=tui_store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, BACKPROP)
        shown = [b.binding for b in app.screen.active_bindings.values() if b.binding.show]
        assert any(b.action == "graph" and b.description == "Graph" for b in shown)  # footer
        await answer(pilot, STEP_ONE)
        await go_on(pilot)  # on to step 2: loss.backward()
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))

        await pilot.press("ctrl+g")  # the answer field has focus: ctrl+g opens the graph
        await wait_until(pilot, lambda: graph_drawn(app))
        before = lines_text(app)
        assert "loss · PowBackward0" in before and "w = 1 · leaf" in before
        for word in ("-2", "d loss/d", "flows back", "link", ".grad"):
            assert word not in before, (word, before)
        assert "Before the run" in screen_text(app)
        await pilot.press("enter")  # a node's detail before the run: still no gradient
        detail = plain(app.screen.query_one("#graph-detail", Static).content)
        assert "PowBackward0" in detail and "-2" not in detail
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))

        await answer(pilot, ["-2", "-2", "-2", "None"])
        await pilot.press("g")
        await wait_until(pilot, lambda: graph_drawn(app))
        after = lines_text(app)
        for expected in (
            "d loss/d loss = 1",
            "d loss/d s = -2",
            "d loss/d y_hat = -2",
            "d loss/d w = -2",
            "link d loss/d s = 2·s = -2",
        ):
            assert expected in after, after
        assert "After the run" in screen_text(app)
        screen = app.screen
        assert isinstance(screen, GraphScreen)
        first = screen.selected_node()
        for _ in range(3):
            await pilot.press("down")
        assert screen.selected_node() != first
        assert screen.view is not None and screen.view.graph is not None
        assert screen.view.graph.node(screen.selected_node()).label == "w"
        await pilot.press("enter")
        detail_widget = screen.query_one("#graph-detail", Static)
        detail = plain(detail_widget.content)
        assert "d loss/d w = -2" in detail and "w.grad = -2" in detail
        assert detail_widget.region.bottom <= 24  # visible at 80x24 without scrolling
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, RevealScreen))


async def test_graph_open_on_a_step_opens_the_panel_with_it(tui_worker, tmp_path):
    (tmp_path / "open.yaml").write_text(
        "id: graph-open\ntitle: Graph opens by itself\nsteps:\n  - graph: open\n    code: |\n"
        "      a = torch.tensor(2.0, requires_grad=True)\n      b = a * 3\n"
        "    ask:\n      - expr: b\n",
        encoding="utf-8",
    )
    app = AutogradTutorApp(tmp_path, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        await pilot.press("enter")  # the step opens, and the graph panel with it
        await wait_until(pilot, lambda: graph_drawn(app))
        assert isinstance(app.screen_stack[-2], StepScreen)
        shown = lines_text(app)
        assert "b · MulBackward0" in shown and "a = 2 · leaf" in shown
        assert "6" not in shown  # b's value is what the step asks: not before the run
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, StepScreen))


async def test_a_big_graph_opens_on_the_asked_part_and_a_shows_all_of_it(tui_worker, tmp_path):
    (tmp_path / "big.yaml").write_text(
        "id: big-graph\ntitle: A sum of twenty\nsteps:\n  - graph: open\n    code: |\n"
        "      w = torch.tensor(1.0, requires_grad=True)\n"
        "      xs = [torch.tensor(float(i), requires_grad=True) for i in range(20)]\n"
        "      total = w * 2\n      for x in xs:\n          total = total + x\n"
        "    ask:\n      - expr: w.grad\n",
        encoding="utf-8",
    )
    app = AutogradTutorApp(tmp_path, worker=tui_worker, store=None, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PickerScreen) and app.lessons_loaded)
        await pilot.press("enter")
        await wait_until(pilot, lambda: graph_drawn(app))
        screen = app.screen
        assert isinstance(screen, GraphScreen) and screen.drawing is not None
        part = plain(screen.query_one("#graph-part", Static).content)
        assert "This graph has 42 nodes: drawn are the 22 that the step's questions" in part
        assert len(screen.drawing.node_lines) == 22  # w, w * 2 and the twenty additions
        assert "w = 1 · leaf" in lines_text(app)
        await pilot.press("a")
        assert len(screen.drawing.node_lines) == 42
        assert "The whole graph (42 nodes). Press a" in plain(
            screen.query_one("#graph-part", Static).content
        )
        await pilot.press("a")
        assert len(screen.drawing.node_lines) == 22
