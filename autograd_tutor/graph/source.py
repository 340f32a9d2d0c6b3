"""What a UI gets when the learner opens the graph: :class:`GraphView`, and the rule for when
a step's graph may be drawn before its run (``preview_withheld``). No torch, no Textual."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from autograd_tutor.graph.model import Graph

# Questions about the graph itself: drawing it before the run would answer them.
_STRUCTURE = re.compile(r"\b(grad_fn|requires_grad|is_leaf|next_functions|_version)\b")


@dataclass(frozen=True)
class GraphView:
    """A step's graph as the UIs show it.

    ``graph`` is None when there is nothing to draw (``message`` says why). ``revealed``:
    drawn from the step's run, gradients included; False: the forward structure only, from a
    preview of the step's code (never a gradient, never a value a question asks for).
    """

    graph: Graph | None
    revealed: bool
    message: str = ""


def preview_withheld(exprs: Sequence[str], *, training: bool = False) -> str | None:
    """Why this step's graph is drawn only after its run, or None when it may be previewed."""
    if training:
        return "A training step's graph is drawn after it has run."
    for expr in exprs:
        match = _STRUCTURE.search(expr)
        if match:
            return (
                f"A question here asks about the graph itself ({match.group(1)}), so the "
                "graph is drawn after the step has run."
            )
    return None
