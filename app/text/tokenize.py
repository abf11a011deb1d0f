"""The one tokenizer for indexing and querying: fold per character, segment with rjieba, alias pass.

Tokens are what FTS5's unicode61 tokenizer sees in `claims.search_text`: lower-case runs of
CJK characters or of letters/digits, space-separated, so SQLite never re-splits them.
Every token keeps its span in the ORIGINAL text, which is what highlighting needs.

Two paths give the same tokens in the same order (tests/text checks it, by hypothesis too):
`tokens` (search, highlighting) keeps spans; `index_text` / `index_texts` (ingest) only build
the space-joined string: whole-string fold, one rjieba call per text (or per file), cached
per-word index strings, and the name pass only where a word can start a multi-token name.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

import rjieba

from app.memo import Memo
from app.text.normalize import to_simplified

# CJK runs, or runs of other letters/digits (underscore and punctuation split tokens).
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_HAS_CJK = re.compile(rf"[{_CJK}]")
_LATIN_ALNUM = re.compile(r"^[0-9a-z]+$")
# Spoken digits in transcripts (九九六, 二零二七): also indexed as Arabic numbers (996, 2027).
_ZH_DIGITS = "〇零一二三四五六七八九"
_ZH_NUMBER = re.compile(f"[{_ZH_DIGITS}][{_ZH_DIGITS}]{{2,}}")  # {3,}, led by a class: sre skips to a digit in C
_ZH_TO_ARABIC = str.maketrans({ch: str(i) for i, ch in enumerate(_ZH_DIGITS[1:])} | {"〇": "0"})


@dataclass(frozen=True)
class Token:
    """One search token with its span [start, end) in the original text."""

    text: str
    start: int
    end: int
    sub: bool = False    # a sub-word of a longer word (成本 inside 低成本)
    alias: str | None = None  # the entity id when this token is a known name


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    """The fold of one character: NFKC (width), simplified script, lower case. The definition."""
    out = unicodedata.normalize("NFKC", ch)
    if not out.isascii():
        out = to_simplified(out)
    return out.lower()


class _FoldTable(dict):
    """str.translate table: code point → `_fold_char`, filled on first sight of a character."""

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        out = ch.lower() if ch.isascii() else _fold_char(ch)
        if not out:
            _FOLDS_TO_EMPTY.add(ch)
        self[cp] = out
        return out


_FOLD = _FoldTable()
_FOLDS_TO_EMPTY: set[str] = set()  # none known; a character here turns off the identity-offsets shortcut


def _rare_pattern() -> re.Pattern:
    """Non-ASCII characters whose fold is not themselves (NFKC, case, traditional script), and all astral ones.

    Text without them folds with `str.lower()` (only ASCII letters change), in C, whole string at once.
    CJK unified ideographs have no NFKC or case mapping; of them only zhconv's single-character
    keys convert, which is exactly what per-character `to_simplified` does (maximal match of one char).
    """
    from zhconv import zhconv as zc

    rare = {k for k, v in zc.getdict("zh-cn").items() if len(k) == 1 and v != k}
    norm = unicodedata.normalize
    for cp in (*range(0x80, 0x3400), *range(0xA000, 0x10000)):
        ch = chr(cp)
        if ch.lower() != ch or norm("NFKC", ch) != ch:
            rare.add(ch)
    # BMP only as single characters (sre keeps them in one bitmap; astral literals would be tested
    # one by one), all astral characters as one range; non-ASCII only, so nothing needs escaping
    bmp = "".join(sorted(ch for ch in rare if ord(ch) < 0x10000))
    return re.compile(f"[{bmp}\U00010000-\U0010ffff]")


_RARE = _rare_pattern()


def _fold_match(m: re.Match) -> str:
    return _FOLD[ord(m.group())]


def fold(text: str) -> str:
    """`text` folded character by character (the same as joining `_fold_char` over it), fast.

    Only the rare characters go through the table; `lower()` then changes ASCII letters alone,
    since every other character left is its own fold and folds are already lower case.
    """
    if text.isascii() or not _RARE.search(text):
        return text.lower()
    return _RARE.sub(_fold_match, text).lower()


def _fold_with_offsets_loop(text: str) -> tuple[str, list[int]]:
    parts: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        f = ch.lower() if ch.isascii() else _fold_char(ch)
        parts.append(f)
        offsets.extend([i] * len(f))
    return "".join(parts), offsets


def _fold_offsets(text: str, folded: str) -> list[int]:
    """offsets[i] = index in `text` of character i of `folded` (= fold(text))."""
    if len(folded) == len(text) and not _FOLDS_TO_EMPTY:
        return list(range(len(text)))  # every character folded to exactly one
    offsets: list[int] = []
    pos = 0
    for m in _RARE.finditer(text):  # other characters fold to exactly one character
        i = m.start()
        offsets.extend(range(pos, i))
        offsets.extend([i] * len(_FOLD[ord(m.group())]))
        pos = i + 1
    offsets.extend(range(pos, len(text)))
    return offsets


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold character by character; offsets[i] = index in `text` of folded character i."""
    folded = fold(text)
    return folded, _fold_offsets(text, folded)


