"""Screens of the app, each ``.py`` beside its ``.tcss``: picker, step, reveal, summary, help,
confirm."""
