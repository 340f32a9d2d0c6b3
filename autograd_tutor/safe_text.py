"""Text from outside the app, made safe to print on a terminal.

Learner names, typed answers, lesson ids and titles, file names and messages read from results
files may hold control characters: an escape sequence in a student name could clear a teacher's
screen, move the cursor, set the window title or write the clipboard (OSC 52). Every interface
prints such text through :func:`printable`, which shows each control character visibly
(``\\x1b``) instead of sending it to the terminal. Rich/Textual markup in such text must also
stay literal: the TUI escapes it separately (``rich.markup.escape``) or builds ``Text`` objects.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, and the bidirectional overrides/isolates that reorder text.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_KEEP_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character written out as ``\\xNN`` (or ``\\uNNNN``).

    With ``keep_newlines`` a newline and a tab are kept as they are (for multi-line messages).
    """
    pattern = _UNSAFE_KEEP_LINES if keep_newlines else _UNSAFE
    return pattern.sub(_escape, str(text))


def has_control_characters(text: str) -> bool:
    """True when :func:`printable` would change ``text`` (used to refuse such learner names)."""
    return _UNSAFE.search(text) is not None
