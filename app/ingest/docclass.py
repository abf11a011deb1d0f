"""Themes, stance and kind of the claims of one document, from document-level matches.

The theme / stance / kind cue matches come from the one scan of the document (scan.py); the
kind patterns and the contrast markers of classify.yaml run once over the document too, when
they cannot match across a line end nor look past one, and each claim (whole lines of the
document) counts the matches inside it. The labels are exactly those of classify.py's
per-claim functions on the claim text.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from re import _parser  # (the stdlib's own regex parser: which literals a pattern requires)

from app.ingest.classify import cues_at, document_theme_prior, kind_pick, kind_scores_at, stance_split, tables, themes_at
from app.ingest.scan import line_safe, top_level_bar
from app.lexicon import Lexicon

_PEEK = re.compile(r"\(\?[=!<]|\\[bBAZ]|[\^$]")
_DIGIT_FIRST = re.compile(r"\\d(?:\+|\{[1-9][0-9]*(?:,[0-9]*)?\})?(?![?*+{])")  # \d, \d+, \d{4}, \d{1,2} …
_DIGIT_LINE = re.compile(r"\d[^\n]*")  # a line, from its first digit on
_LITERAL = _parser.LITERAL


@lru_cache(maxsize=256)
def doc_safe(rx: re.Pattern) -> bool:
    """Matches of rx over lines joined by "\\n" are those over each line alone (a line alone
    scanned from its start): rx cannot match a "\\n", an empty string, nor look around."""
    p = rx.pattern
    return (isinstance(p, str) and not rx.flags & (re.M | re.S) and line_safe(p) == p
            and not _PEEK.search(p) and rx.match("") is None)


def doc_matches(rx: re.Pattern, doc: str, digit_lines: list[tuple[int, int]]) -> list[re.Match]:
    """rx.finditer(doc) of a doc_safe rx. One that must start with a digit is searched only in
    digit_lines (the (start, end) of each line from its first digit on: see _DIGIT_LINE), since
    re scans for a digit several times slower than for a literal."""
    if _DIGIT_FIRST.match(rx.pattern) is None or top_level_bar(rx.pattern):
        return list(rx.finditer(doc))
    return [m for a, b in digit_lines for m in rx.finditer(doc, a, b)]


@lru_cache(maxsize=256)
def required_chars(pattern: str) -> tuple[str, ...]:
    """The characters every match of the pattern holds: its literals outside any group,
    alternative or repeat (从(?:19|20)…年…到20…年 → 从, 年, 到, 2, 0)."""
    try:
        if re.compile(pattern).flags & re.IGNORECASE:
            return ()  # (a literal then stands for both cases)
        items = _parser.parse(pattern)
    except re.error:
        return ()
    return tuple(dict.fromkeys(chr(av) for op, av in items if op is _LITERAL))


class ClaimLabels:
    """labels(a, b, …): themes, stance and kind of the claim doc[a:b] (whole lines)."""

    def __init__(self, doc: str, sc: dict[str, list], lex: Lexicon, year: int | None = None):
        """year: the episode's; a dated cue (到2024年) for a year up to it tells the past."""
        t = self.t = tables(lex)
        self.doc = doc
        self.hits = {k: sc[k] for k in ("theme", "pol", "kind")}
        self.keys = {k: [h[0] for h in v] for k, v in self.hits.items()}
        self.pos = dict.fromkeys(self.hits, 0)  # claims come in document order: search on from here
        pats = t["kind_pats"]
        # patterns that cannot cross a line end run once over the document; the others (一个从
        # 2022年… spanning two lines) on each claim's text
        # (those lacking a character they need in the whole document match in none of its claims)
        self.per_claim = [(i, need, rx) for i, (_, _, rx) in enumerate(pats) if not doc_safe(rx)
                          for need in [required_chars(rx.pattern)] if all(ch in doc for ch in need)]
        self.zeros = [0] * len(pats)
        digit_lines = [m.span() for m in _DIGIT_LINE.finditer(doc)]
        dated = t["kind_dated"]
        ms = sorted((m.start(), i) for i, (_, _, rx) in enumerate(pats) if doc_safe(rx)
                    for m in doc_matches(rx, doc, digit_lines)
                    if year is None or rx.pattern != dated or int(m.group(1)) > year)
        self.pat_pos, self.pat_idx = [p for p, _ in ms], [i for _, i in ms]
        self.doc_themes = document_theme_prior(self.hits["theme"], t)
        rx = t["contrast"]
        self.contrast = [m.start() for m in rx.finditer(doc)] if doc_safe(rx) else None

    def _in(self, kind: str, a: int, b: int) -> list:
        keys = self.keys[kind]
        lo = bisect_left(keys, a, self.pos[kind])
        if lo > 0 and keys[lo - 1] >= a:  # an earlier start than the last claim's: search all
            lo = bisect_left(keys, a)
        hi = bisect_left(keys, b, lo)
        self.pos[kind] = hi
        return self.hits[kind][lo:hi]

    def _pattern_counts(self, a: int, b: int) -> list[int]:
        counts = self.zeros.copy()
        pos = self.pat_pos
        for i in self.pat_idx[bisect_left(pos, a):bisect_left(pos, b)]:
            counts[i] += 1
        if self.per_claim:
            text = self.doc[a:b]
            for i, need, rx in self.per_claim:
                for ch in need:
                    if ch not in text:
                        break  # (most claims lack one: no regex run)
                else:
                    counts[i] = len(rx.findall(text))
        return counts

    def _split(self, a: int, b: int) -> int | None:
        t = self.t
        if self.contrast is None:
            for m in t["contrast"].finditer(self.doc[a:b]):
                if m.start() >= t["contrast_min_pos"]:
                    return a + m.start()
            return None
        c = self.contrast
        j = bisect_left(c, a + t["contrast_min_pos"])
        return c[j] if j < len(c) and c[j] < b else None

    def labels(self, a: int, b: int, entities: list[str], previous: list[str] | None,
               person: bool = False) -> tuple[list[str], str, str]:
        t = self.t
        themes = themes_at(self._in("theme", a, b), a, entities, previous, t, self.doc_themes)
        cues = cues_at(self.doc, a, self._in("pol", a, b), t)
        stance = stance_split(cues, self._split(a, b), t)[0] if cues else "neutral"
        kind = kind_pick(kind_scores_at(self._in("kind", a, b), self._pattern_counts(a, b), cues, t, person), t, person)
        return themes, stance, kind
