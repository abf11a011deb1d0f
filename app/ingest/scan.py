"""Document-level scanning: every literal matcher and every line pattern runs once per document.

The extractor works on units (transcript lines, or sentence pieces of very long lines). Their
normalised texts are joined with "\n" into one document string; one Aho-Corasick pass
(pyahocorasick) finds the keys of all the lexicon's literal matchers at once, and each line
pattern of cues.yaml runs once over the document. The results are exactly those of running
each matcher / pattern on every unit separately (see `MultiMatcher` in app/lexicon.py, `line_safe`).
"""
from __future__ import annotations

import re
import re._constants as _sre  # the opcodes of re's parser: required_strings reads its parse
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from re import _parser

from app.lexicon import _WCH, Lexicon, MultiMatcher, key_variants


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


def _alternatives(pattern: str) -> list[str]:
    """The alternatives of a pattern that is one group, else the pattern (^ before each: the same lines)."""
    return [pattern] if _GROUP_REFS.search(pattern) else group_alternatives(pattern) or [pattern]


@dataclass(eq=False)  # hashed by identity (a re.Pattern hashes its whole compiled code)
class SiftedSearch:
    """A search of one line, run only on the lines that hold one of its required strings."""

    rx: re.Pattern
    required: frozenset[str]


def _sift_apart(pats: list[str], anchor: bool) -> tuple[SiftedSearch | None, list[str]]:
    """The patterns with telling required strings as one SiftedSearch, and the other patterns."""
    lead = "^" if anchor else ""
    telling = {p: req for p in pats if (req := telling_strings(f"{lead}(?:{p})"))}
    rest = [p for p in pats if p not in telling]
    if not telling:
        return None, rest
    rx = re.compile(lead + "(?:" + "|".join(f"(?:{p})" for p in telling) + ")")
    return SiftedSearch(rx, frozenset().union(*telling.values())), rest


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


# ---------------------------------------------------------------- required strings

FACTOR_MAX = 256  # at most this many strings in one set of required strings
SIFT_MIN = 2  # a search is sifted when each of its required strings has at least this many characters
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
_LINE_EDGES = (_sre.AT_BEGINNING, _sre.AT_END)  # ^ and $
_LATIN = "".join(sorted(_WCH))


