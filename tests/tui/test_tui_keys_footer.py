"""The footer redraws its keys when they change, not at every change of focus (Textual's own
rebuilds every key at each Tab between two answer fields)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input
from textual.widgets._footer import FooterKey
from tui_helpers import wait_until

from autograd_tutor.tui.widgets.keys_footer import KeysFooter


class TwoFields(App[None]):
    BINDINGS = [Binding("ctrl+r", "run", "Run"), Binding("ctrl+s", "skip", "Skip")]

    def __init__(self) -> None:
        super().__init__()
        self.can_skip = True

    def compose(self) -> ComposeResult:
        yield Input(id="first")
        yield Input(id="second")
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "skip" and not self.can_skip else True

    def action_run(self) -> None:
        pass

    def action_skip(self) -> None:
        pass


OURS = {"run", "skip"}


def drawn(app: App[None]) -> list[FooterKey]:
    return list(app.query(FooterKey))


def described(app: App[None]) -> list[tuple[str, bool]]:
    """The app's own keys as drawn: (words, disabled)."""
    return [
        (key.description, key.has_class("-disabled")) for key in drawn(app) if key.action in OURS
    ]


async def test_tab_keeps_the_keys_and_a_disabled_key_redraws_them() -> None:
    app = TwoFields()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: described(app) == [("Run", False), ("Skip", False)])
        before = drawn(app)
        await pilot.press("tab")
        await wait_until(pilot, lambda: app.focused is app.query_one("#second"))
        await pilot.press("tab")
        await wait_until(pilot, lambda: app.focused is app.query_one("#first"))
        assert drawn(app) == before  # the same widgets: nothing was rebuilt
        app.can_skip = False
        app.refresh_bindings()
        await wait_until(pilot, lambda: described(app) == [("Run", False), ("Skip", True)])
        assert drawn(app)[0] is not before[0]
