"""Speaker ids for people the lexicon lacks: the slug of their usual English name.

- Chinese names read in pinyin, family name first: 唐杰 → tang-jie, 欧阳娜娜 → ouyang-nana.
- Transliterated names (麦克斯·霍达克) take the English name the episode's manifest lists
  that sounds most alike (Max Hodak → max-hodak); with none, a spelling guessed from
  discovery.yaml's tables (common first names, one Latin spelling per character).

The tables live in data/lexicon/discovery.yaml; pinyin comes from data/lexicon/pinyin.txt.
"""
from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path

from app.ingest.manifest import slugify
from app.lexicon import Lexicon

_DOT = "·"
_LETTERS = re.compile(r"[^a-z]")


_PINYIN_FILE = Path(__file__).resolve().parents[2] / "data" / "lexicon" / "pinyin.txt"


@lru_cache(maxsize=1)
def _pinyin_table() -> dict[str, str]:
    """Character → pinyin (data/lexicon/pinyin.txt, written by scripts/make_pinyin_table.py)."""
    if not _PINYIN_FILE.exists():
        return {}
    return {line[0]: line[1:] for line in _PINYIN_FILE.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")}


def pinyin(text: str) -> list[str]:
    """One pinyin syllable per Chinese character, without tones (a character without one: itself)."""
    table = _pinyin_table()
    return [table.get(ch, ch) for ch in text]


def _table(lex: Lexicon, key: str) -> dict[str, str]:
    """discovery.yaml's table `key` with string keys and values (built once per lexicon; read only)."""
    return _tables(id(lex), lex, key)


@lru_cache(maxsize=16)
def _tables(lex_id: int, lex: Lexicon, key: str) -> dict[str, str]:
    return {str(k): str(v) for k, v in (lex.discovery.get(key) or {}).items()}


def chinese_name_parts(name: str, lex: Lexicon) -> tuple[str, str]:
    """(family name, given name) of a Chinese name."""
    for compound in lex.discovery.get("compound_surnames") or []:
        if name.startswith(compound) and len(name) > len(compound):
            return compound, name[len(compound):]
    return name[:1], name[1:]


def chinese_name_reading(name: str, lex: Lexicon) -> str:
    """'tang jie' of 唐杰: pinyin, family name first; a family name with a reading of its own
    (曾 → zeng) follows the table."""
    family, given = chinese_name_parts(name, lex)
    family_py = _table(lex, "surname_pinyin").get(family) or "".join(pinyin(family))
    return f"{family_py} {''.join(pinyin(given))}"


def chinese_name_id(name: str, lex: Lexicon) -> str:
    """唐杰 → tang-jie."""
    return slugify(chinese_name_reading(name, lex))


def translit_guess(name: str, lex: Lexicon) -> str:
    """A Latin spelling of a transliterated name, part by part: 麦克斯·霍达克 → 'max hodak'."""
    first = _table(lex, "translit_first_names")
    family = _table(lex, "translit_surnames")
    spelling = _table(lex, "translit_spelling")
    parts = [p for p in name.split(_DOT) if p]
    out = []
    for i, part in enumerate(parts):
        if i < len(parts) - 1 and part in first:
            out.append(first[part])
            continue
        if i and part in family:  # a family name, last or in the middle (杰克·帕克·霍尔德)
            out.append(family[part])
            continue
        out.append("".join(spelling.get(ch) or "".join(pinyin(ch)) for ch in part))
    return " ".join(out)


def _letters(text: str) -> str:
    return _LETTERS.sub("", text.lower())


def closest_name(guess: str, known: list[str], cutoff: float = 0.6) -> str | None:
    """The known English name that sounds most like `guess` (a romanised Chinese form), if close enough."""
    g = _letters(guess)
    best, best_score = None, cutoff
    for name in known:
        words = name.split()
        # 'Hodak Max' and 'Max Hodak': names are written in both orders
        forms = {_letters(name), _letters(" ".join(reversed(words)))}
        score = max(difflib.SequenceMatcher(None, g, f).ratio() for f in forms)
        if score > best_score:
            best, best_score = name, score
    return best


def translit_id(name: str, lex: Lexicon, known: list[str]) -> tuple[str, str | None]:
    """(id, English name if known) of a transliterated name."""
    guess = translit_guess(name, lex)
    english = closest_name(guess, known)
    return slugify(english or guess), english


def chinese_id(name: str, lex: Lexicon, known: list[str]) -> tuple[str, str | None]:
    """(id, English name if known) of a Chinese name: the manifest's spelling where it lists one."""
    spoken = chinese_name_reading(name, lex)
    english = closest_name(spoken, known, cutoff=0.85)
    return slugify(english or spoken), english


@lru_cache(maxsize=4096)
def is_common_word(text: str) -> bool:
    """A word of the segmenter's dictionary that is no person's name: 金融, 高层, 方面 look like a
    family name + given name but are none (the dictionary tags names nr)."""
    import rjieba

    if not rjieba.has_word(text):  # tag() alone would guess a tag for an unknown word too
        return False
    tagged = rjieba.tag(text)
    return len(tagged) == 1 and tagged[0][0] == text and not tagged[0][1].startswith("nr")
