"""The one tokenizer for indexing and querying: fold, then segment with jieba (rjieba)."""
from __future__ import annotations

import re

import rjieba

from app.text.normalize import fold

_WORD = re.compile(r"[0-9a-z\u00c0-\u024f\u3400-\u9fff]", re.IGNORECASE)


def segment(text: str) -> list[str]:
    """Folded search tokens of `text`: jieba words plus their sub-words, punctuation dropped."""
    out: list[str] = []
    for token in rjieba.cut_for_search(fold(text)):
        token = token.strip()
        if token and _WORD.search(token):
            out.append(token)
    return out


def index_text(text: str) -> str:
    """Space-joined tokens, the form stored in claims.search_text for FTS5 (unicode61)."""
    return " ".join(segment(text))
