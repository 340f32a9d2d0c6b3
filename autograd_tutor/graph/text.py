"""The graph as plain indented text, for ``--plain`` (a screen reader reads it line by line).

The same drawing as the graph panel (``layout.render_graph``), with a heading that says which
step it is and whether gradients are shown. No torch, no Textual.
"""

from __future__ import annotations

from typing import Any

from autograd_tutor.graph.layout import graph_lines, wrap
from autograd_tutor.graph.source import GraphView, asked_part
from autograd_tutor.graph.words import part_text
from autograd_tutor.safe_text import printable

SEE_ALL = "Type `graph all`"


def view_text(view: GraphView, heading: str, width: int, *, whole: bool = False) -> str:
    """One graph view as text: the heading, then the drawing or why there is none. A graph
    of more than ``source.FOCUS_NODES`` nodes is drawn as the part the questions ask about,
    unless ``whole``."""
    lines = [heading]
    if view.graph is None:
        lines.append(f"  {view.message or 'Nothing to draw.'}")
    else:
        graph = None if whole else asked_part(view.graph)
        if graph is not None:
            lines.extend("  " + line for line in wrap(part_text(graph, SEE_ALL), width - 2))
        drawn = graph or view.graph
        lines.extend(
            "  " + line for line in graph_lines(drawn, width - 2, show_gradients=view.revealed)
        )
    return "\n".join(printable(line) for line in lines)


def step_graph_text(session: Any, position: int, width: int, *, whole: bool = False) -> str:
    """What ``graph`` at a ``--plain`` prompt prints: the last step's graph after its run
    (while it is still in the namespace), then this step's forward graph, structure only
    (``graph all``: ``whole``, a big graph not cut down to the asked part)."""
    parts = []
    previous = session.outcomes.get(position - 1) if position > 0 else None
    if previous is not None and previous.ok:
        view = session.graph(position - 1)
        if view.graph is not None:
            heading = f"Graph of step {position}, after its run:"
            parts.append(view_text(view, heading, width, whole=whole))
    view = session.graph(position)
    heading = f"Graph of step {position + 1}, before its run (structure only):"
    parts.append(view_text(view, heading, width, whole=whole))
    return "\n\n".join(parts)