class _Segmenter:
    """rjieba with the domain words and names added, plus the multi-token alias table."""

    def __init__(self) -> None:
        self.jieba = rjieba.Jieba()
        self.aliases: dict[tuple[str, ...], str] = {}   # token sequence → entity id
        self.by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # first token → (sequence, id), longest first
        self._load()
        # index_text's fast path: caches keyed by word, filled on first sight (see `index_text`)
        self._multi_first = frozenset(seq[0] for seq in self.aliases if len(seq) > 1)
        self._run_index = Memo(self._run_form)
        self._word_index = Memo(self._word_form)
        self._word_index[_SEP] = _SEP  # the batch separator survives into the joined output
        self._word_runs = Memo(lambda w: tuple((m.group(), m.start()) for m in _RUN.finditer(w)))
        self._run_subs = Memo(lambda t: tuple((w, t.find(w)) for w in self.sub_words(t))
                                if len(t) >= 3 and _HAS_CJK.match(t) else ())
        self._name_lengths: dict[str, tuple[tuple[int, frozenset[tuple[str, ...]]], ...]] = {}
        for first, cands in self.by_first.items():  # first token → (length, sequences), longest first
            lengths = sorted({len(seq) for seq, _ in cands}, reverse=True)
            self._name_lengths[first] = tuple(
                (k, frozenset(seq for seq, _ in cands if len(seq) == k)) for k in lengths)

    def _run_form(self, run: str) -> str:
        """Run text → the run's index form: its sub-words (CJK, 3+ characters) then itself, each + ' '.

        Sub-words start with _SUB (dropped in the output), so that the name pass can drop them.
        """
        if len(run) >= 3 and _HAS_CJK.match(run):
            return "".join([_SUB + w + " " for w in self.sub_words(run)]) + run + " "
        return run + " "

    def _word_form(self, word: str) -> str:
        """jieba word → the index form of its runs ('' for punctuation and spaces); notes name starts."""
        if word == _SEP:  # the batch separator maps to itself, even right after a cache clear
            return word
        runs = _RUN.findall(word)
        out = "".join(map(self._run_index.__getitem__, runs))
        if not self._multi_first.isdisjoint(runs):
            out = _HOT + out  # may start a multi-token name: the text takes the name pass
        return out

    def _load(self) -> None:
        from app.search.data import domain_words, entity_surfaces  # data files, loaded once

        for word in domain_words():
            w = fold_plain(word)
            if _HAS_CJK.search(w):
                self.jieba.add_word(w, 50000, None)
        for surface, eid in entity_surfaces().items():
            w = fold_plain(surface)
            if _HAS_CJK.search(w) and len(w) >= 2:
                self.jieba.add_word(w, 50000, None)
        for surface, eid in entity_surfaces().items():
            parts = tuple(t.text for t in self.base_tokens(surface))
            if parts and not (len(parts) == 1 and len(parts[0]) < 2):
                self.aliases.setdefault(parts, eid)
        for seq, eid in self.aliases.items():
            self.by_first.setdefault(seq[0], []).append((seq, eid))
        for cands in self.by_first.values():
            cands.sort(key=lambda c: -len(c[0]))

    def base_tokens(self, text: str) -> list[Token]:
        """Words in reading order (no sub-words, no alias pass), spans in `text`."""
        folded, offsets = fold_with_offsets(text)
        out: list[Token] = []
        for word, start, end in self.jieba.tokenize(folded, "default", True):
            for m in _RUN.finditer(word):
                a, b = start + m.start(), start + m.end()
                out.append(Token(m.group(), offsets[a], offsets[b - 1] + 1))
        return out

    @lru_cache(maxsize=100000)
    def sub_words(self, word: str) -> tuple[str, ...]:
        """Dictionary words inside a CJK word of 3+ characters (jieba's search mode)."""
        return tuple([w for w in self.jieba.cut_for_search(word, False) if w != word and len(w) >= 2])

    def index_text(self, text: str) -> str:
        """`" ".join(t.text for t in self.tokens(text))` without Token objects: the ingest path.

        The same steps on whole strings: fold in C, one rjieba call, and per jieba word a cached
        string of its runs with their sub-words (each followed by a space), joined once. The name
        pass runs only where a word holds a run that can start a multi-token name; texts with
        spoken numbers (≈1%) keep spans, since `tokens` then orders everything by start.
        """
        self._bound_caches()
        folded = fold(text)
        if _ZH_NUMBER.search(text):
            return self._index_with_numbers(text, folded)
        words = self.jieba.cut(folded, True)
        out = "".join(map(self._word_index.__getitem__, words))
        if _SEP in text:
            out = out.replace(_SEP, "")  # only a whole '\n' word maps to itself; it has no runs
        if _HOT in out:
            out = self._index_with_names(out)
        return out[:-1].replace(_SUB, "")

    def index_texts(self, texts: list[str]) -> list[str]:
        """`[self.index_text(t) for t in texts]`, segmenting the texts together in one rjieba call.

        Texts are joined with '\n', which rjieba always cuts as a word of its own and which no
        block, name or number spans, so each text's words are what it gets alone; texts holding
        '\n' or '\r' (which would pair with it) or spoken numbers go one by one.
        """
        out = [""] * len(texts)
        joined = _SEP.join(texts)
        batch = range(len(texts))
        if alone := _texts_alone(texts, joined):
            for i in alone:
                out[i] = self.index_text(texts[i])
            batch = [i for i in batch if i not in alone]
            joined = _SEP.join([texts[i] for i in batch])
        if not batch:
            return out
        words = self.jieba.cut(fold(joined), True)
        self._bound_caches()
        out_all = "".join(map(self._word_index.__getitem__, words))
        parts = out_all.split(_SEP)
        if _HOT in out_all:  # the texts holding a marked word take the name pass
            parts = [self._index_with_names(part) if _HOT in part else part for part in parts]
        for i, part in zip(batch, parts, strict=True):
            out[i] = part[:-1].replace(_SUB, "")
        return out

    def _bound_caches(self) -> None:
        """Keep the per-word caches under _INDEX_CACHE_MAX entries (emptied when over, at a call's start)."""
        if len(self._word_index) > _INDEX_CACHE_MAX or len(self._run_index) > _INDEX_CACHE_MAX:
            self._word_index.clear()
            self._run_index.clear()
            self._word_index[_SEP] = _SEP
        for cache in (self._word_runs, self._run_subs):
            if len(cache) > _INDEX_CACHE_MAX:
                cache.clear()

    def _name_at(self, base: list[str], i: int) -> int:
        """Length of the alias pass's match at base[i] (the longest known name; 0 when none)."""
        for k, seqs in self._name_lengths.get(base[i], ()):
            if k == 1 or tuple(base[i:i + k]) in seqs:
                return k
        return 0

    def _index_with_names(self, marked: str) -> str:
        """The alias pass of `tokens` on run texts: a multi-token name gives its parts, then their join.

        `marked` is a text's joined word forms, _HOT marks included; its runs are what is left
        without the sub-words.
        """
        plain = marked.replace(_HOT, "")
        base = _SUB_WORDS.sub("", plain).split()
        multi = self._multi_first
        matches: list[tuple[int, int]] = []
        after = 0
        for i in [i for i, t in enumerate(base) if t in multi]:
            if i >= after:
                k = self._name_at(base, i)
                if k > 1:
                    matches.append((i, k))
                    after = i + k
        if not matches:
            return plain
        run_index = self._run_index
        out: list[str] = []
        prev = 0
        for i, k in matches:
            out.extend(map(run_index.__getitem__, base[prev:i]))
            out.append(" ".join(base[i:i + k]) + " " + "".join(base[i:i + k]) + " ")
            prev = i + k
        out.extend(map(run_index.__getitem__, base[prev:]))
        return "".join(out)

    def _index_with_numbers(self, text: str, folded: str) -> str:
        """`tokens` texts for a text with spoken numbers: (text, start) pairs, stably sorted by start.

        Word starts are running sums of word lengths (rjieba's words cover the text); runs and
        sub-words with their offsets inside a word come from caches.
        """
        offsets = _fold_offsets(text, folded)
        base: list[str] = []
        starts: list[int] = []
        pos = 0
        runs_of = self._word_runs
        for word in self.jieba.cut(folded, True):
            for run, rel in runs_of[word]:
                base.append(run)
                starts.append(offsets[pos + rel])
            pos += len(word)
        items: list[tuple[str, int]] = []
        multi, subs = self._multi_first, self._run_subs
        i, n = 0, len(base)
        while i < n:
            t, at = base[i], starts[i]
            if t in multi and (k := self._name_at(base, i)) > 1:
                items.extend(zip(base[i:i + k], starts[i:i + k]))
                items.append(("".join(base[i:i + k]), at))
                i += k
                continue
            items.extend([(w, at + rel) for w, rel in subs[t]])
            items.append((t, at))
            i += 1
        items.extend((m.group().translate(_ZH_TO_ARABIC), m.start()) for m in _ZH_NUMBER.finditer(text))
        items.sort(key=itemgetter(1))
        return " ".join([t for t, _ in items])

    def tokens(self, text: str, *, subwords: bool = True) -> list[Token]:
        base = self.base_tokens(text)
        out: list[Token] = []
        i, n = 0, len(base)
        numbers = []
        if _ZH_NUMBER.search(text):  # digits fold to themselves, so spans are the original's
            numbers = [Token(m.group().translate(_ZH_TO_ARABIC), m.start(), m.end(), sub=True)
                       for m in _ZH_NUMBER.finditer(text)]
        while i < n:
            # alias pass: the longest known name starting here becomes one token
            matched, eid = 0, None
            for seq, cand in self.by_first.get(base[i].text, ()):
                k = len(seq)
                if k == 1 or (i + k <= n and all(base[i + j].text == seq[j] for j in range(1, k))):
                    matched, eid = k, cand
                    break
            if matched > 1:
                parts = base[i:i + matched]
                out.extend(Token(t.text, t.start, t.end, sub=True) for t in parts)
                out.append(Token("".join(t.text for t in parts), parts[0].start, parts[-1].end, alias=eid))
                i += matched
                continue
            tok = base[i]
            if matched == 1:
                tok = Token(tok.text, tok.start, tok.end, alias=eid)
            if subwords and len(tok.text) >= 3 and _HAS_CJK.match(tok.text):
                for w in self.sub_words(tok.text):
                    pos = tok.text.find(w)
                    out.append(Token(w, tok.start + pos, tok.start + pos + len(w), sub=True))
            out.append(tok)
            i += 1
        if numbers:
            out = sorted(out + numbers, key=lambda t: t.start)
        return out


