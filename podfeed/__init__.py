"""podfeed: Apple-ready podcast RSS feeds, one per language, from a folder of episode files."""

from podfeed.problems import Level, Problem

# The one place the version is written (pyproject.toml reads it). The distribution's name on the
# package index differs from the import name: "podfeed" there is an unrelated older project.
__version__ = "0.1.0"
DISTRIBUTION = "podfeed-cli"

__all__ = ["DISTRIBUTION", "Level", "Problem", "__version__"]
