"""The step screen's explanation over its code. An explanation that fits takes only its own
rows, so the code follows it at once and the rows left over go under the code; one too long
for the room the code leaves takes that room and scrolls (step.tcss: ``-fits``)."""

from __future__ import annotations

from textual.containers import Vertical


class LessonSide(Vertical):
    """The explanation pane (``#lesson-part``) and what is pinned under it (the code)."""

    def on_resize(self) -> None:
        self.fit()  # a new size, or answers below that grew (a hint bought) or shrank

    def fit(self) -> None:
        part = self.query_one("#lesson-part")
        pinned = sum(
            child.outer_size.height + child.styles.margin.height
            for child in self.children
            if child is not part and child.display
        )
        self.set_class(part.virtual_size.height <= self.size.height - pinned, "-fits")
