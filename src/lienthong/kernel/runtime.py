"""Process-wide settings of the Python runtime, applied once when a suite opens."""

from __future__ import annotations

import gc

# CPython's default (700, 10, 10) runs a young collection every 700 new container
# objects. Bulk work (an import, a first sync, a connector batch) makes millions of
# small dicts and lists that live until their chunk is written, and the collector
# walked them again and again: a third of a 100,000-customer first sync. One young
# collection per 50,000 new objects still finds every cycle, for a few MB at most.
GC_THRESHOLDS = (50_000, 20, 100)


def tune_gc() -> None:
    """Collect garbage cycles less often (see :data:`GC_THRESHOLDS`)."""
    gc.set_threshold(*GC_THRESHOLDS)
