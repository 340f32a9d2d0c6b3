"""``list`` and ``check`` print lesson titles, ids, file names and errors from lesson files:
their control characters are written out visibly, never sent to the terminal."""

from __future__ import annotations

from pathlib import Path

from autograd_tutor.cli import main

EVIL_TITLE = (
    'id: evil\ntitle: "Evil \\e]0;pwned\\a \\e[2J title"\nsummary: x\nsteps:\n  - explain: hi\n'
)


def _raw_controls(text: str) -> list[str]:
    return sorted({c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0})


def test_list_writes_control_characters_out_visibly(tmp_path: Path, capsys) -> None:
    (tmp_path / "evil.yaml").write_text(EVIL_TITLE)
    (tmp_path / "broken\x1b[2J.yaml").write_text('id: "bad\\e[2J"\n')
    assert main(["list", "--lessons", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert _raw_controls(out) == []
    assert "Evil \\x1b]0;pwned\\x07 \\x1b[2J title" in out
    assert "broken\\x1b[2J.yaml" in out


def test_check_writes_control_characters_out_visibly(tmp_path: Path, capsys) -> None:
    (tmp_path / "broken\x1b]52;c;eA==\x07.yaml").write_text("id: [1\n")  # fails before torch
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert _raw_controls(out) == []
    assert "broken\\x1b]52;c;eA==\\x07.yaml" in out
