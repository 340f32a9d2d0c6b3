"""Python as the learner reads and writes it: :class:`CodeArea` (a ``TextArea`` whose
highlighting is prepared once per process) and :func:`step_code_view`, a step's code before it
runs: highlighted, wrapped, read-only and out of the focus chain (the keys stay with the answers
or the editor)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual._tree_sitter import TREE_SITTER, get_language
from textual.document._document_navigator import DocumentNavigator
from textual.document._syntax_aware_document import (
    SyntaxAwareDocument,
    SyntaxAwareDocumentError,
)
from textual.document._wrapped_document import WrappedDocument
from textual.widgets import TextArea

if TYPE_CHECKING:
    from tree_sitter import Language, Query

# language name -> (tree-sitter language, its prepared highlight query), or None where
# tree-sitter has no such language (then TextArea's own fallback applies)
_PREPARED: dict[str, tuple[Language, Query] | None] = {}


def _prepared(language: str) -> tuple[Language, Query] | None:
    if language not in _PREPARED:
        from tree_sitter import Query

        found = get_language(language)
        query = TextArea._get_builtin_highlight_query(language)
        _PREPARED[language] = (found, Query(found, query)) if found is not None else None
    return _PREPARED[language]


class CodeArea(TextArea):
    """A ``TextArea`` that prepares each built-in language's highlight query once per process.

    Textual prepares the query again for every document (30-45 ms of CPU for Python on a 2-core
    machine), so every step screen paid it before it was painted. A prepared query reads no
    state of the document it was made with, so one serves every document of its language.
    Languages registered on the widget, and a machine without tree-sitter, take Textual's own
    path."""

    def _set_document(self, text: str, language: str | None) -> None:
        prepared = (
            _prepared(language)
            if TREE_SITTER and language and language not in self._languages
            else None
        )
        if prepared is None:
            super()._set_document(text, language)
            return
        document_language, query = prepared
        try:
            document = SyntaxAwareDocument(text, document_language)
        except SyntaxAwareDocumentError:
            super()._set_document(text, language)
            return
        # what TextArea._set_document does once its query is prepared (Textual 8)
        self._highlight_query = query
        self.document = document
        self.wrapped_document = WrappedDocument(document, tab_width=self.indent_width)
        self.navigator = DocumentNavigator(self.wrapped_document)
        self._build_highlight_map()
        self.move_cursor((0, 0))
        self._rewrap_and_refresh_virtual_size()


def step_code_view(code: str, *, id: str, line_numbers: bool = True) -> CodeArea:
    """A read-only, unfocusable view of ``code`` (its trailing newlines dropped)."""
    view = CodeArea(
        code.rstrip("\n"),
        language="python",
        read_only=True,
        show_line_numbers=line_numbers,
        soft_wrap=True,
        id=id,
    )
    view.cursor_blink = False
    view.can_focus = False
    return view
