"""CSV as every file the app writes it: cells a spreadsheet will never run, one writer.

A results file is written by a learner's machine, so any text in it (a typed answer, a feedback
message, an expression, a name) may begin with ``=``, ``+``, ``-`` or ``@``: opened in a
spreadsheet such a cell is a formula (``=HYPERLINK(...)``, ``+cmd|"/C calc"!A0``), and a
leading tab or carriage return can hide one. :func:`spreadsheet_safe` neutralises such a cell
with a leading ``'`` (the spreadsheets' own "this is text" mark), leaving plain numbers (``-0.5``,
``1e-3``) as they are; :func:`csv_text` writes every CSV of the app (``report --csv``,
``report --gradebook``, ``export --format csv``) through it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

# a leading tab or carriage return, or a formula character (also after leading whitespace:
# some spreadsheets trim it)
_FORMULA_START = re.compile(r"^(?:[\t\r]|\s*[=+\-@])")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def spreadsheet_safe(cell: object) -> object:
    """``cell`` as a CSV cell a spreadsheet shows as text: a string that a spreadsheet would
    take for a formula gets a leading ``'``; numbers, plain numeric text and other text are
    returned unchanged."""
    if not isinstance(cell, str) or not cell:
        return cell
    if _FORMULA_START.match(cell) and not _PLAIN_NUMBER.match(cell):
        return "'" + cell
    return cell


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """``header`` and ``rows`` as CSV text (``\\n`` line ends), every cell through
    :func:`spreadsheet_safe`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([spreadsheet_safe(h) for h in header])
    writer.writerows([spreadsheet_safe(c) for c in row] for row in rows)
    return buf.getvalue()
