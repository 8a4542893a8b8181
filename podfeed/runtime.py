"""Process-wide settings for a batch run.

A build allocates millions of small objects that live until the end (parsed episodes, XML
trees); CPython's cyclic garbage collector, with its default thresholds, walks that growing
heap again and again, which made a 18,000-file build about 30% slower. Raising the first
threshold keeps collection for real garbage at a fraction of the cost (measured in
benchmarks/README.md). Called by the CLI and by every parsing worker; library users decide
for their own process.
"""

from __future__ import annotations

import gc

GC_THRESHOLDS = (100_000, 50, 100)


def tune_for_batch() -> None:
    """Fewer, larger young-generation collections (see the module docstring)."""
    gc.set_threshold(*GC_THRESHOLDS)