def required_strings(pattern: str, lines: bool = False) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` holds, the most telling such set found (its
    shortest string the longest), or None (a case-blind pattern, none found). lines: the pattern
    is searched in each line of lines joined by "\n", where ^ and $ stand beside a "\n" (but at
    the first and the last line): 不过 at a line start holds "\n不过", 是 at its end "是\n".

    From re's own parse of the pattern: a run of items that match a few fixed strings each
    (literals, small classes, groups of such alternatives; look-arounds match "") gives the
    set of their concatenations; a group, a branch or a repeat that must match gives its own."""
    try:
        items = _parser.parse(pattern)
    except re.error:
        return None
    if items.state.flags & re.IGNORECASE:
        return None
    best = _best(_required(items, {""}, lines))
    if best is None:
        return None
    return _least(best)


def telling_strings(pattern: str) -> frozenset[str] | None:
    """required_strings of a pattern searched per line, less the Latin letters and digits that open or
    close them (the scanner checks word boundaries there), when each is long enough to be rare."""
    req = required_strings(pattern, lines=True)
    if req:  # a part of a required string is required too: 第 of 第1
        req = frozenset(x.strip(_LATIN) for x in req)
    if not req or min(map(len, req)) < SIFT_MIN:
        return None
    return _least(req)


def _least(strings) -> frozenset[str]:
    """The strings that hold none of the others: a text holding 就是一个 holds 是一个, which suffices."""
    return frozenset(x for x in strings if not any(y != x and y in x for y in strings))


def _best(sets: list[set[str]]) -> set[str] | None:
    return max(sets, key=lambda s: (min(map(len, s)), -len(s)), default=None)


def _required(items, run: set[str], lines: bool) -> list[set[str]]:
    """Sets of strings, one of each of which every match of run + the item sequence holds
    (run: the fixed strings matched just before)."""
    found = []
    for op, av in items:
        fixed = _fixed_item(op, av, lines)
        if fixed is not None:
            grown = _times(run, fixed)
            if grown is None:
                found.append(run)
            run = grown or fixed
            continue
        found.append(run)
        found.extend(_required_inside(op, av, run, lines))
        run = {""}
    found.append(run)
    return [s for s in found if "" not in s]


def _required_inside(op, av, run: set[str], lines: bool) -> list[set[str]]:
    """Required strings of run + one item that matches no few fixed strings."""
    if op is _sre.SUBPATTERN and not av[1] & re.IGNORECASE:
        return _required(av[3], run, lines)
    if op is _sre.ATOMIC_GROUP:
        return _required(av, run, lines)
    if op in _REPEATS and av[0] >= 1:  # its first time
        return _required(av[2], run, lines)
    if op is _sre.BRANCH:
        each = [_best(_required(alt, run, lines)) for alt in av[1]]
        if all(each):
            union = set().union(*each)
            return [union] if len(union) <= FACTOR_MAX else []
    return []


def _fixed(items, lines: bool) -> set[str] | None:
    """The strings that the item sequence matches, when they are few (else None)."""
    out: set[str] | None = {""}
    for op, av in items:
        fixed = _fixed_item(op, av, lines)
        out = _times(out, fixed) if fixed is not None else None
        if out is None:
            return None
    return out


def _fixed_item(op, av, lines: bool) -> set[str] | None:
    if op is _sre.LITERAL:
        return {chr(av)}
    if op is _sre.AT:
        return {"\n"} if lines and av in _LINE_EDGES else {""}
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return {""}
    if op is _sre.IN:
        return _class_chars(av)
    if op is _sre.SUBPATTERN and not av[1] & re.IGNORECASE:
        return _fixed(av[3], lines)
    if op is _sre.BRANCH:
        alts = [_fixed(alt, lines) for alt in av[1]]
        if all(a is not None for a in alts):
            union = set().union(*alts)
            return union if len(union) <= FACTOR_MAX else None
    if op in _REPEATS and av[0] == av[1] and av[0] <= 4:
        one, out = _fixed(av[2], lines), {""}
        for _ in range(av[0]):
            out = _times(out, one) if out is not None and one is not None else None
        return out
    return None


def _class_chars(av) -> set[str] | None:
    """The characters of a class of literals and small ranges ([？?], [一二三0-9]), else None."""
    out: set[str] = set()
    for op, x in av:
        if op is _sre.LITERAL:
            out.add(chr(x))
        elif op is _sre.RANGE and x[1] - x[0] < FACTOR_MAX:
            out.update(map(chr, range(x[0], x[1] + 1)))
        else:
            return None
    return out if len(out) <= FACTOR_MAX else None


def _times(a: set[str], b: set[str]) -> set[str] | None:
    """Every string of a followed by every string of b, when that makes at most FACTOR_MAX."""
    if len(a) * len(b) > FACTOR_MAX:
        return None
    return {x + y for x in a for y in b}


class LinePattern:
    """One cue pattern group (a YAML list), searched per line (anchored: at the line start).

    Most of the group runs over the whole document (doc_rx). A search that re would try at
    every line start (^[^，,。]{2,12}之后…) or every position is instead sifted: the main
    literal pass (scanner, tag "cue") finds the lines holding one of its required strings,
    and only those lines are searched, with the pattern as written."""

    def __init__(self, pats: list[str], anchor: bool):
        body = "|".join(f"(?:{p})" for p in pats)
        self.line_rx = re.compile(("^(?:" + body + ")") if anchor else body) if pats else None
        self.text_rx = () if anchor else text_searches(pats)  # a text holds a match iff one of these finds one
        safe = [line_safe(p) for p in pats]
        self.doc_rx = None
        self.sifted: SiftedSearch | None = None
        exact = bool(pats) and all(s is not None for s in safe)
        if exact:
            if anchor:
                self.sifted, rest = _sift_apart([a for p in pats for a in _alternatives(p)], anchor)
                searches = ["^(?:" + "|".join(f"(?:{line_safe(a)})" for a in rest) + ")"] if rest else []
            else:
                self.sifted, rest = _sift_apart(pats, anchor)
                searches = _searches([line_safe(p) for p in rest])
            self.doc_rx = [re.compile(_fast_form(x), re.M) for x in searches]
            self.doc_after_nl = [_after_newline(x) for x in self.doc_rx]
        # the claim text (lines joined by "\n") matches iff one of its lines does
        self.any_line = (exact and not anchor and all(s == p for s, p in zip(safe, pats))
                         and not any("^" in p or "$" in p for p in pats))

    def lines(self, doc: str, starts: list[int], units: list[str], sifted: dict[SiftedSearch, set[int]]) -> set[int]:
        """Indices of the lines that hold a match. sifted: the lines holding a required string of
        each sifted search (see `sift`)."""
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
        if self.sifted is not None and units:
            rx = self.sifted.rx
            ends = {0, len(units) - 1}  # no "\n" before the first line, none after the last
            out.update(i for i in ends.union(sifted.get(self.sifted, ())) if i not in out and rx.search(units[i]))
        return out


def sift(hits: list, starts: list[int]) -> dict[SiftedSearch, set[int]]:
    """The scanner's "cue" hits → {sifted search: lines holding one of its required strings}. A
    string that opens with the "\n" before a line (^) is that line's."""
    out: dict[SiftedSearch, set[int]] = {}
    i, o, nxt = -1, 0, 0
    n = len(starts)
    for s, _, key, searches in hits:
        if key[0] == "\n":
            s += 1
        if s >= nxt or s < o:
            i = bisect_right(starts, s) - 1
            o = starts[i]
            nxt = starts[i + 1] if i + 1 < n else 1 << 62
        for one in searches:
            lines = out.get(one)
            if lines is None:
                out[one] = {i}
            else:
                lines.add(i)
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


# the cue pattern groups of cues.yaml read per line: flag name → (key, anchored at the line start)
LINE_GROUPS = {"start": ("start_markers", True), "weak": ("weak_start_markers", True),
               "cont": ("continuation_markers", True), "brk": ("break_markers", True),
               "voice": ("narrator_voice", False), "question": ("question_patterns", False),
               "channel": ("channel_talk", False), "transition": ("transitions", False),
               "frame": ("frame_lines", True), "open_end": ("open_endings", False),
               "others": ("other_views", False), "heading": ("list_headings", True),
               "words_next": ("words_announced", False)}


@lru_cache(maxsize=4)
def _line_patterns(lex_id: int, lex: Lexicon) -> dict[str, LinePattern]:
    c = lex.cues
    return {k: LinePattern([str(p) for p in c.get(key) or []], anchor) for k, (key, anchor) in LINE_GROUPS.items()}


def line_patterns(lex: Lexicon) -> dict[str, LinePattern]:
    """The LinePattern of each group of LINE_GROUPS, compiled once per lexicon."""
    return _line_patterns(id(lex), lex)


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
    cue: dict[str, list[SiftedSearch]] = {}  # a required string → the sifted searches that need it
    for lp in line_patterns(lex).values():
        if lp.sifted is not None:
            for k in lp.sifted.required:
                cue.setdefault(k, []).append(lp.sifted)
    return MultiMatcher({"ent": lex.matcher.map, "theme": t["theme_m"].map, "pol": t["pol_m"].map,
                         "kind": t["kind_m"].map, "short": short, "cue": cue}, raw=("short", "cue"))


def scanner(lex: Lexicon) -> MultiMatcher:
    """The one literal pass over a document: entities, theme / polarity / kind keywords, people's
    short forms, and the required strings of the sifted line patterns ("cue")."""
    return _scanner(id(lex), lex)


# ---------------------------------------------------------------- units

LONG_LINE = 200  # lines longer than this are split into sentence units
UNIT_MAX = 120  # a sentence unit longer than this is split further at commas
# a sentence keeps the stray punctuation after its end (…何方？。 / …破产。，): the next one
# starts with its first word
_SENT = re.compile(r"[^。！？；!?;]*[。！？；!?;]+[”’」』）)\"']*[，,、。！？；!?;\s]*|[^。！？；!?;]+$")
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
