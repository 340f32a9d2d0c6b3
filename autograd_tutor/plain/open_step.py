"""The ``--plain`` step waiting for answers: where it is, how many answers were typed, and the
line that says what became of it when the sitting stops before it ran."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class OpenStep:
    """The step waiting for answers: where it is, and how many answers were typed for it."""

    position: int
    total: int
    typed: int = 0
    running: bool = False  # all answers are in and the step is running

    def dropped(self, how: str) -> str:
        """One line saying that this step did not run and what became of its answers."""
        where = f"step {self.position + 1} of {self.total}"
        if self.running:
            return f"{how}: {where} was stopped while it ran; nothing of it was shown."
        if self.typed:
            kept = (
                "the answer typed for it was dropped"
                if self.typed == 1
                else f"the {self.typed} answers typed for it were dropped"
            )
            return f"{how}: {where} did not run and nothing of it was shown; {kept}."
        return f"{how}: {where} did not run and nothing of it was shown."
