"""Per-claim fields computed from the document scan: entities of a claim, entity-led lines."""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.ingest.attribute import Cue
from app.ingest.types import EntityDef
from app.lexicon import Lexicon, resolve

MAX_LINE = 4000  # longer units are matched on their first characters only


@dataclass(slots=True)
class Unit:
    """One unit of the transcript: a line, or a sentence piece of a very long line."""

    idx: int  # 0-based unit index
    raw: str  # exact original text of the unit
    n: str  # normalised, stripped
    line: int = 0  # 0-based index of the file line holding the unit
    cue: Cue | None = None
    excluded: bool = False
    question: bool = False
    break_line: bool = False  # an excluded question or transition: nothing carries over it
    hits: list | tuple = ()  # alias matches of the unit
    short: list | tuple = ()  # every match of a lexicon person's short form (unresolved)
    led: int = -1  # _entity_led cache: -1 unknown, else bit 1 = loose, bit 2 = strict


_ENTITY_LED_TAIL = re.compile(r"^(?:(?:的[^，,。]{0,6})?(?:则|的表现|无疑|选择|凭借|的核心|推出的|方面|也|同样|却"
                              r"|还|又|已经|一直|正在|率先|随后|采取了|引入了|推出了|宣布)"
                              # the entity itself acting, or not, and its ways (高盛将…上调至, 高盛针对这场冲突发布的
                              # 预测, 谷歌没有像OpenAI那样四处出击, 微软的策略是…)
                              r"|将|针对|发布|预计|预测|没有|并没有|坚持|的做法|的策略"
                              # …or its people acting (Anthropic的创始团队不是…)
                              r"|的(?:创始|核心|研究|工程|管理)?(?:团队|层))")
_LEAD = re.compile(r"^(?:而|但是|但|不过|同时)[，,]?")
_STRICT_TAIL = re.compile(r"^[^，,。]{0,24}则")
_TOPIC_LEAD = re.compile(r"^(?:而|但是|但|不过|同时)?[，,]?(?:对于|至于|针对|说到|谈到)")
_TOPIC_TAIL = re.compile(r"^(?:[^，,。]{0,6}?(?:来说|而言)|的表现|方面)")


def _after_leading_entity(ln: Unit) -> str | None:
    """The rest of a line that opens with an entity (after a connective such as 而, 但是), or None."""
    hits = ln.hits
    if not hits:
        return None
    m = _LEAD.match(ln.n)
    return ln.n[hits[0][1]:] if hits[0][0] == (m.end() if m else 0) else None


def entity_led(ln: Unit, strict: bool = False) -> bool:
    """A line that opens with an entity as its new subject (Google的表现则…, OpenAI则…)."""
    if not ln.hits:  # most lines: no entity at all
        return False
    if ln.led < 0:
        ln.led = 0
        rest = _after_leading_entity(ln)
        if rest is not None:  # a list of entities (A、B等) is not a new subject
            ln.led = (1 if _ENTITY_LED_TAIL.match(rest) else 0) | (2 if _STRICT_TAIL.match(rest) else 0)
        else:  # 对于OpenAI来说…: the next subject of a list, opened by a topic phrase
            m = _TOPIC_LEAD.match(ln.n)
            hits = ln.hits
            if m and hits[0][0] == m.end() and _TOPIC_TAIL.match(ln.n[hits[0][1]:]):
                ln.led = 1
    return bool(ln.led & (2 if strict else 1))


_LIST_NEXT = re.compile(r"^(?:[、，,和与及跟或等们]|以及)")


def subject_led(ln: Unit) -> bool:
    """A line that opens with an entity followed by its predicate (Intel目前面临…, AWS为亚马逊…),
    not by the next item of a list (A、B, A和B): a natural start of a claim."""
    rest = _after_leading_entity(ln)
    return rest is not None and not _LIST_NEXT.match(rest)


def _maker_named(eid: str, named: list[str], ents: dict) -> bool:
    """A model's short form (V3, R1) in a claim that already names its maker (DeepSeek 发布了
    V3模型): the model id extends the maker's id (deepseek-v3 ← deepseek)."""
    ent = ents.get(eid)
    if ent is None or ent.type != "model":
        return False
    return any(eid.startswith(m + "-") and getattr(ents.get(m), "type", "") == "company" for m in named)


def _extended(n: str, e: int, eid: str, found: list[dict]) -> bool:
    """The alias match ending at n[e] runs on in Latin (a space, then a letter or digit) into a
    name that discovery made a more specific entity of (claude → claude-cowork)."""
    if n[e:e + 1] != " " or not n[e + 1:e + 2].isascii() or not n[e + 1:e + 2].isalnum():
        return False
    return any(x.startswith(eid + "-") for got in found for x in got)


def claim_entities(lines_: list[Unit], lex: Lexicon, speaker_ids: set[str], latin: dict[int, list[dict]],
                   full_seen: set[str], used: dict[str, EntityDef]) -> list[str]:
    """Entities of a claim: alias matches, short forms of people named in full before, and
    the Latin names discovery found in its units (latin: discover.latin_by_unit)."""
    out: list[str] = []

    def add(eid: str, edef: EntityDef | None):
        if eid in speaker_ids or eid in out:
            return
        out.append(eid)
        if edef is not None:
            used.setdefault(eid, edef)

    ents = lex.entities
    for ln in lines_:
        found = latin.get(ln.idx, ())
        if not (ln.hits or ln.short or found) or not ln.n:
            continue  # most units of a claim name nothing
        for s, e, key, eid in ln.hits:
            if found and _extended(ln.n, e, eid, found):
                continue  # the family of a more specific name found in the same span (Claude Cowork)
            ent = ents.get(eid)
            if ent is not None and (ent.type == "person" or eid in lex.person_short):
                full_seen.add(eid)
            add(eid, ent)
        # short forms of people (and models: R1, V3) named in full earlier in this text
        if ln.short and (full_seen or out):
            cands = []
            for s, e, key, pids in ln.short:
                if s >= 2 and ln.n[s - 1] == " " and ln.n[s - 2].isascii() and ln.n[s - 2].isalnum():
                    continue  # the version of another name (DeepEncoder V2), not V2 of DeepSeek
                pid = next((p for p in pids if (p in full_seen or _maker_named(p, out, ents))
                            and p not in speaker_ids), None)
                if pid is not None:
                    cands.append((s, e, key, pid))
            for s, e, key, pid in resolve(cands):
                add(pid, ents.get(pid))
        for got in found:
            for eid, edef in got.items():
                if eid not in used and not eid.isalpha():
                    # a short form of a name found in full before (Fable 5 of Claude Fable 5, V4 Pro of
                    # DeepSeek V4 Pro); not a single word (Base of SAM Base)
                    eid = next((f for f in used if f.endswith("-" + eid) and used[f].type in _NAMED_TYPES
                                and f not in ents), eid)
                add(eid, used.get(eid) or edef)
    return out


_NAMED_TYPES = ("model", "product")
