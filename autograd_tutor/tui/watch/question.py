"""``QuestionScreen``: one question across the class: the first-try share, the most common
wrong answers with their misconceptions, and every learner's first answer; Esc goes back."""

from __future__ import annotations

from rich.text import Text

from autograd_tutor.lab.state import ClassState
from autograd_tutor.lab.stuck import misconception
from autograd_tutor.tui.watch.drill import DrillScreen
from autograd_tutor.tui.watch.rows import bar, clip, text, verdict


class QuestionScreen(DrillScreen):
    HEAD_ID = "question-head"
    TABLE_ID = "firsts"
    COLUMNS = ("Learner", "First answer", "Verdict", "Misconception")

    def __init__(self, lesson_id: str, question_id: str, state: ClassState) -> None:
        super().__init__(state)
        self.lesson_id = lesson_id
        self.question_id = question_id

    def show(self, state: ClassState) -> None:
        """Paint the question as ``state`` has it now."""
        head, table = self.cleared(state)
        q = state.question(self.lesson_id, self.question_id)
        if q is None:
            head.update(Text("Nobody has answered this question.", style="dim"))
            return
        out = text(f"{q.lesson_id} {q.question.id}: {q.question.expr}", "bold")
        out.append("\nright on the first try: ")
        out.append(bar(q.share))
        out.append(f" ({q.first_right} of {q.learners})")
        for w in q.wrong:
            out.append(f"\n×{w.count} ", style="bold")
            out.append(text(clip(w.text, 20)))
            out.append(" → ")
            out.append(text(clip(w.misconception, 160), "italic"))
        head.update(out)
        for f in q.firsts:
            a = f.attempt
            typed = "(skipped)" if a.attempt.typed is None else a.attempt.typed
            meaning = misconception(a) if a.wrong else ""
            table.add_row(
                text(f.student),
                text(clip(typed, 20)),
                verdict(a),
                text(clip(meaning, max(12, self.size.width - 50)), "italic"),
            )
