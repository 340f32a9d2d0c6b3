"""The autograd graph of a step, as the UIs draw it (no torch, no Textual here).

``model.py`` reads the plain data the worker sends; ``layout.py`` draws it as lines of text.
"""

from autograd_tutor.graph.layout import Drawing, graph_lines, render_graph
from autograd_tutor.graph.model import Graph, GraphEdge, GraphNode, graph_from_json

__all__ = [
    "Drawing",
    "Graph",
    "GraphEdge",
    "GraphNode",
    "graph_from_json",
    "graph_lines",
    "render_graph",
]
