"""Widgets on their own (no app, no torch): values as aligned matrices with wrong elements
marked, and the plotext-drawn loss curve on linear and log scales."""

from __future__ import annotations

from typing import Any

from autograd_tutor.tui.widgets.plot import Series, render_plot
from autograd_tutor.tui.widgets.value_text import value_text
from autograd_tutor.values import Value


def test_matrix_is_aligned_and_wrong_elements_are_marked():
    value = Value.tensor([[16.0, 33.0, 5.0], [56.0, 85.0, 33.0], [161.0, 120.0, 55.0]])
    text = value_text(value, [(2, 2)])
    lines = text.plain.splitlines()
    assert lines == ["[[ 16   33    5 ]", " [ 56   85   33 ]", " [161  120   55*]]"]
    marked = [span for span in text.spans if "red" in str(span.style)]
    assert [text.plain[s.start : s.end] for s in marked] == [" 55", "*"]


def test_scalars_and_none_read_as_people_write_them():
    assert value_text(Value.number(6.0)).plain == "6"
    assert value_text(Value.none()).plain == "None"
    assert value_text(None).plain == "—"
    assert value_text(Value.size([3, 3])).plain == "torch.Size([3, 3])"


def test_loss_curve_fills_the_box_with_braille_and_labels():
    losses = [20 * 0.9**i for i in range(50)]
    text = render_plot([Series("loss", range(1, 51), losses)], 60, 14, xlabel="step")
    lines = text.plain.splitlines()
    assert len(lines) == 14 and max(len(line) for line in lines) <= 60
    assert any("⠀" < ch <= "⣿" for line in lines for ch in line)  # braille markers
    assert "step" in lines[-1]


def test_log_scale_labels_decades_and_drops_non_positive_values():
    losses = [100.0, 10.0, 1.0, 0.1, 0.0, float("nan")]
    text = render_plot([Series("loss", range(6), losses)], 50, 12, log_y=True)
    plain = text.plain
    for label in ("1e+2", "1e+1", "1e+0", "1e-1"):
        assert label in plain
    assert "nan" not in plain


CODE = "x = torch.tensor([1.0, 2.0], requires_grad=True)  # a leaf\ny = (x * 3).sum()\n"


def spans(area: Any) -> dict[int, list[tuple[int, int | None, str]]]:
    """A text area's highlighted spans, line by line (Textual keeps them in no set order)."""
    return {line: sorted(found) for line, found in area._highlights.items() if found}


def test_code_is_highlighted_as_textual_does_with_one_prepared_query():
    from textual.widgets import TextArea

    from autograd_tutor.tui.widgets.code_view import CodeArea, step_code_view

    stock = TextArea(CODE, language="python")
    ours = step_code_view(CODE, id="code")
    editor = CodeArea.code_editor(CODE, language="python")
    assert len(spans(stock)) == 2 and spans(ours) == spans(stock) == spans(editor)
    assert ours._highlight_query is editor._highlight_query  # prepared once, not per view
    editor.load_text("def f(a):\n    return a\n")  # a new document keeps its highlighting
    assert (0, 3, "keyword.function") in spans(editor)[0]
    plain = CodeArea(CODE)  # no language: plain text, as TextArea does
    assert plain._highlight_query is None and spans(plain) == {}
