"""``KnobField``: one experiment knob on one line, ``lr   ◀ 0.1 ▶``; left/right change it.

Choices cycle through the lesson's list; a whole-number range moves by a tenth of its span
(shift+left/right by one). The value is always one the knob accepts.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget

from autograd_tutor.safe_text import printable


class KnobField(Widget, can_focus=True):
    DEFAULT_CSS = """
    KnobField { height: 1; padding: 0 1; margin: 0 2 0 0; }
    KnobField:focus { background: $accent 30%; }
    """
    BINDINGS = [
        Binding("left", "move(-1)", "Less", show=False),
        Binding("right", "move(1)", "More", show=False),
        Binding("shift+left", "move(-1, True)", show=False),
        Binding("shift+right", "move(1, True)", show=False),
    ]

    value: reactive[Any] = reactive(None)

    def __init__(self, knob: Any, value: Any = None) -> None:
        super().__init__(id=f"knob-{knob.name}")
        self.knob = knob
        self.set_reactive(KnobField.value, knob.default if value is None else value)
        widest = max(len(self._shown(v)) for v in (knob.choices or (knob.low, knob.high)))
        self.styles.width = len(knob.name) + widest + 8  # name, arrows, padding

    @staticmethod
    def _shown(value: Any) -> str:
        return printable(repr(value) if isinstance(value, str) else str(value))

    def action_move(self, direction: int, fine: bool = False) -> None:
        knob = self.knob
        if knob.choices:
            index = next(
                (
                    i
                    for i, c in enumerate(knob.choices)
                    if c == self.value and type(c) is type(self.value)
                ),
                0,
            )
            self.value = knob.choices[(index + direction) % len(knob.choices)]
        else:
            step = 1 if fine else max(1, (knob.high - knob.low) // 10)
            self.value = min(knob.high, max(knob.low, int(self.value) + direction * step))

    def render(self) -> Text:
        text = Text(printable(self.knob.name), style="bold")
        text.append(" ◀ ", style="dim")
        text.append(self._shown(self.value))
        text.append(" ▶", style="dim")
        return text
