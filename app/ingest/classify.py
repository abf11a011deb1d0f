"""Themes, stance and kind of a claim, by rules over data/lexicon/{themes,classify}.yaml."""
from __future__ import annotations

import re
from functools import lru_cache

from app.lexicon import AliasMatcher, Lexicon, norm


@lru_cache(maxsize=4)
def _tables(lex_id: int, lex: Lexicon) -> dict:
    # one matcher over every theme keyword (value = theme id list joined by '|')
    kw: dict[str, list[str]] = {}
    for tid, words in lex.theme_keywords.items():
        for w in words:
            kw.setdefault(w, []).append(tid)
    theme_m = _PlainMatcher({k: "|".join(v) for k, v in kw.items()})
    st = lex.classify.get("stance") or {}
    pos = [norm(str(w)) for w in st.get("positive") or []]
    neg = [norm(str(w)) for w in st.get("negative") or []]
    pol = {w: "+" for w in pos}
    for w in neg:
        pol[w] = "-"
    kd = lex.classify.get("kind") or {}
    kind_words: dict[str, str] = {}
    for k in ("prediction", "advice", "fact"):
        for w in kd.get(k) or []:
            kind_words.setdefault(norm(str(w)), k)
    for w in kd.get("opinion_cues") or []:
        kind_words.setdefault(norm(str(w)), "opinion")
    hints: dict[str, list[str]] = {}
    for tid, ids in lex.theme_entity_hints.items():
        for i in ids:
            hints.setdefault(i, []).append(tid)
    return {
        "theme_m": theme_m,
        "pol_m": _PlainMatcher(pol),
        "negators": sorted({norm(str(w)) for w in st.get("negators") or []}, key=len, reverse=True),
        "neg_exempt": [norm(str(w)) for w in st.get("negator_exempt") or []],
        "neg_window": int(st.get("negator_window", 3)),
        "contrast": [norm(str(w)) for w in st.get("contrast") or []],
        "mixed_ratio": float(st.get("mixed_ratio", 0.6)),
        "kind_m": _PlainMatcher(kind_words),
        "fact_re": [re.compile(p) for p in kd.get("fact_patterns") or []],
        "kind_w": kd.get("weights") or {},
        "op_w": float(kd.get("opinion_weight", 0.5)),
        "kind_default": kd.get("default", "opinion"),
        "hints": hints,
        "kw_w": float(lex.theme_cfg.get("keyword_weight", 1.0)),
        "hint_w": float(lex.theme_cfg.get("entity_hint_weight", 0.6)),
        "ratio": float(lex.theme_cfg.get("secondary_ratio", 0.5)),
        "fallback": lex.theme_cfg.get("fallback", "industry"),
    }


class _PlainMatcher(AliasMatcher):
    """Longest-match over keywords without Latin boundary rules except at word edges."""


def tables(lex: Lexicon) -> dict:
    return _tables(id(lex), lex)


def themes_for(ntext: str, entities: list[str], lex: Lexicon, previous: list[str] | None = None) -> list[str]:
    t = tables(lex)
    score: dict[str, float] = {}
    order: dict[str, int] = {}
    for s, e, key, val in t["theme_m"].find(ntext):
        for tid in val.split("|"):
            score[tid] = score.get(tid, 0.0) + t["kw_w"] * (1.0 + 0.1 * min(len(key), 6))
            order.setdefault(tid, s)
    for eid in entities:
        for tid in t["hints"].get(eid, []):
            score[tid] = score.get(tid, 0.0) + t["hint_w"]
            order.setdefault(tid, 10_000)
    if previous:
        # neighbouring claims share a topic: a small pull toward the previous claim's themes
        for i, tid in enumerate(previous[:2]):
            score[tid] = score.get(tid, 0.0) + (0.8 if i == 0 else 0.4)
            order.setdefault(tid, 20_000 + i)
    if not score:
        return [t["fallback"]]
    ranked = sorted(score, key=lambda k: (-score[k], order.get(k, 0)))
    top = score[ranked[0]]
    out = [ranked[0]]
    for tid in ranked[1:3]:
        if score[tid] >= t["ratio"] * top and score[tid] >= 1.0:
            out.append(tid)
    return out


def stance_for(ntext: str, lex: Lexicon) -> str:
    t = tables(lex)
    pos = neg = 0.0
    for s, e, key, val in t["pol_m"].find(ntext):
        before = ntext[max(0, s - t["neg_window"]):s]
        negated = False
        for ng in t["negators"]:
            j = before.rfind(ng)
            if j >= 0:
                frag = ntext[max(0, s - t["neg_window"]) + j: s + 2]
                if not any(x in frag for x in t["neg_exempt"]):
                    negated = True
                break
        # the word itself may start with a negator-like char that is part of it (不足) — fine
        p = val == "+"
        if negated:
            p = not p
        if p:
            pos += 1
        else:
            neg += 1
    if pos == 0 and neg == 0:
        return "neutral"
    if pos and neg:
        small, big = min(pos, neg), max(pos, neg)
        has_contrast = any(c in ntext for c in t["contrast"])
        if has_contrast and small / big >= t["mixed_ratio"]:
            return "mixed"
    return "positive" if pos >= neg else "negative"


def kind_for(ntext: str, lex: Lexicon) -> str:
    t = tables(lex)
    sc = {"prediction": 0.0, "advice": 0.0, "fact": 0.0, "opinion": 0.0}
    for s, e, key, val in t["kind_m"].find(ntext):
        if val == "opinion":
            sc["opinion"] += t["op_w"]
        else:
            sc[val] += float(t["kind_w"].get(val, 1.0))
    for rx in t["fact_re"]:
        sc["fact"] += float(t["kind_w"].get("fact", 0.5)) * len(rx.findall(ntext))
    best = max(sc, key=lambda k: sc[k])
    if sc[best] < 1.0:
        return t["kind_default"]
    return best
