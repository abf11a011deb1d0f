"""Document-level scanning: every literal matcher and every line pattern runs once per document.

The extractor works on units (transcript lines, or sentence pieces of very long lines). Their
normalised texts are joined with "\n" into one document string; one Aho-Corasick pass
(pyahocorasick) finds the keys of all the lexicon's literal matchers at once, and each line
pattern of cues.yaml runs once over the document. The results are exactly those of running
each matcher / pattern on every unit separately (see `MultiMatcher` in app/lexicon.py, `line_safe`).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from app.lexicon import Lexicon, MultiMatcher, key_variants


def by_line(hits: list, starts: list[int]) -> dict[int, list]:
    """Absolute hits → {line: hits}, positions made relative to the line (lines with hits only)."""
    out: dict[int, list] = {}
    i, o, nxt = -1, 0, 0
    n = len(starts)
    for h in hits:
        s = h[0]
        if s >= nxt or s < o:
            i = bisect_right(starts, s) - 1
            o = starts[i]
            nxt = starts[i + 1] if i + 1 < n else 1 << 62
        lst = out.get(i)
        if lst is None:
            lst = out[i] = []
        lst.append((s - o, h[1] - o) + tuple(h[2:]))
    return out


# ---------------------------------------------------------------- line patterns

def line_safe(pattern: str) -> str | None:
    """`pattern` rewritten so that it cannot match a newline (negated classes exclude it, \\s
    outside a class becomes [^\\S\\n]), or None when that cannot be ensured (\\S, \\W, \\D,
    \\s inside a class, \\A, \\Z, (?s)). Run with re.M over lines joined by "\\n", it then
    matches exactly where it matches some line alone."""
    if re.search(r"\(\?[aiLmux]*s", pattern):
        return None
    out = []
    i, n = 0, len(pattern)
    in_cls = False
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            nx = pattern[i + 1]
            if nx in "SWDAZn" or (nx == "s" and in_cls):
                return None
            out.append("[^\\S\\n]" if nx == "s" else pattern[i:i + 2])
            i += 2
            continue
        if in_cls:
            if ch == "]" and out[-1] in ("[", "[^\\n"):
                out.append("\\]")  # a literal ] first in a class
                i += 1
                continue
            if ch == "]":
                in_cls = False
            out.append(ch)
        elif ch == "[":
            in_cls = True
            if pattern.startswith("[^", i):
                out.append("[^\\n")
                i += 2
                continue
            out.append("[")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


_LITERAL_ALTS = re.compile(r"\((?:\?:)?([^\\()\[\]|.^$*+?{}][^\\()\[\]|]*(?:\|[^\\()\[\]|.^$*+?{}][^\\()\[\]|]*)*)\)")
_GROUP_REFS = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")  # a back reference, a conditional group
_OPTIONAL_LEAD = re.compile(r"(?:" + _LITERAL_ALTS.pattern + r"|[^\\()\[\]|.^$*+?{}])\?\??(?!\+)")  # (X)? or c?
SPLIT_MAX = 4  # more alternatives than this cost more as separate searches than as one


def literal_led(pattern: str) -> list[str]:
    """Patterns such that a text holds a match of `pattern` iff it holds a match of one of them
    (so the same lines hold one), each starting with a literal when it can.

    re searches a pattern that starts with a literal string several times faster than one
    that starts with a choice of characters. A leading optional group or character `(X)?R`,
    `c?R` is left out (a match of R is one with X left out); a leading group of at most
    SPLIT_MAX alternatives each starting with a literal, `(a|b)R`, becomes aR and bR, and so does a
    leading class of at most SPLIT_MAX plain characters, `[ab]R`. Left as
    it is: a pattern with a top-level "|", a back reference or a conditional group (its group
    numbers would shift)."""
    if _GROUP_REFS.search(pattern) or top_level_bar(pattern):
        return [pattern]
    m = _OPTIONAL_LEAD.match(pattern)
    if m is not None and m.end() < len(pattern):
        return literal_led(pattern[m.end():])
    m = _LITERAL_ALTS.match(pattern)
    if m is not None:
        alts = m.group(1).split("|")
    else:  # a leading class of plain characters, [?？]R: ?R and ？R
        m = _PLAIN_CLASS.match(pattern)
        if m is None:
            return [pattern]
        alts = [re.escape(ch) for ch in m.group(1)]
    rest = pattern[m.end():]
    if rest[:1] in ("?", "*", "+", "{") or len(alts) > SPLIT_MAX:
        return [pattern]
    return [f"(?:{a})(?:{rest})" for a in alts]


_PLAIN_CLASS = re.compile(r"\[([^\\\[\]^-]+)\]")  # [abc]: no negation, range, escape or bracket inside


def text_searches(pats: list[str]) -> tuple[re.Pattern, ...]:
    """Compiled searches such that a text holds a match of one of `pats` iff it holds a match
    of one of them (see literal_led, non_capturing)."""
    return tuple(re.compile(_fast_form(x)) for p in pats for x in literal_led(p))


def _fast_form(search: str) -> str:
    """A search rewritten for re's quicker scan, the same matches (see the functions called)."""
    return lookbehind_last(choices_spread(non_capturing(search)))


