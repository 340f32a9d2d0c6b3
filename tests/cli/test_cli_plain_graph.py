"""``graph`` at a ``--plain`` prompt: the graph as indented text, structure only before the
run, and the last step's gradients once it has run."""

from __future__ import annotations

from pathlib import Path

from cli_runner import run_cli

STEP_ONE = "1\n-1\n1\nTrue\n"


def test_graph_word_prints_the_structure_then_the_gradients(data_dir: Path) -> None:
    typed = STEP_ONE + "graph\n-2\n-2\ngraph\n-2\nNone\n"
    done = run_cli(
        ["--plain", "--device", "cpu", "--data-dir", str(data_dir), "backprop-by-hand"], typed
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    first = out.index("Graph of step 2, before its run (structure only):")
    preview = out[first : out.index("s.grad = ?", first)]
    assert "loss · PowBackward0" in preview and "w = 1 · leaf" in preview
    assert "-2" not in preview and "d loss/d" not in preview
    assert "Graph of step 1, after its run:" in out[:first]
    assert "or: hint, skip, graph, quit" in out
    # typing graph twice prints the same (nothing ran in between): no gradient before the run
    second = out.index("Graph of step 2, before its run", first + 1)
    assert "d loss/d s" not in out[first : second + 200]
    drawn = out[out.index("Graph of step 1") : second]
    assert all(len(line) <= 78 for line in drawn.splitlines())  # plain's width
