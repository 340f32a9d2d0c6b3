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
import unicodedata

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


# Letters from other scripts that print like Latin ones (the common cases of Unicode's
# confusables list): a name spelt with them looks like another learner's.
_LOOKALIKE = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
        "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "к": "k", "м": "m",
        "н": "h", "т": "t", "в": "b", "ο": "o", "α": "a", "ν": "v", "ρ": "p", "τ": "t",
        "ι": "i", "κ": "k", "χ": "x", "υ": "u", "ѵ": "v", "ɑ": "a", "ɡ": "g", "ı": "i",
        "0": "o", "1": "l", "|": "l",
    }
)  # fmt: skip


def _invisible(char: str) -> bool:
    return char != " " and unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Mn")


def visible_name(name: str) -> str:
    """A learner's name as a report shows it: :func:`printable`, and every invisible or
    direction-changing character (zero-width space, soft hyphen, byte-order mark, a space
    other than the plain one, a combining mark) written out as ``\\u200b``, so that two names
    that differ only there never print alike."""
    text = printable(name)
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)  # an accent typed apart joins its letter
    return "".join(f"\\u{ord(c):04x}" if _invisible(c) else c for c in text)


def name_skeleton(name: str) -> str:
    """What ``name`` looks like: compatibility forms folded (NFKC), case folded, invisible
    characters and accents dropped, letters of other scripts that look Latin made Latin. Two
    names with one skeleton look alike on a screen."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    kept = "".join(c for c in folded if not _invisible(c))
    return kept.translate(_LOOKALIKE).strip()
