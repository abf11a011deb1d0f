"""User string → concepts → a safe FTS5 expression; never raises, whatever the input.

The user's text is never pasted into FTS5 syntax: it is tokenized with the index's own
tokenizer, and only the resulting tokens (lower-case letter/digit or CJK runs) are quoted
into the expression. Operators, quotes, `col:`, `^`, `*` and control characters therefore
have no meaning here; they are just punctuation between words.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from app.search.data import entity_forms, stop_words, synonym_groups, theme_keywords
from app.text.tokenize import alias_table, fold_plain, is_latin, tokens

MAX_QUERY_CHARS = 500
MAX_CONCEPTS = 12


def entity_token(entity_id: str) -> str:
    """The token an entity id gets in claims.entity_text (same rule as app.ingest.store.entity_tokens)."""
    return "e_" + "".join(c if c.isalnum() else "_" for c in entity_id.lower())


@dataclass
class Concept:
    """One thing the user asked for: any of `alternatives` (token tuples) or any of `entities`."""

    label: str
    alternatives: list[tuple[str, ...]] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    position: int = 0
    speakers: list[str] = field(default_factory=list)  # speaker ids this word names (迪伦 → dylan-patel)
    n_exact: int = 1  # alternatives[:n_exact] are the word itself and its entity's spellings; the rest synonyms

    def fts(self) -> str:
        parts = []
        alts = sorted(set(self.alternatives))
        if alts:
            parts.append("search_text : (" + " OR ".join(_quote(a) for a in alts) + ")")
        for eid in self.entities:
            # entity_text holds 'e_nvidia', which unicode61 splits into 'e' 'nvidia'; every row with an
            # entity has 'e', so the phrase without it is the same test at a fraction of the cost
            parts.append("entity_text : " + _quote(tuple(entity_token(eid).split("_")[1:])))
        return "(" + " OR ".join(parts) + ")"

    def exact_terms(self) -> set[str]:
        return {a[0] for a in self.alternatives[: self.n_exact] if len(a) == 1}

    def terms(self) -> set[str]:
        """Single index tokens that satisfy this concept (for highlighting and re-ranking)."""
        out = set()
        for alt in self.alternatives:
            if len(alt) == 1:
                out.add(alt[0])
        return out


@dataclass
class ParsedQuery:
    text: str
    concepts: list[Concept]
    themes: list[str] = field(default_factory=list)  # themes a query word names (数据中心 → datacenters)

    @property
    def empty(self) -> bool:
        return not self.concepts

    @property
    def entities(self) -> list[str]:
        return [e for c in self.concepts for e in c.entities]

    def match_any(self) -> str:
        return " OR ".join(c.fts() for c in self.concepts)

    def add_speakers(self, names: dict[str, tuple[str, list[tuple[str, ...]]]]) -> None:
        """Mark concepts that name a speaker of the database (`names`: token → (speaker id, the
        token tuples of all its spellings)): the claims that person says count as a hit, and
        every spelling of the name (Dylan ↔ 迪伦) is searched in the text."""
        for c in self.concepts:
            sid = None
            for e in c.entities:
                if any(v[0] == e for v in names.values()):
                    sid = e
            if sid is None and c.label in names:
                sid = names[c.label][0]
            if sid is None or sid in c.speakers:
                continue
            c.speakers.append(sid)
            spellings = next(v[1] for v in names.values() if v[0] == sid)
            for alt in spellings:
                if alt not in c.alternatives:
                    c.alternatives.insert(c.n_exact, alt)
                    c.n_exact += 1

    def match_all(self) -> str:
        return " AND ".join(c.fts() for c in self.concepts)

    def highlight_terms(self) -> set[str]:
        out: set[str] = set()
        for c in self.concepts:
            out |= c.terms()
        return out

    def highlight_phrases(self) -> list[tuple[str, ...]]:
        return [a for c in self.concepts for a in c.alternatives if len(a) > 1]


def _quote(tokens_: tuple[str, ...]) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in tokens_) + '"'


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, list[tuple[str, ...]]]:
    """Query token → alternative token tuples from its synonym group(s)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for group in synonym_groups():
        alts = []
        for word in group:
            toks = tuple(t.text for t in tokens(word, subwords=False))
            toks = _compact(word, toks)
            if toks:
                alts.append(toks)
        for alt in alts:
            if len(alt) == 1:
                out.setdefault(alt[0], [])
                out[alt[0]].extend(a for a in alts if a not in out[alt[0]])
    return out


