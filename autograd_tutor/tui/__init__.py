"""The Textual app: ``app.py`` (+ ``app.tcss``), screens in ``screens/``, widgets in ``widgets/``.

Textual is imported only here and in ``autograd_tutor/commands/app.py``."""
