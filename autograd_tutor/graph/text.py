"""The graph as plain indented text, for ``--plain`` (a screen reader reads it line by line).

The same drawing as the graph panel (``layout.render_graph``), with a heading that says which
step it is and whether gradients are shown. No torch, no Textual.
"""

from __future__ import annotations

from typing import Any

from autograd_tutor.graph.layout import graph_lines
from autograd_tutor.graph.source import GraphView
from autograd_tutor.safe_text import printable


def view_text(view: GraphView, heading: str, width: int) -> str:
    """One graph view as text: the heading, then the drawing or why there is none."""
    lines = [heading]
    if view.graph is None:
        lines.append(f"  {view.message or 'Nothing to draw.'}")
    else:
        lines.extend(
            "  " + line for line in graph_lines(view.graph, width - 2, show_gradients=view.revealed)
        )
    return "\n".join(printable(line) for line in lines)


def step_graph_text(session: Any, position: int, width: int) -> str:
    """What ``graph`` at a ``--plain`` prompt prints: the last step's graph after its run
    (while it is still in the namespace), then this step's forward graph, structure only."""
    parts = []
    previous = session.outcomes.get(position - 1) if position > 0 else None
    if previous is not None and previous.ok:
        view = session.graph(position - 1)
        if view.graph is not None:
            parts.append(view_text(view, f"Graph of step {position}, after its run:", width))
    view = session.graph(position)
    parts.append(
        view_text(view, f"Graph of step {position + 1}, before its run (structure only):", width)
    )
    return "\n\n".join(parts)
