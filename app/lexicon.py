"""Domain knowledge of the extractor, loaded from data/lexicon/*.yaml (never written in code).

`load_lexicon()` reads the YAML files once (cached per directory) and builds:
entities (id → EntityDef), themes (id → {"zh", "en"}), the compiled alias matcher used by
the extractor, and the cue/stance/kind/discovery tables.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

import ahocorasick

from app.datafiles import read_yaml
from app.ingest.types import EntityDef
from app.text.normalize import fold, to_simplified

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicon"

DOT_CHARS = "·・•‧∙⋅･"  # the middle dots of transliterated names; norm makes them all the first
_DOTS = re.compile(rf"\s*[{DOT_CHARS}]\s*")
_OTHER_DOTS = DOT_CHARS[1:]
_DOT_ADJ = re.compile(rf"[{DOT_CHARS}](?:\s|(?<=\s.))")  # a dot with white space beside it
_SEPARATORS = "\t\u3000-_‐‑–—"  # with the space: the Latin separators
_SPACES = re.compile(" {2,}")


def one_space(text: str) -> str:
    """Each run of separators (the space and _SEPARATORS) as one space: plain replacements
    and one search for a double space, faster over a whole document than a class search."""
    for c in _SEPARATORS:
        if c in text:
            text = text.replace(c, " ")
    return _SPACES.sub(" ", text) if "  " in text else text


def norm(text: str) -> str:
    """Form every matcher works on: fold(), one '·' for name dots, one space for Latin separators."""
    t = fold(text)
    t = _DOTS.sub("·", t)
    return one_space(t)


@lru_cache(maxsize=1)
def _trad_chars() -> frozenset | None:
    try:
        import zhconv

        d = zhconv.zhconv.getdict("zh-cn")
        return frozenset(k for k, v in d.items() if len(k) == 1 and k != v) or None
    except Exception:
        return None


@lru_cache(maxsize=1)
def _trad_rx() -> re.Pattern | None:
    """A search for the traditional characters of the Basic Multilingual Plane (one class of
    BMP characters compiles to a fast bitmap; the few astral ones are checked apart)."""
    trad = _trad_chars()
    if trad is None:
        return None
    return re.compile("[" + "".join(re.escape(c) for c in sorted(trad) if ord(c) < 0x10000) + "]")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def has_trad(text: str) -> bool:
    """Whether text holds a traditional character (True when the table is unavailable)."""
    rx = _trad_rx()
    if rx is None:
        return True
    if rx.search(text):
        return True
    return _ASTRAL.search(text) is not None and not _trad_chars().isdisjoint(text)


# the compatibility characters frequent in transcripts, replaced before the (costly) NFKC
# pass; each maps to its full compatibility decomposition, so NFKC of the result is NFKC of
# the original, and the pass is skipped when the result is already normalised
_FW_COMMON = tuple((c, chr(ord(c) - 0xFEE0)) for c in "，？（）；！：％［］") + (("\u3000", " "),)


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), fast for CJK text with full-width punctuation."""
    for a, b in _FW_COMMON:
        if a in text:
            text = text.replace(a, b)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


_ACCENTED = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")


class _Unaccented(dict):
    """ord(é) → 'e': the letter an accented Latin letter is written on, itself when none."""

    def __missing__(self, cp: int) -> str:
        base = unicodedata.normalize("NFKD", chr(cp))[0]
        self[cp] = out = base if base.isascii() and base.isalpha() else chr(cp)
        return out


_UNACCENTED = _Unaccented()


def deaccent(text: str) -> str:
    """Accented Latin letters on their base letter (Poincaré → Poincare, Erdős → Erdos), the
    length kept: Latin name matchers that know A–Z only see the whole name."""
    return text.translate(_UNACCENTED) if _ACCENTED.search(text) else text


def alternation(words) -> str:
    """A regex group matching any of the words (as given, escaped), longest first so that the
    longest one wins where several start; a group that matches nothing when there are none."""
    ws = sorted({w for w in words if w}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w) for w in ws) + ")" if ws else "(?!)"


def words_rx(words) -> re.Pattern | None:
    """The compiled alternation of the words as norm() folds them (longest first), or None when
    there are none, so callers can skip the search."""
    ws = [norm(str(w)) for w in words or [] if str(w)]
    return re.compile(alternation(ws)) if ws else None


