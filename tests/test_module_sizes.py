"""Small modules with one job each: no module of the package is over 400 lines unless its first
lines say why (the developers' guide; issue 18)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "autograd_tutor"
LIMIT = 400


def long_modules_without_a_reason(root: Path, limit: int) -> list[str]:
    """``path: N lines`` for each module over ``limit`` lines whose first lines do not say
    "over <limit> lines"."""
    found = []
    for path in sorted(root.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        head = " ".join(lines[:6]).lower()
        if len(lines) > limit and f"over {limit} lines" not in head:
            found.append(f"{path.relative_to(root)}: {len(lines)} lines")
    return found


def test_no_module_is_over_400_lines_unless_it_says_why() -> None:
    found = long_modules_without_a_reason(ROOT, LIMIT)
    assert found == [], (
        "split these into modules with one job each, or say why in their first lines"
    )


def test_the_check_finds_a_long_module(tmp_path: Path) -> None:
    (tmp_path / "long.py").write_text('"""Long."""\n' + "x = 1\n" * 5)
    (tmp_path / "why.py").write_text(
        '"""Long. (Over 4 lines on purpose: one job.)"""\n' + "x = 1\n" * 5
    )
    (tmp_path / "short.py").write_text("x = 1\n")
    assert long_modules_without_a_reason(tmp_path, 4) == ["long.py: 6 lines"]
