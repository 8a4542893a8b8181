"""The command line: ``podfeed <command>`` parses options, calls the core once, prints, exits.

In: the command line (and ``PODFEED_CONFIG``, ``GITHUB_ACTIONS``, ``NO_COLOR``). Out: one
document on stdout in the chosen format, progress and errors on stderr, an exit code. The core
never prints or exits; everything a user sees is decided here:

- :mod:`~podfeed.cli.app`: the ``podfeed`` group; :mod:`~podfeed.cli.commands`: one module
  per command; :mod:`~podfeed.cli.options`: the options they share;
- :mod:`~podfeed.cli.console`: printing an outcome, a stopping error, the exit code;
  :mod:`~podfeed.cli.outcomes`: each command's summary lines (every command
  makes one call into the core);
- :mod:`~podfeed.cli.formats` (text, json, github) and :mod:`~podfeed.cli.fold`;
  :mod:`~podfeed.cli.progress`: the progress displays;
- :mod:`~podfeed.cli.preview_pages`: the static HTML pages of ``podfeed preview``.
"""

from podfeed.cli.app import main

__all__ = ["main"]
