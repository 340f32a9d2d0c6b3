"""Widgets of the app, one a file: plots over plotext 6, values as aligned matrices, question
fields, verdict cards, output cells, error panels."""
