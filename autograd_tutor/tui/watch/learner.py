"""``LearnerScreen``: one learner's attempts in order (what they typed, what torch gave, the
verdict that counts) and exercise runs with the checks that failed; Esc goes back. Repainted by
the app when the learner's file changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text

from autograd_tutor.lab.state import ClassState
from autograd_tutor.progress.records import ExperimentRunRecord
from autograd_tutor.tui.watch.drill import DrillScreen
from autograd_tutor.tui.watch.rows import cell, clip, learner_name, text, verdict


class LearnerScreen(DrillScreen):
    HEAD_ID = "learner-head"
    TABLE_ID = "attempts"
    COLUMNS = ("#", "Lesson", "Q", "Expression", "Typed", "Torch", "Verdict")

    def __init__(self, path: Path, state: ClassState) -> None:
        super().__init__(state)
        self.path = path

    def show(self, state: ClassState) -> None:
        """Paint the learner as ``state`` has them now."""
        head, table = self.cleared(state)
        view = state.learner(self.path)
        if view is None:
            head.update(Text("This results file is gone from the folder.", style="bold red"))
            return
        record = view.record
        out = learner_name(record)
        out.append(f"  {record.path.name}", style="dim")
        for lesson_id, c in view.cells.items():
            if c.state != "not started":
                out.append("\n")
                out.append(text(lesson_id))
                out.append(": ")
                out.append(cell(c))
        for note in record.notes():
            out.append("\n")
            out.append(text(note, "bold red"))
        head.update(out)
        rows: list[tuple[str, list[Any]]] = []
        room = max(8, (self.size.width - 58) // 2)  # typed and torch share what is left
        for a in record.attempts:
            at = a.attempt
            typed = "(skipped)" if at.typed is None else at.typed
            rows.append(
                (
                    at.timestamp,
                    [
                        text(clip(at.lesson_id, 16)),
                        text(at.question_id),
                        text(clip(at.expr, 14)),
                        text(clip(typed, room)),
                        text(clip(at.truth, room)),
                        verdict(a),
                    ],
                )
            )
        for t in record.practice:
            if t.kind == "exercise":
                what = (
                    Text("solution shown", style="dim")
                    if t.solution_shown
                    else Text("passed", style="green")
                    if t.passed
                    else text(
                        clip("; ".join(t.failed_checks), max(20, self.size.width - 50)), "red"
                    )
                )
                label = "exercise run"
            else:
                run = t.record
                assert isinstance(run, ExperimentRunRecord)
                what = text(f"{run.predicted or '(no prediction)'} → {run.outcome}")
                label = "experiment"
            rows.append(
                (
                    t.timestamp,
                    [text(clip(t.lesson_id, 16)), f"s{t.step + 1}", label, "", "", what],
                )
            )
        rows.sort(key=lambda r: r[0])  # by the learner's clock; stable within one lesson
        for n, (_ts, cells) in enumerate(rows, 1):
            table.add_row(str(n), *cells)
