"""The one tokenizer for indexing and querying: fold per character, segment with rjieba, alias pass.

Tokens are what FTS5's unicode61 tokenizer sees in `claims.search_text`: lower-case runs of
CJK characters or of letters/digits, space-separated, so SQLite never re-splits them.
Every token keeps its span in the ORIGINAL text, which is what highlighting needs.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import rjieba

from app.text.normalize import to_simplified

# CJK runs, or runs of other letters/digits (underscore and punctuation split tokens).
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_HAS_CJK = re.compile(rf"[{_CJK}]")
_LATIN_ALNUM = re.compile(r"^[0-9a-z]+$")
# Spoken digits in transcripts (九九六, 二零二七): also indexed as Arabic numbers (996, 2027).
_ZH_DIGITS = "〇零一二三四五六七八九"
_ZH_NUMBER = re.compile(f"[{_ZH_DIGITS}]{{3,}}")
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
    out = unicodedata.normalize("NFKC", ch)
    if not out.isascii():
        out = to_simplified(out)
    return out.lower()


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold character by character; offsets[i] = index in `text` of folded character i."""
    parts: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        f = ch.lower() if ch.isascii() else _fold_char(ch)
        parts.append(f)
        offsets.extend([i] * len(f))
    return "".join(parts), offsets


class _Segmenter:
    """rjieba with the domain words and names added, plus the multi-token alias table."""

    def __init__(self) -> None:
        self.jieba = rjieba.Jieba()
        self.aliases: dict[tuple[str, ...], str] = {}   # token sequence → entity id
        self.by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # first token → (sequence, id), longest first
        self._load()

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
        return tuple(w for w, _, _ in self.jieba.tokenize(word, "search", False) if w != word and len(w) >= 2)

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


@lru_cache(maxsize=1)
def _segmenter() -> _Segmenter:
    return _Segmenter()


def fold_plain(text: str) -> str:
    return fold_with_offsets(text)[0]


def tokens(text: str, *, subwords: bool = True) -> list[Token]:
    """Search tokens of `text` with spans in the original string (sub-words included by default)."""
    if not text:
        return []
    return _segmenter().tokens(text, subwords=subwords)


def segment(text: str) -> list[str]:
    """Folded search tokens of `text`: words, their sub-words and joined names, punctuation dropped."""
    return [t.text for t in tokens(text)]


def index_text(text: str) -> str:
    """Space-joined tokens, the form stored in claims.search_text for FTS5 (unicode61)."""
    return " ".join(segment(text))


def is_latin(token: str) -> bool:
    return bool(_LATIN_ALNUM.match(token))


def alias_table() -> dict[tuple[str, ...], str]:
    """Token sequence of every known name → entity id (what the alias pass recognises)."""
    return _segmenter().aliases
