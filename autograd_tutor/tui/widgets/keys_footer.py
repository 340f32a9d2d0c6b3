"""The footer of every screen: Textual's ``Footer``, redrawn only when the keys it shows change.

Textual's footer rebuilds all its keys whenever the screen's bindings are refreshed, which
happens at every change of focus: each Tab between two answer fields rebuilt and restyled the
same keys."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(screen: Screen[Any]) -> tuple[tuple[Any, ...], ...]:
    """What a footer draws for ``screen``'s bindings: every shown key, enabled or not, with its
    words and group."""
    return tuple(
        (binding.key, binding.action, binding.description, binding.key_display, binding.group)
        + (enabled, tooltip)
        for (_, binding, enabled, tooltip) in screen.active_bindings.values()
        if binding.show
    )


class KeysFooter(Footer):
    """A ``Footer`` that skips the rebuild when the keys it would draw are the ones it drew."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._drawn: tuple[tuple[Any, ...], ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        keys = shown_keys(screen)
        if keys == self._drawn and self._bindings_ready:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._drawn = keys  # Footer rebuilds itself from these after the next refresh
