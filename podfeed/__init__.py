"""podfeed: Apple-ready podcast RSS feeds, one per language, from a folder of episode files."""

from podfeed.problems import Level, Problem

__version__ = "0.1.0"

__all__ = ["Level", "Problem", "__version__"]