def _texts_alone(texts: list[str], joined: str) -> set[int]:
    """Indices of the texts `index_texts` cannot batch: spoken numbers, '\n' or '\r' inside.

    A number never spans the separator, so one search of the joined texts finds the few that hold
    one (the count of separators before it is its text's index).
    """
    if "\r" in joined or joined.count(_SEP) != len(texts) - 1:
        return {i for i, t in enumerate(texts) if _SEP in t or "\r" in t or _ZH_NUMBER.search(t)}
    return {joined.count(_SEP, 0, m.start()) for m in _ZH_NUMBER.finditer(joined)}


_SEP = "\n"  # joins the texts of one `index_texts` call
_HOT = "\x01"  # marks a word whose runs may start a multi-token name (never inside a run)
_SUB = "\x02"  # starts a sub-word in the cached forms, dropped in the output (never inside a run)
_SUB_WORDS = re.compile(f"{_SUB}[^ ]* ")  # the sub-words of a text's cached forms
_INDEX_CACHE_MAX = 300_000  # words; the caches below hold about 100 bytes each


@lru_cache(maxsize=1)
def _segmenter() -> _Segmenter:
    return _Segmenter()


def fold_plain(text: str) -> str:
    return fold(text)


def tokens(text: str, *, subwords: bool = True) -> list[Token]:
    """Search tokens of `text` with spans in the original string (sub-words included by default)."""
    if not text:
        return []
    return _segmenter().tokens(text, subwords=subwords)


def segment(text: str) -> list[str]:
    """Folded search tokens of `text`: words, their sub-words and joined names, punctuation dropped."""
    return [t.text for t in tokens(text)]


def index_text(text: str) -> str:
    """Space-joined tokens, the form stored in claims.search_text for FTS5 (unicode61).

    Equal to `" ".join(segment(text))`, computed without spans (see `_Segmenter.index_text`).
    """
    if not text:
        return ""
    return _segmenter().index_text(text)


def index_texts(texts: list[str]) -> list[str]:
    """`index_text` of each text, segmented in one rjieba call (about 1.5x faster on short texts)."""
    return _segmenter().index_texts(list(texts))


def is_latin(token: str) -> bool:
    return bool(_LATIN_ALNUM.match(token))


def alias_table() -> dict[tuple[str, ...], str]:
    """Token sequence of every known name → entity id (what the alias pass recognises)."""
    return _segmenter().aliases
