"""What the watch screens show, as rich ``Text`` (never markup: every string from a results file
goes through :func:`~autograd_tutor.safe_text.printable` and is shown as typed)."""

from __future__ import annotations

from rich.text import Text

from autograd_tutor.lab.learner import CheckedAttempt, LearnerRecord
from autograd_tutor.lab.state import Cell
from autograd_tutor.safe_text import printable

BAR_WIDTH = 10
_VERDICT_STYLE = {"right": "green", "partial": "yellow", "wrong": "red", "skipped": "dim"}


def text(value: object, style: str = "") -> Text:
    """A string from a file, printable, with no markup."""
    return Text(printable(str(value)), style=style)


def clip(value: object, width: int) -> str:
    shown = " ".join(printable(str(value)).split())
    return shown if len(shown) <= width else shown[: max(1, width - 1)] + "…"


def bar(share: float, width: int = BAR_WIDTH) -> Text:
    """``███████░░░ 70%``: the share right on the first try."""
    full = round(share * width)
    style = "red" if share < 0.5 else ("yellow" if share < 0.8 else "green")
    out = Text("█" * full, style=style)
    out.append("░" * (width - full), style="dim")
    out.append(f" {round(100 * share):>3}%")
    return out


def cell(c: Cell | None) -> Text:
    if c is None:
        return Text("")
    style = {"finished": "green", "in progress": "yellow", "not started": "dim"}[c.state]
    return Text(c.text, style=style)


def grid_cell(c: Cell | None) -> Text:
    """A cell of the class grid, as short as it can be said: ``✓ 80%`` finished with that
    first-try score, ``▸3/12`` in progress at step 3 of 12, ``·`` not started (nothing for an
    unreadable file)."""
    if c is None:
        return Text("")
    if c.state == "not started":
        return Text("·", style="dim")
    if c.state == "finished":
        return Text(c.text, style="green")
    return Text(f"▸{c.step}/{c.steps}", style="yellow")


def legend(lessons: list[tuple[int, str]]) -> Text:
    """What the grid's numbered columns are, and what its cells say."""
    out = Text()
    for n, lesson_id in lessons:
        out.append(f"{n}", style="bold")
        out.append(f" {printable(lesson_id)}  ")
    out.rstrip()
    out.append("\n✓ finished, first-try score · ▸n/m at step n of m · · not started", style="dim")
    return out


def learner_name(record: LearnerRecord) -> Text:
    """The learner's name, marked when the file is unreadable or holds forged answers."""
    out = text(record.student, "bold" if not record.problem else "")
    if record.problem:
        out.append(" unreadable", style="bold red")
    elif record.forged:
        out.append(" edited?", style="bold red")
    return out


def verdict(a: CheckedAttempt) -> Text:
    if a.status == "forged":
        return Text(f"forged ({a.attempt.verdict})", style="bold red")
    return Text(a.verdict, style=_VERDICT_STYLE.get(a.verdict, ""))
