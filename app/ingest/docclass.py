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
from app.ingest.scan import line_safe
from app.lexicon import Lexicon

_PEEK = re.compile(r"\(\?[=!<]|\\[bBAZ]|[\^$]")
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
    re scans for a digit several times slower than for a literal (one with a literal prefix,
    20\\d\\d年…, it finds fast itself: one search of the document beats one per line)."""
    if not digit_first(rx.pattern) or literal_prefix(rx.pattern):
        return list(rx.finditer(doc))
    return [m for a, b in digit_lines for m in rx.finditer(doc, a, b)]


@lru_cache(maxsize=256)
def digit_first(pattern: str) -> bool:
    """Every match of the pattern starts with a digit (\\d{4}年, (?:19|20)\\d\\d年, 20\\d\\d年…)."""
    try:
        return _starts_with_digit(_parser.parse(pattern))
    except re.error:
        return False


@lru_cache(maxsize=256)
def literal_prefix(pattern: str) -> bool:
    """The pattern starts with a literal character (re then searches for it directly)."""
    try:
        items = _parser.parse(pattern)
    except re.error:
        return False
    return len(items) > 0 and items[0][0] is _LITERAL


def _starts_with_digit(items) -> bool:
    """The parsed pattern's first item matches only digits: a digit or a set of them, a repeat
    of at least one, a group or alternatives that all start so."""
    if not len(items):
        return False
    op, av = items[0]
    if op is _parser.IN:
        return all(_digits(*x) for x in av)
    if op is _parser.SUBPATTERN:
        return _starts_with_digit(av[3])
    if op is _parser.BRANCH:
        return all(_starts_with_digit(alt) for alt in av[1])
    if op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT):
        return av[0] >= 1 and _starts_with_digit(av[2])
    return _digits(op, av)


def _digits(op, av) -> bool:
    """A parsed character (or one of a set's items) that matches digits only: 0…9, a range of
    them, \\d."""
    if op is _LITERAL:
        return "0" <= chr(av) <= "9"
    if op is _parser.RANGE:
        return "0" <= chr(av[0]) and chr(av[1]) <= "9"
    return op is _parser.CATEGORY and av is _parser.CATEGORY_DIGIT


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


class _Sorted:
    """Items sorted by their start positions, asked for claim after claim in document order."""

    __slots__ = ("starts", "items", "pos")

    def __init__(self, starts: list[int], items: list) -> None:
        self.starts, self.items = starts, items
        self.pos = 0  # where the last claim's items ended: the next claim's search starts here

    def within(self, a: int, b: int) -> list:
        """The items starting in [a, b)."""
        starts = self.starts
        lo = bisect_left(starts, a, self.pos)
        if lo > 0 and starts[lo - 1] >= a:  # an earlier start than the last claim's: search all
            lo = bisect_left(starts, a)
        hi = self.pos = bisect_left(starts, b, lo)
        return self.items[lo:hi]


class ClaimLabels:
    """labels(a, b, …): themes, stance and kind of the claim doc[a:b] (whole lines)."""

    def __init__(self, doc: str, sc: dict[str, list], lex: Lexicon, year: int | None = None):
        """year: the episode's; a dated cue (到2024年) for a year up to it tells the past."""
        t = self.t = tables(lex)
        self.doc = doc
        self.theme, self.pol, self.kind = (_Sorted([h[0] for h in sc[k]], sc[k]) for k in ("theme", "pol", "kind"))
        pats = t["kind_pats"]
        # patterns that cannot cross a line end run once over the document; the others (一个从
        # 2022年… spanning two lines) on each claim's text
        # (those lacking a character they need in the whole document match in none of its claims)
        self.per_claim = [(i, need, rx) for i, (_, _, rx) in enumerate(pats) if not doc_safe(rx)
                          for need in [required_chars(rx.pattern)] if all(ch in doc for ch in need)]
        digit_lines = [m.span() for m in _DIGIT_LINE.finditer(doc)]
        dated = t["kind_dated"]
        ms = sorted((m.start(), i) for i, (_, _, rx) in enumerate(pats) if doc_safe(rx)
                    for m in doc_matches(rx, doc, digit_lines)
                    if year is None or rx.pattern != dated or int(m.group(1)) > year)
        self.patterns = _Sorted([p for p, _ in ms], [i for _, i in ms])
        self.doc_themes = document_theme_prior(sc["theme"], t)
        rx = t["contrast"]
        self.contrast = [m.start() for m in rx.finditer(doc)] if doc_safe(rx) else None

    def _pattern_counts(self, a: int, b: int) -> dict[int, int]:
        counts: dict[int, int] = {}
        for i in self.patterns.within(a, b):
            counts[i] = counts.get(i, 0) + 1
        if self.per_claim:
            text = self.doc[a:b]
            for i, need, rx in self.per_claim:
                for ch in need:
                    if ch not in text:
                        break  # (most claims lack one: no regex run)
                else:
                    n = len(rx.findall(text))
                    if n:
                        counts[i] = n
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
        themes = themes_at(self.theme.within(a, b), a, entities, previous, t, self.doc_themes)
        cues = cues_at(self.doc, a, self.pol.within(a, b), t)
        stance = stance_split(cues, self._split(a, b), t)[0] if cues else "neutral"
        kind = kind_pick(kind_scores_at(self.kind.within(a, b), self._pattern_counts(a, b), cues, t, person), t, person)
        return themes, stance, kind