def _compact(word: str, toks: tuple[str, ...]) -> tuple[str, ...]:
    """A name's joined alias token stands for its parts ('claude code' → 'claudecode')."""
    al = [t for t in tokens(word, subwords=False) if t.alias and len(t.text) > 0]
    if len(al) == 1 and len(toks) > 1 and "".join(toks) == al[0].text:
        return (al[0].text,)
    return toks


@lru_cache(maxsize=1)
def _entity_terms() -> dict[str, list[tuple[str, ...]]]:
    """Entity id → index token tuples of each of its spellings."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for eid, forms in entity_forms().items():
        alts: list[tuple[str, ...]] = []
        for form in forms:
            toks = tokens(form, subwords=False)
            named = [t for t in toks if t.alias == eid]
            alt = (named[-1].text,) if named else tuple(t.text for t in toks if not t.sub)
            if alt and alt not in alts:
                alts.append(alt)
        out[eid] = alts
    return out


@lru_cache(maxsize=1)
def _suffixes() -> dict[str, set[str]]:
    """Last part of a multi-word model name ('r1' of 'deepseek r1') → entity ids, for 'R1' alone."""
    out: dict[str, set[str]] = {}
    for seq, eid in alias_table().items():
        last = seq[-1]
        if len(seq) > 1 and is_latin(last) and any(c.isdigit() for c in last) and any(c.isalpha() for c in last):
            out.setdefault(last, set()).add(eid)
    return out


def _clean(text: str) -> str:
    text = text[:MAX_QUERY_CHARS]
    return "".join(ch if ch.isprintable() else " " for ch in text)


def parse_query(q: str | None) -> ParsedQuery:
    """Concepts of a user query: names (with every spelling), words (with synonyms), stop words dropped."""
    text = _clean(q or "")
    toks = [t for t in tokens(text, subwords=False) if not t.sub]
    stops = stop_words()
    words = {t.text for t in toks}
    concepts: list[Concept] = []
    seen: set[str] = set()
    for pos, tok in enumerate(toks):
        if len(concepts) >= MAX_CONCEPTS:
            break
        key = tok.text
        if key in seen:
            continue
        entity = tok.alias
        if entity is None and key in _suffixes():
            # 'R1' alone: the model whose name ends so, when unique or named by the rest of the query
            cands = _suffixes()[key]
            in_context = {e for e in cands if any(p in words for seq, e2 in alias_table().items() if e2 == e for p in seq[:-1])}
            pick = in_context or (cands if len(cands) == 1 else set())
            entity = next(iter(pick)) if len(pick) == 1 else None
        if entity is None and (key in stops or not key.strip()):
            continue
        seen.add(key)
        concept = Concept(label=key, alternatives=[(key,)], position=pos)
        if entity:
            concept.entities.append(entity)
            for alt in _entity_terms().get(entity, []):
                if alt not in concept.alternatives:
                    concept.alternatives.append(alt)
        concept.n_exact = len(concept.alternatives)
        for alt in _synonyms().get(key, []):
            if alt not in concept.alternatives:
                concept.alternatives.append(alt)
        concepts.append(concept)
    kw = theme_keywords()
    themes = sorted({t for c in concepts for t in kw.get(c.label, ())})
    return ParsedQuery(text=fold_plain(text), concepts=concepts, themes=themes)
