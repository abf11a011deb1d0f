"""Search vocabulary from data/search/*.yaml and the lexicon: domain words, stop words, synonyms, names."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from app.config import ROOT
from app.datafiles import read_yaml

SEARCH_DATA = ROOT / "data" / "search"


def _read(name: str) -> dict:
    path = SEARCH_DATA / name
    if not path.exists():
        return {}
    return read_yaml(path)


@lru_cache(maxsize=1)
def domain_words() -> tuple[str, ...]:
    """Words the segmenter must keep whole (后训练, 混合专家 …): data/search/words.yaml."""
    return tuple(str(w) for w in _read("words.yaml").get("words") or [])


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in _read("stopwords.yaml").get("stopwords") or [])


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """Groups of interchangeable query words (成本 / 费用 / 价格 / cost …): data/search/synonyms.yaml."""
    return tuple(tuple(str(w) for w in g) for g in _read("synonyms.yaml").get("groups") or [] if g)


def _lexicon():
    try:
        from app.lexicon import load_lexicon
    except ImportError:  # the lexicon module is optional: search still works on plain words
        return None
    try:
        return load_lexicon()
    except Exception:
        return None


@lru_cache(maxsize=1)
def entity_surfaces() -> dict[str, str]:
    """Every surface form of a known entity (names, Chinese names, aliases) → entity id."""
    lex = _lexicon()
    if lex is None:
        return {}
    out: dict[str, str] = {}
    for eid, ent in lex.entities.items():
        if ent.type == "person":
            forms = [ent.name] + ([ent.name_zh] if ent.name_zh else []) + list(ent.aliases)
        else:
            forms = ([ent.name] if "(" not in ent.name else []) + ([ent.name_zh] if ent.name_zh else []) + list(ent.aliases)
        for f in forms:
            if f and f.strip():
                out.setdefault(f.strip(), eid)
    return out


@lru_cache(maxsize=1)
def entity_forms() -> dict[str, tuple[str, ...]]:
    """Entity id → its surface forms (for expanding a name in a query to all its spellings)."""
    out: dict[str, list[str]] = {}
    for surface, eid in entity_surfaces().items():
        out.setdefault(eid, []).append(surface)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def theme_keywords() -> dict[str, frozenset[str]]:
    """Folded theme keyword (the lexicon's themes.yaml) → theme ids: a query word naming a theme."""
    lex = _lexicon()
    out: dict[str, set[str]] = {}
    for tid, words in (getattr(lex, "theme_keywords", None) or {}).items():
        for w in words:
            out.setdefault(str(w).replace(" ", ""), set()).add(tid)
    return {k: frozenset(v) for k, v in out.items()}
