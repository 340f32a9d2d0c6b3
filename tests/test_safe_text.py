"""Control characters from outside the app are shown, never sent to the terminal."""

from __future__ import annotations

from autograd_tutor.presentation import percent, plural
from autograd_tutor.safe_text import has_control_characters, printable


def test_escape_sequences_are_written_out() -> None:
    assert printable("\x1b[31mRED\x1b[0m") == "\\x1b[31mRED\\x1b[0m"
    assert printable("a\x07b\x9bc\u202e") == "a\\x07b\\x9bc\\u202e"
    assert printable("a\nb\tc") == "a\\x0ab\\x09c"
    assert printable("a\nb\tc", keep_newlines=True) == "a\nb\tc"
    assert all(ord(ch) >= 0x20 for ch in printable("".join(map(chr, range(0x20)))))


def test_has_control_characters() -> None:
    assert has_control_characters("\x1b]52;c;aGk=\x07")
    assert not has_control_characters("Ann-Marie O'Neil é")


def test_plural_and_percent() -> None:
    assert plural(1, "learner") == "1 learner"
    assert plural(2, "hint") == "2 hints"
    assert plural(0, "try", "tries") == "0 tries"
    assert percent(0.756) == "76%"
