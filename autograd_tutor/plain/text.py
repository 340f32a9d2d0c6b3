"""Plain-text layout for ``--plain``: Markdown as wrapped text, aligned tables, labelled lines."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence

WIDTH = 78
CELL = 18  # widest prediction / torch cell in the table; longer values follow it in full


def markdown_to_text(markdown: str) -> str:
    """Markdown as plain text: headings, emphasis markers and code fences dropped, text wrapped."""
    lines: list[str] = []
    in_fence = False
    for line in markdown.strip().splitlines():
        if line.strip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            lines.append("    " + line)
            continue
        heading = re.match(r"^#+\s*(.*)", line)
        if heading:
            line = heading.group(1).upper()
        line = _outside_code(line, _strip_emphasis)
        indent = len(line) - len(line.lstrip())
        bullet = re.match(r"^(\s*(?:[-*+]|\d+\.)\s+)", line)
        hang = " " * len(bullet.group(1)) if bullet else " " * indent
        lines.append(
            textwrap.fill(line, WIDTH, subsequent_indent=hang, break_on_hyphens=False) or ""
        )
    return "\n".join(lines)


def _strip_emphasis(text: str) -> str:
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])", r"\1", text)
    return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)


def _outside_code(line: str, change: Callable[[str], str]) -> str:
    """Apply ``change`` to the parts of ``line`` outside `inline code` spans."""
    parts = re.split(r"(`[^`]*`)", line)
    return "".join(part if part.startswith("`") else change(part) for part in parts)


def clip(cell: str, width: int = CELL) -> str:
    """``cell`` cut to ``width`` characters, ending in ``...`` when cut."""
    return cell if len(cell) <= width else cell[: width - 3] + "..."


def format_table(rows: Sequence[tuple[str, ...]]) -> str:
    """Rows as aligned columns (the first row is the header, underlined with dashes)."""
    clipped = [tuple(clip(cell, 2 * CELL) for cell in r) for r in rows]
    widths = [max(len(r[i]) for r in clipped) for i in range(len(clipped[0]))]
    lines = [
        "  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in clipped
    ]
    lines.insert(1, "  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def wrap_labelled(label: str, text: str) -> str:
    """``text`` wrapped to the page, under a question: ``label`` first, then indented lines."""
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent="    " + label,
        subsequent_indent="    " + " " * len(label),
        break_on_hyphens=False,
    )
