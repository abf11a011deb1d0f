"""Mark matched words in the ORIGINAL claim text; everything else HTML-escaped.

The text is re-tokenized with the index tokenizer, which keeps each token's span in the
original string, so marks land on what the reader sees (traditional characters, full-width
letters, 'DeepSeek-R1' spelled any way) and nothing is inserted between characters.
Overlapping spans (成本 inside 低成本, 'deepseek' inside 'deepseek r1') are merged first,
so a sub-word is never marked twice.
"""
from __future__ import annotations

from functools import lru_cache
from html import escape

from app.search.query import ParsedQuery
from app.text.tokenize import fold_plain, tokens

SNIPPET_CHARS = 160   # claims longer than this are cut to a window around the first match
CONTEXT_BEFORE = 40
# Re-tokenising result texts is most of a search call's cost, and the same claims come back
# page after page: a text's tokens (query-independent) and a (text, query) pair's spans are
# kept in bounded LRU caches. Cached values are immutable tuples, so results are identical.
TOKEN_CACHE = 8192
SPAN_CACHE = 8192


@lru_cache(maxsize=TOKEN_CACHE)
def _token_spans(text: str) -> tuple[tuple[str, int, int, bool], ...]:
    """(token, start, end, is sub-word) of every index token of `text`."""
    return tuple((t.text, t.start, t.end, t.sub) for t in tokens(text))


def match_spans(text: str, terms: set[str], phrases: list[tuple[str, ...]] = ()) -> list[tuple[int, int]]:
    """Merged [start, end) spans of `text` whose tokens are query terms (or form a query phrase)."""
    return list(_match_spans(text, frozenset(terms), tuple(tuple(p) for p in phrases or ())))


@lru_cache(maxsize=SPAN_CACHE)
def _match_spans(text: str, terms: frozenset[str], phrases: tuple[tuple[str, ...], ...]) -> tuple[tuple[int, int], ...]:
    toks = _token_spans(text)
    spans = [(a, b) for t, a, b, _ in toks if t in terms]
    if phrases:
        main = [(t, a, b) for t, a, b, sub in toks if not sub or t.isascii()]
        words = [t for t, _, _ in main]
        for ph in phrases:
            n = len(ph)
            for i in range(len(words) - n + 1):
                if tuple(words[i:i + n]) == ph:
                    spans.append((main[i][1], main[i + n - 1][2]))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return tuple(merged)


def render(text: str, spans: list[tuple[int, int]], *, start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out, pos = [], start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        out.append(escape(text[pos:a]))
        out.append("<mark>" + escape(text[a:b]) + "</mark>")
        pos = b
    out.append(escape(text[pos:end]))
    return "".join(out)


def _region(text: str, query: ParsedQuery, max_chars: int) -> tuple[int, int]:
    """Part of a very long text worth tokenizing: around the first literal hit of a query term."""
    if len(text) <= 4 * max_chars:
        return 0, len(text)
    low = text.lower()
    hits = [p for p in (low.find(t) for t in query.highlight_terms() | {" ".join(a) for a in query.highlight_phrases()})
            if p >= 0]
    if not hits:
        folded = fold_plain(text)
        hits = [p for p in (folded.find(t) for t in query.highlight_terms()) if p >= 0] if len(folded) == len(text) else []
    first = min(hits) if hits else 0
    start = max(0, first - 2 * max_chars)
    return start, min(len(text), first + 2 * max_chars)


def highlight(text: str, query: ParsedQuery | None, *, max_chars: int = SNIPPET_CHARS) -> str:
    """HTML of `text` with query matches in <mark>; a snippet around the first match when long."""
    spans: list[tuple[int, int]] = []
    if query and not query.empty:
        a, b = _region(text, query, max_chars)
        spans = [(x + a, y + a) for x, y in match_spans(text[a:b], query.highlight_terms(), query.highlight_phrases())]
    if len(text) <= max_chars:
        return render(text, spans)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - CONTEXT_BEFORE, len(text) - max_chars))
    end = min(len(text), start + max_chars)
    while start > 0 and text[start - 1].isascii() and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1  # do not cut a Latin word in half
    while end < len(text) and text[end - 1].isascii() and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return ("…" if start > 0 else "") + render(text, spans, start=start, end=end) + ("…" if end < len(text) else "")
