"""Subcommands of the command-line face, one module each, loaded only when used.

Each module exposes ``command``: a ``click.Command``. None of them imports Qt.
"""