def norm_lines(lines: list[str]) -> list[str]:
    """norm() of every line, fast: NFKC runs once over the joined lines (and only when the
    common full-width forms replaced, something is left to normalise), the script conversion
    (costly) only on lines that hold a traditional character; the rest get lower case, which
    is what fold() gives them."""
    if not lines:
        return []
    t = "\n".join(lines)
    if "\r" in t or t.count("\n") != len(lines) - 1:
        t = "\n".join(l.replace("\n", " ").replace("\r", " ") for l in lines)
    t = nfkc(t)
    if has_trad(t):
        parts = t.split("\n")
        if len(parts) != len(lines):
            return [norm(l.replace("\n", " ").replace("\r", " ")) for l in lines]
        rx = _trad_rx()
        if rx is not None and _ASTRAL.search(t) is None:  # BMP text: one search a line
            t = "\n".join(to_simplified(u) if rx.search(u) else u for u in parts)
        else:
            t = "\n".join(to_simplified(u) if has_trad(u) else u for u in parts)
    t = t.lower()
    if _DOT_ADJ.search(t):  # white space around a dot: per line (it must not eat a "\n")
        t = "\n".join(_DOTS.sub("·", u) if _DOT_ADJ.search(u) else u for u in t.split("\n"))
    for d in _OTHER_DOTS:  # the dots left stand alone: a plain replacement
        if d in t:
            t = t.replace(d, "·")
    t = one_space(t)
    out = t.split("\n")
    if len(out) != len(lines):
        return [norm(l.replace("\n", " ").replace("\r", " ")) for l in lines]
    return out


def key_variants(surface: str) -> set[str]:
    """Normalised keys of one surface form: as written, and with Latin separators dropped."""
    k = norm(surface).strip()
    out = {k} if k else set()
    if " " in k:
        out.add(k.replace(" ", ""))
    return {x for x in out if x}


_WCH = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")  # Latin letters, digits
_DIG = frozenset("0123456789")
FEW_KEYS = 8  # up to this many keys, MultiMatcher finds them with str.find


class MultiMatcher:
    """Several literal key tables ({tag: {key: value}}) scanned together in one Aho-Corasick pass.

    `scan(doc)` gives, per tag, [(start, end, key, value)]: leftmost-longest, non-overlapping,
    a key starting (ending) with a Latin letter or digit not inside a Latin word (nor ending
    before ".<digit>": GPT-5 is not matched in GPT-5.2). Tags listed in `raw` keep every
    boundary-valid occurrence."""

    def __init__(self, tables: dict[str, dict], raw: tuple[str, ...] = ()):
        self.tags = tuple(tables)
        self.raw = frozenset(raw)
        entries: dict[str, list] = {}
        for tag, mp in tables.items():
            for k, v in mp.items():
                if k:
                    entries.setdefault(k, []).append((tag, k, v))
        self.empty = not entries
        # the boundary checks depend on the key only
        self._values = {k: (len(k), k[0] in _WCH, k[-1] in _WCH, tuple(vals)) for k, vals in entries.items()}
        # an episode's few people: a str.find per key is several times faster than the automaton
        self._few = list(self._values.items()) if len(self._values) <= FEW_KEYS and not self.raw else None
        self._ac = None if self._few is not None else _automaton(
            {units: self._values[k] for k in entries if (units := _code_units(k)) is not None})
        self._ac_text: ahocorasick.Automaton | None = None  # for a text with a character beyond the BMP (on first need)

    def _ends(self, doc: str) -> Iterator[tuple[int, tuple]]:
        """(end, value) of every occurrence of a key in doc, in the order of their ends.

        pyahocorasick looks a character up among a node's children one by one, and the root
        has hundreds of CJK children; over the UTF-16 bytes of the text (see _code_units) a
        node has few, which makes the pass several times faster. An occurrence of a key's
        bytes that does not start at a character's first byte ends at an even byte: skipped."""
        if self._few is not None:
            yield from sorted(_occurrences(doc, self._few), key=_START)
            return
        units = _code_units(doc)
        if units is None:
            if self._ac_text is None:
                self._ac_text = _automaton(self._values)
            for end, value in self._ac_text.iter(doc):
                yield end + 1, value
            return
        if self._ac is None:  # no key within the BMP: none in this text
            return
        for end, value in self._ac.iter(units):
            if end & 1:  # the last byte of a character
                yield (end + 1) >> 1, value

    def scan(self, doc: str) -> dict[str, list]:
        out: dict[str, list] = {t: [] for t in self.tags}
        if self.empty or not doc:
            return out
        n = len(doc)
        wch, dig = _WCH, _DIG
        for e, (klen, wl, wr, vals) in self._ends(doc):
            s = e - klen
            if wl and s and doc[s - 1] in wch:
                continue
            if wr and e < n and (doc[e] in wch or (doc[e] == "." and e + 1 < n and doc[e + 1] in dig)) \
                    and not _year_at(doc, e):  # Meta2025年: a name, then a year
                continue
            for tag, key, val in vals:
                out[tag].append((s, e, key, val))
        for tag, hits in out.items():
            if tag not in self.raw:
                out[tag] = resolve(hits)
        return out


