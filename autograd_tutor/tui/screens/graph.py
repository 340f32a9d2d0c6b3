"""The graph panel: the autograd graph of a step's questions, drawn by
``autograd_tutor.graph.layout`` (a pure function of the graph data and the width).

Opened with ``g`` / ``ctrl+g`` from the step and reveal screens (``open_graph``). Before the
run it shows the forward structure only; after the run the gradient torch sent along every
edge and into every node. Up/Down move between nodes, Enter shows the node's detail,
PageUp/PageDown scroll, Esc or ``g`` closes. A graph of more than ``source.FOCUS_NODES``
nodes opens on the part the step's questions ask about; ``a`` switches to the whole graph and
back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from autograd_tutor.graph.layout import Drawing, node_detail, render_graph
from autograd_tutor.graph.model import Graph
from autograd_tutor.graph.source import GraphView, asked_part
from autograd_tutor.graph.words import part_text
from autograd_tutor.safe_text import printable
from autograd_tutor.tui.paging import page
from autograd_tutor.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from autograd_tutor.session import LessonSession


class OpenGraph(Message):
    """A step or reveal screen asks for the graph of the step it shows: the app opens it."""


def open_graph(screen: Screen[Any]) -> None:
    """Ask the app for the graph panel of the step shown by ``screen`` (a step screen, or a
    reveal screen above one); a running step says to wait instead."""
    if getattr(screen, "busy", False):
        screen.notify("The step is running: the graph comes once it has finished.", timeout=3)
        return
    screen.post_message(OpenGraph())


class GraphScroll(VerticalScroll, can_focus=False):
    """The drawing's scroll area: never focused, so the arrow keys move between nodes."""


