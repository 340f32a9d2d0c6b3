"""Widgets of the app, one a file: plots drawn by plotext through ``plot.py`` (one loss curve,
several runs overlaid, data with lines), values as aligned matrices, question fields, verdict
cards, output cells, error panels, an exercise's checks, an experiment's knobs."""
