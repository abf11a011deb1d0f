"""Display words for ids (from templates/labels.yaml and the database) and safe highlights."""
from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.config import ROOT
from app.datafiles import read_yaml

LABELS: dict = read_yaml(ROOT / "templates" / "labels.yaml")
_MARK = re.compile(r"</?mark>")


def word(group: str, value: str | None, lang: str = "zh") -> str:
    """labels.yaml's word for a stance, kind, type, attribution or field name."""
    if value is None:
        return ""
    entry = LABELS.get(group, {}).get(value)
    return entry[lang] if entry else value


def label(lookups: dict, field: str, value: str) -> str:
    """The name a page shows for a filter value (a speaker's name, a theme's Chinese name …)."""
    if field == "speaker":
        return lookups["speakers"].get(value, {}).get("name", value)
    if field == "entity":
        ent = lookups["entities"].get(value)
        return ent["label"] if ent else value
    if field == "theme":
        theme = lookups["themes"].get(value)
        return theme["name_zh"] if theme else value
    if field == "episode":
        ep = lookups["episodes"].get(value)
        return ep["title"] if ep else value
    return word(field, value)


def safe_highlight(highlight: str | None, text: str) -> Markup:
    """The engine's highlight if it holds no markup but <mark>; the escaped text otherwise."""
    if highlight and "<" not in _MARK.sub("", highlight):
        return Markup(highlight)
    return Markup(escape(text))


GLOBALS = {"LABELS": LABELS, "word": word, "label": label}
FILTERS = {"highlight": safe_highlight}


@dataclass(slots=True)
class Card:
    """What a claim card shows, resolved once in Python (attribute access keeps Jinja fast)."""

    id: str
    url: str
    html: Markup
    stance: str
    stance_word: str
    kind_word: str
    speakers: list[tuple[str, str]]
    episode: str
    date: str
    title: str
    source: str  # what the card's episode link reads: the date, else a short title
    lines: str
    line_start: int
    entities: list[tuple[str, str]]
    themes: list[tuple[str, str]]


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def card(claim: dict, lookups: dict) -> Card:
    episode = lookups["episodes"].get(claim["episode"], {})
    start, end = claim["line_start"], claim["line_end"]
    return Card(
        id=claim["id"], url=claim["url"],
        html=safe_highlight(claim.get("highlight"), claim["text"]),
        stance=claim["stance"], stance_word=word("stance", claim["stance"]), kind_word=word("kind", claim["kind"]),
        speakers=[(s, label(lookups, "speaker", s)) for s in claim["speakers"]],
        episode=claim["episode"], date=episode.get("date") or "", title=episode.get("title", ""),
        source=episode.get("date") or _short(episode.get("title") or claim["episode"]),
        lines=f"{start}–{end}" if end != start else str(start), line_start=start,
        entities=[(e, label(lookups, "entity", e)) for e in claim["entities"]],
        themes=[(t, label(lookups, "theme", t)) for t in claim["themes"]],
    )


@dataclass(slots=True)
class FacetValue:
    field: str
    id: str
    label: str
    count: int
    active: bool
    url: str
