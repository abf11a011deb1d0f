"""Discovery: Latin-script entity names the lexicon lacks, and the people of an unknown episode."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from typing import NamedTuple

from app.ingest.manifest import slugify
from app.ingest.romanize import is_common_word
from app.ingest.types import EntityDef
from app.lexicon import Lexicon, deaccent, key_variants, nfkc, norm

_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:'s)?(?:\.[0-9]+(?:[A-Za-z](?![A-Za-z]))?)*(?:[ \-][A-Za-z0-9]+(?:\.[0-9]+(?:[A-Za-z](?![A-Za-z]))?)*){0,4}")
_ACRONYM_NUM = re.compile(r"^[A-Za-z]{1,4}\d+[A-Za-z]?$")
_TITLE = re.compile(r"^[A-Z][a-z]+(?:['\-][A-Za-z]+)?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_HAS_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_NL = re.compile("\n")
_YEAR_END = re.compile(r"[ \-]?(?:19|20)\d\d$")  # a year that ends a span right before 年 (Scale AI 2025年)
_GLOSS_BACK = 40  # how far back the "(" of a gloss may be (a gloss may wrap a line)


def _no_year(t: str, m: re.Match, span: str) -> str:
    """span (the text of Latin match m of t) without the year that ends it right before 年:
    in Meta 2024年 the year is no version."""
    return _YEAR_END.sub("", span) if t.startswith("年", m.end()) else span


def is_gloss(t: str, s: int, e: int) -> bool:
    """t[s:e] (NFKC text) is the parenthesised English gloss of a title in 《》:
    《充满爱意的机器（Machines of\nLoving Grace）》 names an essay, not an entity. (A gloss
    outside a title is kept: 红杉资本（Sequoia Capital） is a company.)"""
    j = e
    while j < len(t) and t[j] == " ":
        j += 1
    if j >= len(t) or t[j] != ")":
        return False
    o = t.rfind("(", max(0, s - _GLOSS_BACK), s)
    if o <= 0 or ")" in t[o:s] or _CJK.search(t[o:s]):
        return False
    b = t.rfind("《", max(0, o - _GLOSS_BACK), o)
    return b >= 0 and "》" not in t[b:o] and "》" in t[j:j + 3]


# the end of a term's gloss: its bracket, perhaps after the short form (启发式学习（Heuristic Learning，简称HL）)
_TERM_END = re.compile(r"(?:[,，]? *简称 *[A-Za-z0-9\-]+ *)?\)")
_GLOSS_SMALL = frozenset(["of", "the", "and", "for", "in", "to", "on", "with"])


def is_term_gloss(t: str, s: int, e: int, c: dict) -> bool:
    """t[s:e] is the English gloss of a Chinese term, right after it in brackets:
    极致协同设计（Extreme Co-Design）, 热座（Hot Desking）. Not a gloss: a name whose Chinese is a
    transliteration (阿格拉瓦尔（Pulkit Agrawal）), a gloss starting with a first name, a company
    (红杉资本（Sequoia Capital）), anything but two or three plain capitalised words (with perhaps
    a small word between them: 扩大规模的时代（Age of Scaling））."""
    if _TERM_END.match(t, e) is None:
        return False
    words = t[s:e].split()
    if len(words) == 3 and words[1] in _GLOSS_SMALL:
        words = [words[0], words[2]]
    if not 2 <= len(words) <= 3 or not all(_TITLE.match(w) for w in words):
        return False
    if words[0].lower() in c["first_names"] or any(w.lower() in c["suffixes"].get("company", ()) for w in words) \
            or words[-1].lower() in c["company_ends"]:  # 罗宾汉基金会（Robin Hood Foundation）
        return False
    o = s - 1
    while o >= 0 and t[o] == " ":
        o -= 1
    if o < 2 or t[o] != "(":
        return False
    before = t[o - 2:o]
    if not (_CJK.fullmatch(before[0]) and _CJK.fullmatch(before[1])) or all(ch in c["translit"] for ch in before):
        return False
    b = o
    while b > 0 and _CJK.fullmatch(t[b - 1]) and o - b < 4:
        b -= 1
    # a Chinese name in pinyin (赵晟佳（Shengjia Zhao）): the run may start with its surname
    return not any(t[k] in c["surnames"] and len(words) == 2 and 2 <= o - k <= 3 for k in range(b, o - 1))


_CLOSING = re.compile(" *" + _TERM_END.pattern)  # what follows a gloss (see is_gloss, is_term_gloss)


def _gloss(t: str, m: re.Match, c: dict) -> bool:
    """The Latin span m of t is a gloss (is_gloss or is_term_gloss); most spans are not followed
    by a closing bracket, which rules out both at once."""
    s, e = m.span()
    return _CLOSING.match(t, e) is not None and (is_gloss(t, s, e) or is_term_gloss(t, s, e, c))


@lru_cache(maxsize=4)
def _disc_cfg(lex_id: int, lex: Lexicon) -> dict:
    d = lex.discovery
    stop = {str(w).lower() for w in (d.get("latin_stopwords") or [])}
    stop |= {str(w).lower() for w in (d.get("latin_stopwords_more") or [])}
    stop |= {str(w).lower() for w in (d.get("latin_stopwords_common") or [])}
    stop |= {str(w).lower() for w in (d.get("benchmarks") or [])}
    tail = re.compile("^" + d.get("version_tail", r"(?:[ \-]?\d+(?:\.\d+)*)+") + "$", re.I)
    return {
        "stop": stop,
        "tail": tail,
        "min_len": int(d.get("min_len", 3)),
        "benchmark_ends": {str(w).lower() for w in (d.get("benchmark_ends") or [])},
        "code_not_names": tuple(str(w).lower() for w in d.get("code_not_names") or []),
        "suffixes": {t: [str(s).lower() for s in v] for t, v in (d.get("type_suffixes") or {}).items()},
        "company_ends": {str(w).lower() for w in (d.get("company_name_ends") or [])},
        "family_types": d.get("family_types") or {},
        # minted ids written in the canonical order of their family (claude-4.6-opus → claude-opus-4.6)
        "id_order": [(re.compile(str(r["pattern"])), str(r["id"])) for r in d.get("id_order") or []],
        "not_ai_company": stop | {str(w).lower() for w in (d.get("ai_field_words") or [])},
        "variant_caps": {str(w).lower() for w in (d.get("variant_caps") or [])},
        "implied_family": {str(k).lower(): str(v) for k, v in (d.get("implied_family") or {}).items()},
        "named_after": re.compile("(?:%s)([A-Z][A-Za-z0-9]+)(?![A-Za-z0-9])" % "|".join(map(re.escape, d["named_after"])))
        if d.get("named_after") else None,
        # two Latin words joined as items of one list (Uber和Lyft, Oracle、Crusoe): (?=…) lets an item
        # be the second of one pair and the first of the next; the look-behind comes after the first
        # letter so that the pattern starts with a character class, which re searches for faster
        "siblings": re.compile(r"([A-Z](?<![A-Za-z0-9][A-Z])[A-Za-z0-9]*) *(?:%s) *(?=([A-Z][A-Za-z0-9]*)(?![A-Za-z0-9]))"
                               % "|".join(map(re.escape, sorted(d["list_joiners"], key=len, reverse=True))))
        if d.get("list_joiners") else None,
        "translit": set(str(d.get("translit_chars", ""))),
        "translit_max": int(d.get("translit_max", 5)),
        "particles": set(str(d.get("name_particles", ""))),
        "not_person": {str(w).lower() for w in (d.get("not_person_words") or [])},
        "first_names": {str(w).lower() for w in (d.get("first_names") or [])},
        "surnames": set(str(d.get("chinese_surnames", ""))),
        "short_person": _short_people(lex, first=False),
        "first_person": _short_people(lex, first=True),
    }


def _short_people(lex: Lexicon, first: bool) -> dict[str, str]:
    """Latin short forms of lexicon people that name exactly one of them: the short forms the
    lexicon lists (Altman, Raschka), or with first=True their first names (Ilya, Max)."""
    seen: dict[str, set[str]] = {}
    for eid, ent in lex.entities.items():
        if ent.type != "person":
            continue
        if first:
            forms = [parts[0] for full in [ent.name, *ent.aliases]
                     if len(parts := full.split()) >= 2 and all(p.isascii() for p in parts)]
        else:
            forms = lex.person_short.get(eid, [])
        for f in forms:
            if f.isascii() and f[:1].isupper():
                seen.setdefault(f.lower(), set()).add(eid)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


class DocCounts(dict):
    """Latin word counts of one document, the first names of the people it names in full, and
    the lexicon entities its alias pass found (`named`, set by the extractor)."""

    first_names: dict[str, str]
    named: set[str] | frozenset[str] = frozenset()
    cache: dict[str, dict]


def cfg(lex: Lexicon) -> dict:
    return _disc_cfg(id(lex), lex)


def _pair_type(words: list[str], c: dict) -> str:
    """Two or three capitalised words: a company, a person, or (with common vocabulary) a product."""
    low = [w.lower() for w in words]
    if any(w in c["suffixes"].get("company", ()) or w in ("inc", "capital", "ventures", "fund") for w in low):
        return "company"
    if any(w in c["not_person"] for w in low):
        return "product"
    return "person"


def discover_latin(text: str, lex: Lexicon, known_spans: list[tuple[int, int, str, str]] | None = None,
                   doc_counts: dict[str, int] | None = None, skip: set[str] | None = None) -> dict[str, EntityDef]:
    """Latin names in `text` (original script) that the alias table does not cover.

    A known family followed by a version tail becomes a more specific entity
    ("Gemini 3.1 Pro" → gemini-3.1-pro); an unknown name is kept when it looks like a
    name (CamelCase, or a capitalised word seen at least twice in the document, or two
    capitalised words = a person) and is not common vocabulary.
    """
    c = cfg(lex)
    out: dict[str, EntityDef] = {}
    cache = getattr(doc_counts, "cache", None)
    t = deaccent(unicodedata.normalize("NFKC", text))
    for m in _LATIN.finditer(t):
        span = _no_year(t, m, m.group().strip(" -"))
        if not span or len(span) > 60:
            continue
        if _gloss(t, m, c) and not lex.match_entities(norm(span)):
            continue
        got = cache.get(span) if cache is not None else None
        if got is None:
            got = _span_entities(span, lex, c, doc_counts, skip)
            if cache is not None:
                cache[span] = got
        for eid, edef in got.items():
            out.setdefault(eid, edef)
    return out


def latin_by_unit(raws: list[str], lex: Lexicon, doc_counts: DocCounts, skip: set[str] | None) -> dict[int, list[dict]]:
    """discover_latin of each unit that holds a Latin letter, as {unit: [the entities of each
    Latin span]} (spans without an entity left out): one NFKC and one span search for all units."""
    out: dict[int, list[dict]] = {}
    text = "\n".join(raws)
    t = deaccent(nfkc(text)) if text.count("\n") == len(raws) - 1 else ""
    if not raws or t.count("\n") != len(raws) - 1:  # a unit holding a line break: one by one
        for i, r in enumerate(raws):
            if _HAS_LATIN.search(r):
                got = discover_latin(r, lex, None, doc_counts, skip)
                if got:
                    out[i] = [got]
        return out
    c = cfg(lex)
    cache = doc_counts.cache
    found = list(_LATIN.finditer(t))
    spans = list(map(_MATCHED, found))
    # most spans name nothing (known aliases, common words): read each distinct span once, and
    # walk only the matches of those that name something, or may once a year before 年 is dropped
    keep = set()
    for span in dict.fromkeys(spans):
        if len(span) <= 60:  # (a span starts and ends with a letter or digit: no " -" to strip)
            got = cache.get(span)
            if got is None:
                got = cache[span] = _span_entities(span, lex, c, doc_counts, skip)
            if got or _YEAR_END.search(span):
                keep.add(span)
    # the unit of the previous span, where it starts, whether the unit holds a Latin letter
    # (NFKC makes Latin letters of some other characters: ㎡, Ⅻ)
    i, at, latin = 0, 0, _HAS_LATIN.search(raws[0]) is not None
    for m in compress(found, map(keep.__contains__, spans)):
        s = m.start()
        k = t.count("\n", at, s)  # the units since the previous span
        at = s
        if k:
            i += k
            latin = _HAS_LATIN.search(raws[i]) is not None
        if not latin:
            continue
        span = _no_year(t, m, m.group())
        if not span:
            continue
        if _gloss(t, m, c) and not lex.match_entities(norm(span)):
            continue
        got = cache.get(span)
        if got is None:
            got = cache[span] = _span_entities(span, lex, c, doc_counts, skip)
        if got:
            out.setdefault(i, []).append(got)
    return out


_MATCHED = re.Match.group  # the text of a match, as a function for map()


def _key_hits(span: str, lex: Lexicon) -> tuple[str, list]:
    """norm(span) and its alias matches (asked once per span: _span_fixed keeps the answer)."""
    key = norm(span)
    return key, lex.match_entities(key)


_VARIANT_WORD = re.compile(r"^[A-Z][a-z]+$")
_V_VERSION = re.compile(r"^[Vv]\d+(?:\.\d+)?$")
_CAPS_WORD = re.compile(r"^[A-Z]{2,5}$")
# a model's code after its maker (MiniMax M3, Kimi K2), not a quarter, a half or a fiscal year
# (Q3, H1, FY25) nor a job level (Meta E9, L5, P7)
_MODEL_CODE = re.compile(r"^(?![QHELPT]\d|FY)[A-Z]{1,2}\d{1,2}(?:\.\d)?$")


def _named_variant(span: str, key: str, e: int, fam: EntityDef | None, c: dict) -> EntityDef | None:
    """A known model or product followed by a name of its own (Claude Cowork, ChatGPT Atlas,
    Claude for Work, Claude Fable 5, Llama 4 Maverick): a more specific product, or a model
    when the family is one; a company followed by one name is its product (GitHub Spark). The
    words after the family: one or two capitalised words, perhaps after "for"/"in", perhaps
    ending in a version number; none common vocabulary (Gemini API, H100 GPU and Gemini
    Enterprise stay their family)."""
    if fam is None or len(span) != len(key):
        return None
    head = span[:e].rstrip()
    words = span[e:].split()
    if not head or not words:
        return None
    if span[len(head):len(head) + 1] == "-" and len(head) == e:
        # joined by a hyphen, a company's name too (DeepSeek-OCR 2, DeepSeek-Prover)
        words = [words[0].lstrip("-"), *words[1:]]
        if words[-1].isdigit() and len(words) > 1:
            words = words[:-1]
        if len(words) == 1 and (_VARIANT_WORD.match(words[0]) or _CAPS_WORD.match(words[0])) \
                and words[0].lower() not in c["stop"] - c["variant_caps"]:
            return EntityDef(id=slugify(span), type=c["family_types"].get(fam.type, "product"), name=span)
        return None
    if span[len(head):len(head) + 1] != " ":
        return None
    if fam.type == "company":  # a company's product of one name: GitHub Spark, Amazon Bedrock
        if len(words) == 1 and _VARIANT_WORD.match(words[0]) and words[0].lower() not in c["stop"]:
            return EntityDef(id=slugify(span), type="product", name=span)
        if len(words) == 1 and _MODEL_CODE.match(words[0]):  # …and its model of a code: MiniMax M3
            return EntityDef(id=slugify(span), type=c["family_types"].get("company", "model"), name=span)
        return None
    if fam.type not in ("model", "product"):
        return None
    if words[0] in ("for", "in") and len(words) > 1:
        words = words[1:]
    if words[-1].isdigit() and len(words) > 1:
        words = words[:-1]
    if not 1 <= len(words) <= 2 or not all(_VARIANT_WORD.match(w) and w.lower() not in c["stop"] for w in words):
        return None
    eid = slugify(span)
    return EntityDef(id=eid, type=c["family_types"].get(fam.type, "product"), name=span)


_VERSION_NEXT = re.compile(r"\s*v?\d")


def _span_entities(span: str, lex: Lexicon, c: dict, doc_counts, skip) -> dict[str, EntityDef]:
    """The entities of one Latin span (see discover_latin)."""
    first = span.split(" ", 1)[0]
    family = c["implied_family"].get(first.lower())
    if family and _VERSION_NEXT.match(span, len(first)):  # Sonnet 4.6 is Claude Sonnet 4.6
        return _span_entities(f"{family} {span}", lex, c, doc_counts, skip)
    got = _span_fixed(span, lex)
    if isinstance(got, _Versioned):  # DeepEncoder V2: whether DeepEncoder names something
        ver = _with_version(_span_entities(got.base_span, lex, c, doc_counts, skip), got.base_span, got.version, got.span)
        if ver is not None:
            return ver
        got = got.otherwise
    if isinstance(got, str):  # a single word, which the document's counts and names decide on
        return _word_entities(got, lex, c, doc_counts, skip)
    return got


@lru_cache(maxsize=1 << 14)
def _span_fixed(span: str, lex: Lexicon) -> dict[str, EntityDef] | str | _Versioned:
    """The entities of a Latin span as far as the lexicon alone tells (the same in every
    document; callers only read the dict), or the single word left of it (stop words dropped),
    whose reading depends on the document (_word_entities), or a name with a version whose
    name alone the document decides on (_Versioned)."""
    c = cfg(lex)
    out: dict[str, EntityDef] = {}
    key, hits = _key_hits(span, lex)
    covered = sum(e - s for s, e, _, _ in hits)
    if hits and covered >= len(key.replace(" ", "")) - 0 and covered >= len(key) - key.count(" "):
        return out
    # family + version tail
    if hits and hits[0][0] == 0:
        s, e, _, fid = hits[0]
        rest = key[e:]
        tm = c["tail"].match(rest) if rest.strip() else None
        if tm is None and rest.strip():
            # keep only the longest prefix of the rest that is a version tail
            best = 0
            for j in range(len(rest), 0, -1):
                if c["tail"].match(rest[:j]) and (j == len(rest) or rest[j] == " "):
                    best = j
                    break
            if best:
                rest = rest[:best]
                tm = True
            else:
                named = _named_variant(span, key, e, lex.entities.get(fid), c)
                if named is not None:
                    out[named.id] = named
                return out
        if tm and rest.strip():
            fam = lex.entities.get(fid)
            if fam is None or fam.type == "person":
                return out
            name = span[: len(span) - (len(key) - e - len(rest))] if len(span) == len(key) else span
            eid = slugify(key[: e + len(rest)].replace(" ", "-"))
            canonical = _in_order(eid, c)
            if canonical != eid and canonical in lex.entities:  # Claude 4.6 Opus: claude-opus-4.6
                out[canonical] = lex.entities[canonical]
                return out
            eid = canonical
            if eid in lex.entities:
                return out
            etype = c["family_types"].get(fam.type, "model")
            out.setdefault(eid, EntityDef(id=eid, type=etype, name=name.strip()))
        return out
    if hits:
        return out
    glued = _GLUED.match(span)
    if glued:  # a name with its version written on (AlphaFold2, TPUv7): see _glued
        return _glued(span, *glued.groups(), lex)
    words = span.split()
    low = [w.lower() for w in words]
    if (len(words) >= 2 and low[-1] in c["company_ends"] and words[0][:1].isupper()) or (
            len(words) == 2 and low[1] == "ai" and _TITLE.match(words[0]) and low[0] not in c["not_ai_company"]):
        # a company, common words and all: Science Corporation, Thinking Machines Lab; or named
        # X AI: Surge AI, Liquid AI (a known X was read above: Google AI is google)
        eid = slugify(span)
        if eid not in lex.entities:
            out.setdefault(eid, EntityDef(id=eid, type="company", name=span))
        return out
    if len(words) >= 2 and _V_VERSION.match(words[-1]) and words[-2].lower() not in c["stop"]:
        # an unknown name with a version (DeepEncoder V2): the name, then the version added
        base_span = " ".join(words[:-1])
        base = _span_fixed(base_span, lex)
        if isinstance(base, (str, _Versioned)):  # the document decides on the name
            return _Versioned(base_span, words[-1], span, _span_tail(span, words, low, c))
        ver = _with_version(base, base_span, words[-1], span)
        if ver is not None:
            return ver
    return _span_tail(span, words, low, c)


def _in_order(eid: str, c: dict) -> str:
    """eid in the canonical word order of its family (data: discovery.yaml id_order)."""
    for rx, repl in c["id_order"]:
        m = rx.fullmatch(eid)
        if m:
            return m.expand(repl)
    return eid


# a name of three letters or more and a version written on to it (AlphaFold2, TPUv7)
_GLUED = re.compile(r"^([A-Za-z]{3,}?)(v?\d+(?:\.\d+)?)$")


def _glued(span: str, base_span: str, version: str, lex: Lexicon) -> dict[str, EntityDef] | str:
    """_span_fixed of a name with its version written on. A model or product of the lexicon whose
    versions are spaced takes the version as when it is spaced (AlphaFold2 is alphafold-2, as
    AlphaFold 2 is; TPUv7 is tpu-v7; an alias of the spaced form is that entity); anything else
    stays one word, which the document decides on (HBM5 beside the lexicon's hbm4, DreamerV3)."""
    base_key, base_hits = _key_hits(base_span, lex)
    if len(base_hits) != 1 or base_hits[0][1] - base_hits[0][0] != len(base_key):
        return span
    fam = lex.entities.get(base_hits[0][3])
    if fam is None or fam.type not in ("model", "product") or _versions_written_on(fam.id, lex):
        return span
    spaced = f"{base_span} {version}"
    got = _span_fixed(spaced, lex)
    if got == {}:  # the spaced form is an alias (or the version no tail): its entity, if one
        key, hits = _key_hits(spaced, lex)
        if len(hits) == 1 and hits[0][1] - hits[0][0] == len(key) and hits[0][3] in lex.entities:
            return {hits[0][3]: lex.entities[hits[0][3]]}
    return got


@lru_cache(maxsize=1024)
def _versions_written_on(fid: str, lex: Lexicon) -> bool:
    """Whether the lexicon writes a version of this family on to its name (hbm4, qwen3)."""
    return any(e.startswith(fid) and e[len(fid):len(fid) + 1].isdigit() for e in lex.entities)


class _Versioned(NamedTuple):
    """A name with a version whose name alone the document decides on (see _span_fixed)."""

    base_span: str
    version: str
    span: str
    otherwise: dict[str, EntityDef] | str  # the span read as if it had no version


def _with_version(base: dict[str, EntityDef], base_span: str, version: str, span: str) -> dict[str, EntityDef] | None:
    """{name-vN: …} when the name alone (base_span) is one entity of that very name, else None."""
    if len(base) != 1:
        return None
    (bid, bdef), = base.items()
    if bdef.type == "person" or bdef.name != base_span:
        return None
    eid = f"{bid}-{version.lower()}"
    return {eid: EntityDef(id=eid, type=bdef.type, name=span)}


def _span_tail(span: str, words: list[str], low: list[str], c: dict) -> dict[str, EntityDef] | str:
    """The end of _span_fixed: stop words dropped at the edges, then a single word (returned as
    such), two or three capitalised words, or a name with a digit."""
    out: dict[str, EntityDef] = {}
    if len(words) > 1 and low[-1] in c["benchmark_ends"]:
        return out  # a benchmark (Turing-AGI Test): no entity
    if any(w in c["stop"] for w in low) and len(words) > 1:
        # drop stop words at the edges ("OpenAI CEO" is handled by the alias pass)
        while words and words[0].lower() in c["stop"]:
            words = words[1:]
        while words and words[-1].lower() in c["stop"]:
            words = words[:-1]
        if not words or any(w.lower() in c["stop"] for w in words):
            return out
        span = " ".join(words)
        low = [w.lower() for w in words]
    if len(words) == 1:
        return words[0]
    elif "".join(low) in c["stop"]:
        return out  # a stop word written in two (Neo Clouds of neoclouds)
    elif 2 <= len(words) <= 3 and all(_TITLE.match(w) for w in words):
        eid = slugify(span)
        etype = _pair_type(words, c)
        out.setdefault(eid, EntityDef(id=eid, type=etype, name=span))
    elif any(ch.isdigit() for ch in span) and words[0][:1].isupper() and not words[0].isupper():
        eid = slugify(span)
        out.setdefault(eid, EntityDef(id=eid, type="model", name=span))
    return out


def _word_entities(w: str, lex: Lexicon, c: dict, doc_counts, skip) -> dict[str, EntityDef]:
    """The entities of a Latin span that is the single word w (see _span_fixed)."""
    low_w = w.lower()
    if skip and low_w in skip:
        return {}
    # a first name or short form of a person: that person, never a product. A lexicon
    # person's bare first name only where the document names them otherwise too (Max
    # alone is as often a plan or a product tier: Max版, Max套餐)
    pid = getattr(doc_counts, "first_names", {}).get(low_w) or c["short_person"].get(low_w)
    if not pid and c["first_person"].get(low_w) in getattr(doc_counts, "named", ()):
        pid = c["first_person"][low_w]
    if pid:
        ent = lex.entities.get(pid)
        return {pid: ent or EntityDef(id=pid, type="person", name=w)}
    named, camel = _word_name(w, lex)
    if named and (camel or (doc_counts or {}).get(w, 0) >= 2):
        return named
    if _CODE_NAME.match(w) and (doc_counts or {}).get(w, 0) >= 3 and not low_w.startswith(c["code_not_names"]):
        # a product code the text names again and again (MI455X, twelve times): a name, though
        # a code said once or twice (P99, B2B) is none
        eid = slugify(w)
        return {eid: EntityDef(id=eid, type="product", name=w)}
    return {}


_CODE_NAME = re.compile(r"^(?=(?:.*\d){2})[A-Z]{1,4}\d+[A-Z]?$")


@lru_cache(maxsize=1 << 14)
def _word_name(w: str, lex: Lexicon) -> tuple[dict[str, EntityDef], bool]:
    """What the single word w names where the document takes it for a name ({id: def}; none
    for a stop word, a short or lower-case word, an acronym), and whether it is CamelCase,
    which alone makes it a name: the same in every document (callers only read the dict)."""
    c = cfg(lex)
    if w.lower() in c["stop"] or len(w) < c["min_len"] or w.islower() or w.isdigit():
        return {}, False
    if _ACRONYM_NUM.match(w) or (w.isupper() and len(w) <= 5):
        return {}, False
    camel = any(ch.isupper() for ch in w[1:]) and any(ch.islower() for ch in w)
    etype = "model" if any(ch.isdigit() for ch in w) else "product"
    for t_, sfx in c["suffixes"].items():
        if any(w.lower().endswith(s) and len(w) > len(s) + 1 for s in sfx):
            etype = t_
    eid = slugify(w)
    return {eid: EntityDef(id=eid, type=etype, name=w)}, camel


# the last part of a dotted name, right before its Latin gloss (a literal "·" first: a fast search)
_GLOSSED_NAME = re.compile(r"·([\u4e00-\u9fff]+) *\( *([a-z][a-z'\-]+(?: [a-z][a-z'\-]+){1,2}) *\)")


def glossed_surnames(doc: str, lex: Lexicon, doc_counts: DocCounts, skip: set[str] | None) -> dict[str, EntityDef]:
    """Family names of people the document names in full and glosses in Latin (迈克尔·卡根
    (Michael Kagan)): {卡根: the person}, so that later mentions by family name alone name them
    too. doc: the normalised document (norm). A family name that is a common word, or is already
    a lexicon alias, or names two people of the document, is left out."""
    c = cfg(lex)
    out: dict[str, EntityDef] = {}
    clash: set[str] = set()
    for m in _GLOSSED_NAME.finditer(doc):
        family = m.group(1)
        if len(family) < 2:
            continue
        people = [d for d in _span_entities(_title(m.group(2)), lex, c, doc_counts, skip).values() if d.type == "person"]
        if len(people) != 1:
            continue
        if family in out and out[family].id != people[0].id:
            clash.add(family)
        out.setdefault(family, people[0])
    return {k: v for k, v in out.items()
            if k not in clash and not lex.match_entities(k) and not is_common_word(k)}


def _title(latin: str) -> str:
    """'michael kagan' → 'Michael Kagan' (norm folds case; the span rules read capitals)."""
    return " ".join(w[:1].upper() + w[1:] for w in latin.split())


# a Latin word, and the space after it when a capitalised word follows ("First Last": a pair)
_WORD = re.compile(r"([A-Za-z][A-Za-z0-9]+)( (?=[A-Z][a-z]+(?![A-Za-z0-9])))?")


def latin_counts(lines: list[str], lex: Lexicon | None = None) -> DocCounts:
    """Counts of Latin words, and first name → person id of "First Last" pairs of the text."""
    text = deaccent("\n".join(lines))  # no pair across lines: a "\n" is not the " " a pair needs
    words = _WORD.findall(text)  # [(word, " " when a capitalised word follows)]
    counts = DocCounts(Counter(map(itemgetter(0), words)))
    counts.cache = {}
    counts.first_names = {}
    get = counts.get
    c = cfg(lex) if lex is not None else None
    if c is not None and c["named_after"] is not None:
        # a word right after a class noun (云安全公司Wiz, 社交平台Moltbook) names something,
        # even when the text names it only once: it counts as seen twice
        for m in c["named_after"].finditer(text):
            counts[m.group(1)] = max(get(m.group(1), 0), 2)
    if c is not None and c["siblings"] is not None:
        # a word listed beside a known name is a name of the same kind, even when the text names
        # it only once (Facebook和Instagram, Oracle、Crusoe): it counts as seen twice
        for m in c["siblings"].finditer(text):
            for w, other in ((m.group(1), m.group(2)), (m.group(2), m.group(1))):
                if get(w, 0) < 2 and lex.match_entities(norm(other)):
                    counts[w] = 2
    if c is not None:
        pairs: dict[str, str] = {}
        for i in compress(range(len(words)), map(itemgetter(1), words)):
            first = words[i][0]
            if _TITLE.match(first):
                pairs.setdefault(first.lower(), first + " " + words[i + 1][0])
        nt = None
        for first, full in pairs.items():
            pid = _pair_person(first, full, lex)
            if pid is None:
                continue
            # a word the text used alone before the pair (Polymarket … Polymarket Agents) is a
            # name of its own, not the first name of a person the pair names
            w = full.split(" ", 1)[0]
            if len(re.findall(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text[:text.find(full)])) >= 2:
                continue
            # a pair only ever glossing a Chinese term (循环工程（Loop Engineering）) names no one
            nt = nfkc(text) if nt is None else nt
            at = [m.start() for m in re.finditer(re.escape(full), nt)]
            if at and all(is_term_gloss(nt, a, a + len(full), c) for a in at):
                counts[w] = min(get(w, 0), 1)  # nor is its first word alone a name seen twice
                continue
            counts.first_names[first] = pid
    return counts


@lru_cache(maxsize=1 << 13)
def _pair_person(first: str, full: str, lex: Lexicon) -> str | None:
    """The person a "First Last" pair of a document names, if any (the lexicon alone tells:
    asked once per pair, not once per document). first: the first name in lower case."""
    c = cfg(lex)
    if first in c["stop"] or lex.match_entities(first):
        return None
    hits = lex.match_entities(norm(full))
    if hits:
        ent = lex.entities.get(hits[0][3])
        return ent.id if ent is not None and ent.type == "person" and hits[0][0] == 0 else None
    return slugify(full) if _pair_type(full.split(), c) == "person" else None
