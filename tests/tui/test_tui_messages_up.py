"""Data down, messages up (issue 10): threads post messages instead of waiting on the UI with
``call_from_thread``; only the app pushes and pops screens; screens are typed, not ``Any``."""

from __future__ import annotations

import ast
from pathlib import Path

import autograd_tutor.tui as tui_package

TUI = Path(tui_package.__file__).parent
SCREENS_AND_WIDGETS = sorted([*TUI.glob("screens/*.py"), *TUI.glob("widgets/*.py")])


def _calls(path: Path) -> list[tuple[int, str]]:
    """(line, dotted callee) of every call in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            found.append((node.lineno, ast.unparse(node.func)))
    return found


def test_no_thread_waits_on_the_ui_with_call_from_thread():
    offenders = [
        f"{path.relative_to(TUI)}:{line} {callee}"
        for path in sorted(TUI.rglob("*.py"))
        for line, callee in _calls(path)
        if callee.endswith("call_from_thread")
    ]
    assert offenders == []


def test_only_the_app_pushes_and_pops_screens():
    offenders = [
        f"{path.relative_to(TUI)}:{line} {callee}"
        for path in SCREENS_AND_WIDGETS
        for line, callee in _calls(path)
        if callee.endswith(("push_screen", "pop_screen", "switch_screen"))
    ]
    assert offenders == []


def test_screens_reach_no_app_internals_and_hold_typed_sessions():
    offenders = []
    for path in sorted(TUI.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "type: ignore" in source:
            offenders.append(f"{path.relative_to(TUI)}: type: ignore")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.arg) and node.arg in ("app", "session", "screen"):
                if node.annotation is not None and ast.unparse(node.annotation) == "Any":
                    offenders.append(f"{path.relative_to(TUI)}:{node.lineno} {node.arg}: Any")
            if isinstance(node, ast.Attribute) and node.attr == "screen_stack":
                if path.name != "app.py":
                    offenders.append(f"{path.relative_to(TUI)}:{node.lineno} screen_stack")
    assert offenders == []
