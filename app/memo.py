"""A dict that fills itself: the cache of a pure function of one hashable argument."""
from __future__ import annotations


class Memo(dict):
    """A dict that fills itself with `make(key)` on a miss (a cache of a pure function)."""

    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value