def _searches(safe: list[str]) -> list[str]:
    """The searches for an unanchored group of line_safe patterns: those tied to the line start
    (^…) together in one, each other one apart, so as to keep re's fast literal-prefix search."""
    at_start = [p for p in safe if p.startswith("^") and not top_level_bar(p) and not _GROUP_REFS.search(p)]
    rest = [x for p in safe if p not in at_start for x in literal_led(p)]
    if len(at_start) < 2:
        return [*at_start, *rest]
    return ["^(?:" + "|".join(f"(?:{p[1:]})" for p in at_start) + ")", *rest]


def _pieces(pattern: str):
    """(position, piece, bare) over `pattern`: an escape, a class opener (with a literal ] right
    after it), or one character; bare when that character stands outside any class."""
    in_cls, i = False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            yield i, pattern[i:i + 2], False
            i += 2
            continue
        if in_cls:
            in_cls = ch != "]"
            yield i, ch, False
        elif ch == "[":
            in_cls = True
            k = 2 if pattern.startswith("]", i + 1) else 3 if pattern.startswith("^]", i + 1) else 1  # a literal ] first
            yield i, pattern[i:i + k], False
            i += k
            continue
        else:
            yield i, ch, True
        i += 1


def non_capturing(pattern: str) -> str:
    """`pattern` with its capturing groups made non-capturing, which re runs faster; only where
    a match is, not its groups, is used. Left as it is when it refers to a group by number or name."""
    if _GROUP_REFS.search(pattern):
        return pattern
    return "".join("(?:" if bare and piece == "(" and not pattern.startswith("?", i + 1) else piece
                   for i, piece, bare in _pieces(pattern))


def group_alternatives(pattern: str) -> list[str] | None:
    """The alternatives of a pattern that is one group, (?:a|b|…) or (a|b|…); else None."""
    if not pattern.startswith("(") or (pattern.startswith("(?") and not pattern.startswith("(?:")):
        return None
    depth, cuts = 0, [2 if pattern.startswith("(?:") else 0]
    for i, piece, depth in _structure(pattern):
        if piece == ")" and depth == 0 and i != len(pattern) - 1:
            return None
        if piece == "|" and depth == 1:
            cuts.append(i)
    if depth != 0:
        return None
    cuts.append(len(pattern) - 1)
    return [pattern[a + 1:b] for a, b in zip(cuts, cuts[1:])]


def choices_spread(pattern: str) -> str:
    """A pattern that is one group of alternatives with an alternative opening with a choice of at
    most SPLIT_MAX literals, (…|(?:我们|咱们)来看|…), with that choice spread over the alternatives:
    (…|我们(?:来看)|咱们(?:来看)|…), the same matches.

    re skips ahead by the first characters of the alternatives when each starts with a literal;
    one that starts with a group makes it try the whole pattern at every position of the text
    (transitions of cues.yaml: 3x slower over a document). Left as it is when it refers to a group."""
    alts = group_alternatives(pattern)
    if alts is None or _GROUP_REFS.search(pattern):
        return pattern
    out: list[str] = []
    for alt in alts:
        m = _LITERAL_ALTS.match(alt)
        choices = m.group(1).split("|") if m else []
        rest = alt[m.end():] if m else ""
        if m is None or rest[:1] in ("?", "*", "+", "{") or len(choices) > SPLIT_MAX:
            out.append(alt)
        else:
            out.extend(f"{c}(?:{rest})" for c in choices)
    return "(?:" + "|".join(out) + ")"


_LOOKBEHIND_CHAR = re.compile(r"\(\?<!(\[\^?\]?[^\]\\]*\]|[^\\()\[\]|.^$*+?{}])\)([^\\()\[\]|.^$*+?{}#\s])(?![?*+{])")


def lookbehind_last(pattern: str) -> str:
    """`pattern` with each one-character negative look-behind before a literal character put after
    that character: (?<![所没])有人 → 有(?<![所没]有)人, the same matches.

    re finds where a match may start by the first character of each alternative when all of them
    start with a literal; one look-behind first in one alternative makes it try the whole pattern
    at every position of the text (others of cues.yaml: 5x slower over a document)."""
    if "(?<!" not in pattern or "(?x" in pattern or _GROUP_REFS.search(pattern):
        return pattern
    bare = {i for i, _, is_bare in _pieces(pattern) if is_bare}
    out, pos = [], 0
    for m in _LOOKBEHIND_CHAR.finditer(pattern):
        if m.start() in bare:
            before, ch = m.groups()
            out.append(f"{pattern[pos:m.start()]}{ch}(?<!{before}{ch})")
            pos = m.end()
    return "".join(out) + pattern[pos:]


def top_level_bar(pattern: str) -> bool:
    """Whether `pattern` is an alternation at its top level (a "|" outside groups and classes)."""
    return any(piece == "|" and depth == 0 for _, piece, depth in _structure(pattern))