def _occurrences(doc: str, items: list[tuple[str, tuple]]) -> Iterator[tuple[int, tuple]]:
    """(end, value) of every occurrence of each key, overlapping ones too."""
    for key, value in items:
        i = doc.find(key)
        while i >= 0:
            yield i + len(key), value
            i = doc.find(key, i + 1)


def _year_at(doc: str, i: int) -> bool:
    """doc[i:] starts with a year and 年 (2025年): what a subtitle may glue to a name."""
    return doc[i + 4:i + 5] == "年" and doc[i:i + 2] in ("19", "20") and doc[i + 2:i + 4].isdigit()


def _code_units(text: str) -> str | None:
    """text as the string of its UTF-16-BE bytes (two characters per character), or None when it
    holds a character beyond the Basic Multilingual Plane (four bytes) or a lone surrogate."""
    try:
        data = text.encode("utf-16-be")
    except UnicodeEncodeError:
        return None
    return data.decode("latin-1") if len(data) == 2 * len(text) else None


def _automaton(words: dict[str, tuple]) -> ahocorasick.Automaton | None:
    """An Aho-Corasick automaton of words (key → value), or None when there are none."""
    if not words:
        return None
    ac = ahocorasick.Automaton()
    for k, value in words.items():
        ac.add_word(k, value)
    ac.make_automaton()
    return ac


def resolve(cands: list) -> list:
    """Leftmost-longest non-overlapping selection of (start, end, ...) candidates."""
    cands.sort(key=_END, reverse=True)  # then stably by start: by start, the longest first
    cands.sort(key=_START)
    out = []
    pos = -1
    for h in cands:
        if h[0] >= pos:
            out.append(h)
            pos = h[1]
    return out


_START, _END = itemgetter(0), itemgetter(1)


class AliasMatcher:
    """Longest-match, boundary-aware search of many literal keys (a one-table `MultiMatcher`)."""

    def __init__(self, mapping: dict):
        self.map = {k: v for k, v in mapping.items() if k}
        self._scanner: MultiMatcher | None = None  # built on first use (documents are scanned by app/ingest/scan.py)

    def find(self, text: str) -> list[tuple[int, int, str, object]]:
        """[(start, end, key, value)] over normalised text, left to right, non-overlapping."""
        if not self.map or not text:
            return []
        if self._scanner is None:
            self._scanner = MultiMatcher({"": self.map})
        return self._scanner.scan(text)[""]


@dataclass(eq=False)
class Lexicon:
    entities: dict[str, EntityDef]
    themes: dict[str, dict]
    theme_keywords: dict[str, list[str]]
    theme_entity_hints: dict[str, list[str]]
    theme_cfg: dict
    cues: dict
    classify: dict
    discovery: dict
    person_short: dict[str, list[str]] = field(default_factory=dict)
    person_roles: dict[str, str] = field(default_factory=dict)
    context_rules: dict[str, dict] = field(default_factory=dict)
    _matcher: AliasMatcher | None = None
    _surface: dict[str, str] = field(default_factory=dict)

    def entity_aliases(self) -> dict[str, str]:
        """Surface form (as written in the data) → entity id, for search alias expansion."""
        return dict(self._surface)

    @property
    def matcher(self) -> AliasMatcher:
        assert self._matcher is not None
        return self._matcher

    def match_entities(self, text: str) -> list[tuple[int, int, str, str]]:
        """Alias matches in normalised text: [(start, end, key, id)], context rules applied."""
        hits = self.matcher.find(text)
        if self.context_rules and hits:
            hits = self.apply_context(text, hits)
        return hits

    def apply_context(self, text: str, hits: list) -> list:
        """Look-alikes resolved by context (data: entities.yaml `context_rules`): a hit whose
        neighbourhood holds a `near` word, or whose next characters start with an `after`
        word, becomes the rule's `becomes` id (or is dropped when that is null)."""
        out = []
        for h in hits:
            s, e, key, eid = h
            rule = self.context_rules.get(eid)
            if rule is not None:
                hit = False
                if rule["after"] is not None and rule["after"].match(text, e):
                    hit = True
                w = rule["window"]
                if not hit and rule["near"] is not None and (
                        rule["near"].search(text, max(0, s - w), s) or rule["near"].search(text, e, e + w)):
                    hit = True
                if hit:
                    if not rule["becomes"]:
                        continue
                    h = (s, e, key, rule["becomes"])
            out.append(h)
        return out


