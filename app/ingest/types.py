"""Plain records passed along the ingest path (no database, no I/O)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Person:
    """A podcast person: host, guest or the narrator; aliases are surface forms in the text."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    role: str = "guest"  # host | guest | narrator


@dataclass
class EpisodeInfo:
    """What the manifest (or the file name) says about one transcript."""

    id: str
    file: str
    title: str = ""
    podcast: str = ""
    date: str | None = None
    language: str = "zh"
    channel: str = ""
    source_url: str | None = None
    host: Person | None = None
    guests: list[Person] = field(default_factory=list)
    narrator: Person | None = None  # the channel's own voice (e.g. 大飞); speaker id "narrator"
    from_manifest: bool = True
    # English names a manifest lists without roles (the corpus' episodes.jsonl "people"): the
    # spelling a name found in the text takes (麦克斯·霍达克 → Max Hodak)
    known_names: list[str] = field(default_factory=list)
    # people the intro presents before it announces the talk (found in the text): the talk's
    # own guests, who may reach a reporting verb over their Latin gloss
    presented: list[str] = field(default_factory=list)

    @property
    def people(self) -> list[Person]:
        return ([self.host] if self.host else []) + list(self.guests)


@dataclass
class EntityDef:
    """An entity id with its type and display names (lexicon entry or discovered)."""

    id: str
    type: str  # model | company | product | person
    name: str
    name_zh: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class ClaimDraft:
    """One extracted claim before it gets an id and a row."""

    line_start: int  # 1-based, inclusive
    line_end: int
    text: str  # original lines joined with no separator
    speakers: list[str]
    attribution: str  # cue | carried | narrator
    cue_line: int | None
    entities: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    stance: str = "neutral"
    kind: str = "opinion"


@dataclass
class Extraction:
    """The extractor's answer for one file: claims plus every speaker and entity they name."""

    claims: list[ClaimDraft]
    speakers: dict[str, Person]
    entities: dict[str, EntityDef]
