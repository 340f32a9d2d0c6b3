"""The core never imports Textual, and nothing but the worker process imports torch.

Each check runs in a fresh interpreter so that modules imported by other tests cannot hide an
import (the approach harlequin takes for its own core).
"""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "autograd_tutor.cli",
    "autograd_tutor.values",
    "autograd_tutor.presentation",
    "autograd_tutor.errors",
    "autograd_tutor.lessons.loader",
    "autograd_tutor.grading",
    "autograd_tutor.worker",
    "autograd_tutor.session",
    "autograd_tutor.settings",
    "autograd_tutor.graph",
    "autograd_tutor.graph.text",
    "autograd_tutor.session.exercise",
    "autograd_tutor.session.experiment",
    "autograd_tutor.session.standing",
    "autograd_tutor.commands.check_practice",
    "autograd_tutor.plain.practice",
    "autograd_tutor.progress",
    "autograd_tutor.progress.report.read",
    "autograd_tutor.commands.check",
    "autograd_tutor.plain",
    "autograd_tutor.commands.list",
    "autograd_tutor.commands.export",
    "autograd_tutor.commands.report",
    "autograd_tutor.commands.watch",
    "autograd_tutor.lab.state",
]


def loaded_after_import(modules: list[str]) -> set[str]:
    code = (
        "import sys\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return set(done.stdout.split())


def test_core_imports_neither_textual_nor_torch() -> None:
    loaded = loaded_after_import(CORE_MODULES)
    assert "autograd_tutor" in loaded
    assert "textual" not in loaded
    assert "rich" not in loaded
    assert "torch" not in loaded


def test_ui_process_never_imports_torch() -> None:
    loaded = loaded_after_import(
        ["autograd_tutor.commands.app", "autograd_tutor.tui.app", "autograd_tutor.tui.watch.app"]
    )
    assert "textual" in loaded
    assert "torch" not in loaded


def test_the_picker_with_kept_lessons_needs_no_yaml_parser() -> None:
    """What lists kept lessons in the first frame (the app, the picker, each lesson's standing,
    the cache) imports no YAML parser: parsing is for lessons that changed."""
    loaded = loaded_after_import(
        [
            "autograd_tutor.commands.app",
            "autograd_tutor.tui.app",
            "autograd_tutor.tui.screens.picker",
            "autograd_tutor.session.summary",
            "autograd_tutor.lessons.cache",
        ]
    )
    assert "textual" in loaded
    assert "yaml" not in loaded


def _module_imports() -> dict[str, set[str]]:
    """Every module of the package -> the package modules it imports, anywhere in the file
    (top level, inside functions, under ``TYPE_CHECKING``): a circle hidden in a function is
    still a circle in the design."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "autograd_tutor"
    names = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        found: set[str] = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            for target in targets:
                while target and target not in names:
                    target = target.rpartition(".")[0]
                if target and target != name and not name.startswith(target + "."):
                    found.add(target)
        graph[name] = found
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def test_no_import_circles() -> None:
    """No two modules import each other, directly or around a circle (a package's
    ``__init__`` re-exporting its own modules does not count)."""
    assert _circles(_module_imports()) == []