def _read(path: Path) -> dict:
    return read_yaml(path) if path.exists() else {}


def build_lexicon(data_dir: Path) -> Lexicon:
    ent_doc = _read(data_dir / "entities.yaml")
    entities: dict[str, EntityDef] = {}
    surface: dict[str, str] = {}
    keys: dict[str, str] = {}
    short: dict[str, list[str]] = {}
    roles: dict[str, str] = {}
    for raw in ent_doc.get("entities") or []:
        eid, etype, name = raw["id"], raw.get("type", "product"), raw.get("name", raw["id"])
        aliases = [str(a) for a in (raw.get("aliases") or [])]
        zh = raw.get("zh")
        forms = [name] + ([zh] if zh else []) + aliases
        if raw.get("short"):  # people's and models' short forms (兰伯特, R1), resolved after the full name
            short[eid] = [str(a) for a in raw["short"]]
        if raw.get("role"):
            roles[eid] = raw["role"]
        entities[eid] = EntityDef(id=eid, type=etype, name=name, name_zh=zh, aliases=aliases)
        for f in forms:
            if etype != "person" and f == name and "(" in f:
                continue  # "Llama (series)" is a display name, not a surface form
            surface.setdefault(f, eid)
            for k in key_variants(f):
                keys.setdefault(k, eid)
        for f in short.get(eid, []):
            surface.setdefault(f, eid)
    discovery = _read(data_dir / "discovery.yaml")
    _derive_short_forms(entities, surface, short, discovery)
    th_doc = _read(data_dir / "themes.yaml")
    themes, kw, hints = {}, {}, {}
    for tid, t in (th_doc.get("themes") or {}).items():
        themes[tid] = {"zh": t.get("zh", tid), "en": t.get("en", tid)}
        kw[tid] = [norm(str(k)) for k in t.get("keywords") or []]
    for tid, ids in (th_doc.get("entity_hints") or {}).items():
        hints[tid] = list(ids or [])
    lex = Lexicon(
        entities=entities,
        themes=themes,
        theme_keywords=kw,
        theme_entity_hints=hints,
        theme_cfg={k: v for k, v in th_doc.items() if k not in ("themes", "entity_hints")},
        cues=_read(data_dir / "cues.yaml"),
        classify=_read(data_dir / "classify.yaml"),
        discovery=discovery,
        person_short=short,
        person_roles=roles,
    )
    lex._surface = surface
    lex.context_rules = _context_rules(ent_doc.get("context_rules") or [])
    lex._matcher = AliasMatcher(keys)
    return lex


def _derive_short_forms(entities: dict, surface: dict, short: dict, discovery: dict) -> None:
    """A lexicon person's dotted Chinese name gives its parts as short forms (利奥波德 and
    阿申布伦纳 of 利奥波德·阿申布伦纳), counted once the full name is seen in the same text; not a
    common first or family name (彼得, 史密斯: many people), nor a part two people share."""
    common = {str(k) for key in ("translit_first_names", "translit_surnames")
              for k in (discovery.get(key) or {})}
    parts: dict[str, set[str]] = {}
    for eid, e in entities.items():
        if e.type != "person":
            continue
        for a in e.aliases:
            if any(d in a for d in DOT_CHARS):
                for part in re.split(f"[{DOT_CHARS}]", a):
                    if len(part) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in part):
                        parts.setdefault(part, set()).add(eid)
    for part, owners in parts.items():
        if len(owners) != 1 or part in common or part in surface:
            continue
        eid = next(iter(owners))
        forms = short.setdefault(eid, [])
        if part not in forms:
            forms.append(part)
            surface.setdefault(part, eid)


def _context_rules(rows: list) -> dict[str, dict]:
    out = {}
    for r in rows:
        out[str(r["id"])] = {"becomes": r.get("becomes"), "near": words_rx(r.get("near")),
                             "after": words_rx(r.get("after")), "window": int(r.get("window", 12))}
    return out


@lru_cache(maxsize=8)
def _cached(path: str) -> Lexicon:
    return build_lexicon(Path(path))


def load_lexicon(data_dir: Path | None = None) -> Lexicon:
    """The lexicon of data_dir (default: the repo's data/lexicon), built once and cached."""
    return _cached(str(Path(data_dir) if data_dir else DEFAULT_DIR))