class GraphScreen(Screen[None]):
    """One step's graph; fetched from the worker in a thread when the screen opens."""

    CSS_PATH = "graph.tcss"
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("down", "move(1)", "Next node"),
        Binding("up", "move(-1)", "Prev node"),
        Binding("j", "move(1)", "Next node", show=False),
        Binding("k", "move(-1)", "Previous node", show=False),
        Binding("enter", "detail", "Detail"),
        Binding("a", "whole", "Whole graph / asked part", show=False),
        Binding("escape", "close", "Close"),
        Binding("g,ctrl+g", "close", "Close graph", show=False),
        Binding("pageup", "page(-1)", "Scroll up", show=False),
        Binding("pagedown", "page(1)", "Scroll down", show=False),
        Binding("f1", "app.help", "Help"),
    ]

    class Fetched(Message):
        """The graph came from the worker (posted from the fetching thread)."""

        def __init__(self, view: GraphView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, session: LessonSession, position: int) -> None:
        super().__init__()
        self.session = session
        self.position = position
        self.view: GraphView | None = None
        self.drawing: Drawing | None = None
        self.order: list[int] = []  # node ids, in the order they are drawn
        self.selected = 0
        self._width = 0
        self.whole = False  # a big graph: the whole of it instead of the asked part
        self.part: Graph | None = None  # the asked part of a big graph (source.asked_part)

    def compose(self) -> ComposeResult:
        lesson = self.session.lesson
        step = lesson.steps[self.position]
        title = f"{lesson.title} · step {self.position + 1} · autograd graph"
        if step.title:
            title += f" · {step.title}"
        yield Header()
        yield Static(Text(title, style="bold"), id="graph-title")
        yield Static(Text("Drawing the graph…", style="dim"), id="graph-state")
        yield Static("", id="graph-part", classes="-hidden")
        with GraphScroll(id="graph-scroll"):
            yield Static("", id="graph-lines")
        yield Static("", id="graph-detail", classes="-hidden")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.fetch()

    @work(thread=True, exclusive=True, group="graph")
    def fetch(self) -> None:
        try:
            view = self.session.graph(self.position)
        except Exception as exc:  # a bug in the core must not take the app down
            view = GraphView(None, False, f"No graph: {type(exc).__name__}: {exc}")
        self.post_message(self.Fetched(view))  # thread-safe: the thread never waits on the UI

    def on_graph_screen_fetched(self, message: GraphScreen.Fetched) -> None:
        message.stop()
        self.show_view(message.view)

    def show_view(self, view: GraphView) -> None:
        self.view = view
        state = self.query_one("#graph-state", Static)
        if view.graph is None:
            state.update(Text(printable(view.message or "Nothing to draw.")))
            return
        self.part = asked_part(view.graph)
        if view.revealed:
            state.update(
                Text(
                    "After the run: the gradient arriving at each node and flowing along each "
                    "link, as torch computed it. ↑↓ nodes · Enter detail · Esc back",
                    style="dim",
                )
            )
        else:
            state.update(
                Text(
                    "Before the run: the forward graph only (no gradients until you have "
                    "predicted). ↑↓ nodes · Enter detail · Esc back",
                    style="dim",
                )
            )
        self.redraw()

    def _show_part_line(self) -> None:
        line = self.query_one("#graph-part", Static)
        if self.part is None:
            line.add_class("-hidden")
            return
        if self.whole:
            text = f"The whole graph ({self.part.whole_nodes} nodes). Press a for the part the "
            text += "step's questions ask about."
        else:
            text = part_text(self.part, "Press a")
        line.update(Text(text, style="bold"))
        line.remove_class("-hidden")

    def action_whole(self) -> None:
        if self.part is None:
            return
        self.whole = not self.whole
        self.drawing = None
        self.selected = 0
        self.redraw()

    def on_resize(self) -> None:
        if self.view is not None and self.view.graph is not None:
            self.redraw()

    def shown_graph(self) -> Graph | None:
        """The graph drawn: the asked part of a big graph, unless the learner chose all."""
        if self.view is None or self.view.graph is None:
            return None
        return self.view.graph if self.whole or self.part is None else self.part

    def redraw(self) -> None:
        view = self.view
        graph = self.shown_graph()
        if view is None or graph is None:
            return
        self._show_part_line()
        width = max(20, self.query_one("#graph-scroll").scrollable_content_region.width)
        if width != self._width or self.drawing is None:
            self._width = width
            self.drawing = render_graph(graph, width, show_gradients=view.revealed)
            self.order = sorted(self.drawing.node_lines, key=self.drawing.node_lines.__getitem__)
            self.selected = min(self.selected, max(0, len(self.order) - 1))
        self.paint()

    def paint(self) -> None:
        drawing = self.drawing
        if drawing is None:
            return
        text = Text()
        current = self._selected_line()
        for i, line in enumerate(drawing.lines):
            style = "reverse" if i == current else ("bold" if "✂" in line else "")
            text.append(printable(line), style=style)
            if i + 1 < len(drawing.lines):
                text.append("\n")
        self.query_one("#graph-lines", Static).update(text)
        if current is not None:
            self.call_after_refresh(self._scroll_to_line, current)

    def _selected_line(self) -> int | None:
        if self.drawing is None or not self.order:
            return None
        return self.drawing.node_lines[self.order[self.selected]]

    def _scroll_to_line(self, line: int) -> None:
        scroll = self.query_one("#graph-scroll", VerticalScroll)
        height = scroll.scrollable_content_region.height
        top = scroll.scroll_y
        if line < top or line >= top + height - 1:
            scroll.scroll_to(y=max(0, line - height // 3), animate=False)

    def selected_node(self) -> int | None:
        return self.order[self.selected] if self.order else None

    def action_move(self, delta: int) -> None:
        if not self.order:
            return
        self.selected = (self.selected + delta) % len(self.order)
        self.paint()
        if not self.query_one("#graph-detail").has_class("-hidden"):
            self.action_detail(keep_open=True)

    def action_detail(self, keep_open: bool = False) -> None:
        panel = self.query_one("#graph-detail", Static)
        node_id = self.selected_node()
        graph = self.shown_graph()
        if node_id is None or self.view is None or graph is None:
            return
        if panel.has_class("-hidden") or keep_open:
            lines = node_detail(graph, node_id, show_gradients=self.view.revealed)
            panel.update(Text("\n".join(printable(line) for line in lines)))
            panel.remove_class("-hidden")
        else:
            panel.add_class("-hidden")
        line = self._selected_line()
        if line is not None:  # the panel took room: keep the node in view
            self.call_after_refresh(self._scroll_to_line, line)

    def action_page(self, direction: int) -> None:
        page(self.query_one("#graph-scroll", VerticalScroll), direction)

    def action_close(self) -> None:
        self.dismiss(None)
