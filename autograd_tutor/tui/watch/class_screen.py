"""``ClassScreen``: the class at a glance, in four tabs, stuck learners first: who is stuck and
why; the class grid (learners x lessons, sortable by name, progress or score); per question the
first-try share as a bar and the common wrong answers; per exercise the checks that fail most.
Each tab is a table with the highlighted row in words under it. Enter posts
:class:`OpenLearner` or :class:`OpenQuestion`; the app pushes the drill screens.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from autograd_tutor.lab.state import ClassState, SortKey
from autograd_tutor.presentation import plural
from autograd_tutor.safe_text import printable
from autograd_tutor.tui.watch.rows import bar, clip, grid_cell, learner_name, legend, text
from autograd_tutor.tui.widgets.keys_footer import KeysFooter

SORTS: tuple[SortKey, ...] = ("name", "progress", "score")
TABS = ("stuck", "class", "questions", "exercises")
WIDE = 120  # columns from which the stuck and question tables show the misconception in a column


class OpenLearner(Message):
    """Enter on a learner (in the stuck list or the grid)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class OpenQuestion(Message):
    """Enter on a question."""

    def __init__(self, lesson_id: str, question_id: str) -> None:
        super().__init__()
        self.lesson_id = lesson_id
        self.question_id = question_id


class ClassScreen(Screen[None]):
    CSS_PATH = "class_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "tab('stuck')", "Stuck", show=False),
        Binding("2", "tab('class')", "Class", show=False),
        Binding("3", "tab('questions')", "Questions", show=False),
        Binding("4", "tab('exercises')", "Exercises", show=False),
        Binding("s", "sort", "Sort"),
    ]

    def __init__(self, state: ClassState) -> None:
        super().__init__()
        self.state = state
        self.sort: SortKey = "name"
        self.painted = False  # on_mount has painted it (before, it has no widgets)
        self._status = Text()
        self._stale: set[str] = set(TABS)  # tabs to fill when they come into view

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with TabbedContent(initial="stuck"):
            with TabPane("1 Stuck", id="stuck"):
                yield DataTable(id="stuck-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="stuck-detail", classes="detail")
            with TabPane("2 Class", id="class"):
                yield Static(id="class-legend")
                yield DataTable(id="class-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="class-detail", classes="detail")
            with TabPane("3 Questions", id="questions"):
                yield DataTable(id="questions-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="questions-detail", classes="detail")
            with TabPane("4 Exercises", id="exercises"):
                yield DataTable(id="exercises-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="exercises-detail", classes="detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#exercises-table", DataTable).add_columns(
            "Lesson", "Exercise", "Passed", "Runs", "Fails most"
        )
        self.show(self.state)
        self.painted = True

    # -- actions ----------------------------------------------------------------------------

    def show(self, state: ClassState) -> None:
        """Paint the class as ``state`` has it now."""
        self.state = state
        self._fill_all()
        self.show_status()

    def on_screen_resume(self) -> None:
        if self.painted:  # back from a drill screen: the class may have changed meanwhile
            self.show(self.state)

    def on_resize(self) -> None:
        self._fill_all()

    def _room(self, taken: int) -> int:
        """Columns left for a table's last text column when the others take ``taken``."""
        return max(12, self.size.width - taken)

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self._fill_tab(tab)
        self.query_one(f"#{tab}-table", DataTable).focus()

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._stale.add("class")
        if self.query_one(TabbedContent).active == "class":
            self._fill_tab("class")
        self.action_tab("class")
        self.notify(f"sorted by {self.sort}", timeout=1.5)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id or ""
        if pane in TABS:
            self._fill_tab(pane)
            self.query_one(f"#{pane}-table", DataTable).focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.data_table.id or "", event.row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key is None:
            return
        table = event.data_table.id
        if table in ("stuck-table", "class-table"):
            self.post_message(OpenLearner(Path(key.split("\n", 1)[0])))
        elif table == "questions-table":
            lesson_id, question_id = key.split("\n", 1)
            self.post_message(OpenQuestion(lesson_id, question_id))

    # -- painting ---------------------------------------------------------------------------

    def show_status(self) -> None:
        st = self.state
        unreadable = sum(1 for v in st.learners if v.record.problem) + len(st.skipped)
        parts = [
            f"{printable(st.directory)}",
            plural(sum(1 for v in st.learners if not v.record.problem), "learner"),
            f"{len({s.path for s in st.stuck})} stuck",
        ]
        line = Text(" · ".join(parts))
        if unreadable:
            line.append(f" · {plural(unreadable, 'file')} unreadable", style="bold red")
        if st.folder_problem:
            line.append(f" · {printable(st.folder_problem)}", style="bold red")
        line.append(f" · {time.strftime('%H:%M:%S', time.localtime(st.refreshed_at))}")
        if line != self._status:  # at most once a second: an idle screen stays idle
            self._status = line
            self.query_one("#status", Static).update(line)
        label = f"1 Stuck ({len({s.path for s in st.stuck})})"
        stuck_tab = self.query_one(TabbedContent).get_tab("stuck")
        if str(stuck_tab.label) != label:
            stuck_tab.label = label

    def _fill_all(self) -> None:
        """Fill the tab in view now, the others when they come into view (a class of 200 makes
        four tables of 200 rows: only one is seen at a time)."""
        self._stale = set(TABS)
        self._fill_tab(self.query_one(TabbedContent).active)

    def _fill_tab(self, tab: str) -> None:
        if tab not in self._stale:
            return
        self._stale.discard(tab)
        fill = {
            "stuck": self._fill_stuck,
            "class": self._fill_class,
            "questions": self._fill_questions,
            "exercises": self._fill_exercises,
        }[tab]
        fill()

    def _columns(self, table_id: str, labels: list[str]) -> None:
        """Set a table's columns (when they differ: a resize across :data:`WIDE`)."""
        table = self.query_one(f"#{table_id}", DataTable)
        if [str(c.label) for c in table.columns.values()] != labels:
            table.clear(columns=True)
            table.add_columns(*labels)

    def _refill(self, table_id: str, rows: list[tuple[str, list[Any]]]) -> None:
        """Replace a table's rows, keeping the cursor on the same row (by key) when it stays."""
        table = self.query_one(f"#{table_id}", DataTable)
        current = None
        if table.row_count and 0 <= table.cursor_row < table.row_count:
            current = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        table.clear()
        for key, cells in rows:
            table.add_row(*cells, key=key)
        keys = [key for key, _ in rows]
        if current in keys:
            table.move_cursor(row=keys.index(current))
        self._show_detail(table_id, keys[table.cursor_row] if keys else None)

    def _fill_stuck(self) -> None:
        wide = self.size.width >= WIDE
        self._columns(
            "stuck-table",
            ["Learner", "Why", "Where", "Lesson"]
            + (["Misconception or failing check"] if wide else []),
        )
        rows = []
        for i, s in enumerate(self.state.stuck):
            record = self.state.records.get(s.path)
            name = learner_name(record) if record is not None else text(s.student)
            cells = [
                name,
                Text(s.summary, style="bold"),
                text(clip(s.where, 32 if wide else self._room(54))),
                text(s.lesson_id),
            ]
            if wide:
                cells.append(text(clip(s.why, self._room(110)), "italic"))
            rows.append((f"{s.path}\n{i}", cells))
        self._refill("stuck-table", rows)

    def _fill_class(self) -> None:
        """The grid: a learner a row, a lesson a column. A column is headed by the lesson's
        number in the course (the legend above names it), so that a cell, not a lesson id,
        sets its width: eight lessons fit 80 columns."""
        table = self.query_one("#class-table", DataTable)
        lessons = self.state.shown_lessons
        number = {lesson.id: n for n, lesson in enumerate(self.state.lessons, 1)}
        table.clear(columns=True)
        table.add_column("Learner")
        for lesson in lessons:
            table.add_column(str(number[lesson.id]))
        rows = []
        for view in self.state.sorted_learners(self.sort):
            cells: list[Any] = [learner_name(view.record)]
            cells += [grid_cell(view.cells.get(lesson.id)) for lesson in lessons]
            rows.append((str(view.record.path), cells))
        self._refill("class-table", rows)
        self.query_one("#class-legend", Static).update(
            legend([(number[lesson.id], lesson.id) for lesson in lessons])
        )

    def _fill_questions(self) -> None:
        wide = self.size.width >= WIDE
        self._columns(
            "questions-table",
            ["Lesson", "Q", "Expression", "1st try", "n", "Common wrong"]
            + (["Its misconception"] if wide else []),
        )
        rows = []
        for q in self.state.questions:
            top = q.wrong[0] if q.wrong else None
            room = 24 if wide else self._room(64)
            common = text(clip(f"{top.text} ×{top.count}", room)) if top else Text("")
            cells: list[Any] = [
                text(q.lesson_id),
                text(q.question.id),
                text(clip(q.question.expr, 12)),
                bar(q.share),
                str(q.learners),
                common,
            ]
            if wide:
                meaning = clip(top.misconception, self._room(100)) if top else ""
                cells.append(text(meaning, "italic"))
            rows.append((f"{q.lesson_id}\n{q.question.id}", cells))
        self._refill("questions-table", rows)

    def _fill_exercises(self) -> None:
        rows = []
        for e in self.state.exercises:
            fails = text(clip(e.failing[0][0], self._room(52))) if e.failing else Text("")
            rows.append(
                (
                    f"{e.lesson_id}\n{e.step}",
                    [
                        text(e.lesson_id),
                        text(clip(f"{e.step + 1}: {e.title}", 24)),
                        f"{e.passed}/{e.tried}",
                        str(e.runs),
                        fails,
                    ],
                )
            )
        self._refill("exercises-table", rows)

    def _show_detail(self, table_id: str, key: str | None) -> None:
        """The highlighted row in words, under its table."""
        name = table_id.removesuffix("-table")
        detail = self.query_one(f"#{name}-detail", Static)
        detail.update(self._detail(name, key))

    def _detail(self, name: str, key: str | None) -> Text:
        st = self.state
        if key is None:
            return Text(_EMPTY.get(name, ""), style="dim")
        if name == "stuck":
            i = int(key.rsplit("\n", 1)[1])
            if i >= len(st.stuck):
                return Text("")
            s = st.stuck[i]
            out = text(s.student, "bold")
            out.append(f" · {printable(s.lesson_id)} {printable(s.where)} · {s.summary}\n")
            if s.kind == "question":
                out.append(f"last answer: {clip(s.last_answer, 60)}\n")
                out.append(text(s.why, "italic"))
            elif s.kind == "exercise":
                out.append("fails: ")
                out.append(text(s.why, "italic"))
            else:
                out.append("in progress, and the file has not changed since", style="dim")
            return out
        if name == "class":
            view = st.learner(Path(key))
            if view is None:
                return Text("")
            out = text(view.record.path.name, "dim")
            notes = view.record.notes()
            for note in notes:
                out.append("\n")
                out.append(text(note, "bold red"))
            if not notes:
                out.append(f" · sorted by {self.sort} (s: sort, Enter: attempts)", style="dim")
            return out
        if name == "questions":
            lesson_id, question_id = key.split("\n", 1)
            q = st.question(lesson_id, question_id)
            if q is None:
                return Text("")
            out = text(f"{q.lesson_id} {q.question.id}: {q.question.expr}", "bold")
            out.append(f"  {q.first_right} of {q.learners} right on the first try\n")
            for w in q.wrong:
                out.append(f"×{w.count} ", style="bold")
                out.append(text(clip(w.text, 20)))
                out.append(" → ")
                out.append(text(clip(w.misconception, 200), "italic"))
                out.append("\n")
            if not q.wrong:
                out.append("no wrong answers", style="dim")
            out.rstrip()
            return out
        lesson_id, step = key.split("\n", 1)
        ex = next(
            (e for e in st.exercises if (e.lesson_id, str(e.step)) == (lesson_id, step)), None
        )
        if ex is None:
            return Text("")
        out = text(f"{ex.lesson_id} step {ex.step + 1}: {ex.title}", "bold")
        out.append(f"  {ex.passed} of {ex.tried} passed, {ex.runs} runs\n")
        for says, n in ex.failing[:4]:
            out.append(f"{n:>4}× ", style="bold")
            out.append(text(clip(says, 120), "italic"))
            out.append("\n")
        return out


_EMPTY = {
    "stuck": "Nobody is stuck right now.",
    "class": "No results files in the folder yet.",
    "questions": "No answers yet.",
    "exercises": "No exercise runs yet.",
}