def _structure(pattern: str):
    """(position, piece, depth) of each "(", ")" and "|" of `pattern` outside classes and escapes:
    depth counts the groups open after the piece (a "(" counts its own group, a ")" no longer)."""
    depth = 0
    for i, piece, bare in _pieces(pattern):
        if not bare or piece not in ("(", ")", "|"):
            continue
        depth += 1 if piece == "(" else -1 if piece == ")" else 0
        yield i, piece, depth


class LinePattern:
    """One cue pattern group (a YAML list), searched per line (anchored: at the line start)."""

    def __init__(self, pats: list[str], anchor: bool):
        body = "|".join(f"(?:{p})" for p in pats)
        self.line_rx = re.compile(("^(?:" + body + ")") if anchor else body) if pats else None
        self.text_rx = () if anchor else text_searches(pats)  # a text holds a match iff one of these finds one
        safe = [line_safe(p) for p in pats]
        self.doc_rx = None
        if pats and all(s is not None for s in safe):
            if anchor:
                searches = ["^(?:" + "|".join(f"(?:{s})" for s in safe) + ")"]
            else:
                searches = _searches(safe)
            self.doc_rx = [re.compile(_fast_form(x), re.M) for x in searches]
            self.doc_after_nl = [_after_newline(x) for x in self.doc_rx]
        # the claim text (lines joined by "\n") matches iff one of its lines does
        self.any_line = (bool(self.doc_rx) and not anchor and all(s == p for s, p in zip(safe, pats))
                         and not any("^" in p or "$" in p for p in pats))

    def lines(self, doc: str, starts: list[int], units: list[str]) -> set[int]:
        """Indices of the lines that hold a match."""
        if self.line_rx is None:
            return set()
        if self.doc_rx is None:
            return {i for i, t in enumerate(units) if self.line_rx.search(t)}
        out: set[int] = set()
        for rx, after_nl in zip(self.doc_rx, self.doc_after_nl):
            if after_nl is None:
                for m in rx.finditer(doc):
                    out.add(bisect_right(starts, m.start()) - 1)
                continue
            if rx.match(doc):  # ^R at the document's start
                out.add(bisect_right(starts, 0) - 1)  # 0 (-1 as before for a document of no line)
            for m in after_nl.finditer(doc):  # the other lines: m starts at the "\n" before the line
                out.add(bisect_right(starts, m.start() + 1) - 1)
        return out


def _after_newline(rx: re.Pattern) -> re.Pattern | None:
    """For a search `^R` (re.M, R line_safe): "\\nR", which finds the matches at the start of
    every line but the first, else None. re tries a pattern that opens with ^ at every position
    of the text, but jumps from one "\\n" to the next for "\\nR"; the lines matched are the same."""
    p = rx.pattern
    rest = p[1:]
    if not p.startswith("^") or rest[:1] in ("", "?", "*", "+", "{") or top_level_bar(p) or _GROUP_REFS.search(p):
        return None
    return re.compile("\n(?:" + rest + ")", re.M)


@lru_cache(maxsize=4)
def _scanner(lex_id: int, lex: Lexicon) -> MultiMatcher:
    from app.ingest.classify import tables

    t = tables(lex)
    short: dict[str, list[str]] = {}
    for pid, forms in lex.person_short.items():
        for a in forms:
            for k in key_variants(a):
                if len(k) >= 2 and pid not in short.setdefault(k, []):
                    short[k].append(pid)
    return MultiMatcher({"ent": lex.matcher.map, "theme": t["theme_m"].map, "pol": t["pol_m"].map,
                         "kind": t["kind_m"].map, "short": short}, raw=("short",))


def scanner(lex: Lexicon) -> MultiMatcher:
    return _scanner(id(lex), lex)


# ---------------------------------------------------------------- units

LONG_LINE = 200  # lines longer than this are split into sentence units
UNIT_MAX = 120  # a sentence unit longer than this is split further at commas
_SENT = re.compile(r"[^。！？；!?;]*[。！？；!?;]+[”’」』）)\"']*|[^。！？；!?;]+$")
_COMMA = re.compile(r"[^，,]*[，,]+|[^，,]+$")


def _pack(pieces: list[str], limit: int) -> list[str]:
    out: list[str] = []
    for p in pieces:
        if out and len(out[-1]) + len(p) <= limit:
            out[-1] += p
        else:
            out.append(p)
    return out


def split_line(line: str, long_line: int = LONG_LINE, unit_max: int = UNIT_MAX) -> list[str]:
    """A line as units whose concatenation is the line: itself when short, else its sentences
    (ending at 。！？；!?;), a sentence over unit_max characters cut at its commas."""
    if len(line) <= long_line:
        return [line]
    out: list[str] = []
    for s in _SENT.findall(line):
        if len(s) > unit_max:
            out.extend(_pack(_COMMA.findall(s), unit_max))
        else:
            out.append(s)
    if "".join(out) != line:  # never lose a character
        return [line]
    return out or [line]
