"""Normalisation shared by ingest and search: width, case and script folding."""
from __future__ import annotations

import sys
import unicodedata
from functools import lru_cache


def _import_zhconv():
    """zhconv, imported without pkg_resources: it reads its dictionary with pkg_resources when that
    imports, else straight from its folder. Importing pkg_resources (deprecated, with a warning) took
    0.15 s of every start-up; an entry of None in sys.modules makes its import fail at once. (Once
    something else has imported pkg_resources, zhconv just uses it: its warning is already given.)"""
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import zhconv
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    return zhconv


zhconv = _import_zhconv()


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese, same length where possible (for matching only)."""
    if not text or text.isascii():
        return text
    return zhconv.convert(text, "zh-cn")


def fold(text: str) -> str:
    """NFKC (full-width → ASCII), simplified script, lower case: the form rules match on."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()
