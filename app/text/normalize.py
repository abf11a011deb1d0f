"""Normalisation shared by ingest and search: width, case and script folding."""
from __future__ import annotations

import unicodedata
import warnings
from functools import lru_cache

with warnings.catch_warnings():  # zhconv imports the deprecated pkg_resources; users need not see that
    warnings.simplefilter("ignore", UserWarning)
    import zhconv


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese, same length where possible (for matching only)."""
    if not text or text.isascii():
        return text
    return zhconv.convert(text, "zh-cn")


def fold(text: str) -> str:
    """NFKC (full-width → ASCII), simplified script, lower case: the form rules match on."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()
