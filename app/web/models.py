"""Response shapes of the JSON API (they make /openapi.json precise)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.web.deps import EntityType, Kind, Stance


class ClaimPublic(BaseModel):
    """One claim as the interface defines it (export lines, /api/claims/{id})."""

    id: str = Field(description="stable short id; the permalink is /claims/{id}")
    episode: str
    file: str = Field(description="source transcript file name")
    line_start: int = Field(ge=1)
    line_end: int = Field(ge=1)
    text: str
    speakers: list[str]
    attribution: Literal["cue", "carried", "narrator"]
    cue_line: int | None = Field(description="line of the cue the attribution rests on; null for narrator")
    entities: list[str]
    themes: list[str]
    stance: Stance
    kind: Kind
    url: str


class ClaimHit(ClaimPublic):
    """A claim in search results, with its rank score and highlighted text."""

    score: float | None = Field(description="rank score (higher is better); null when there is no query")
    highlight: str = Field(description="the text HTML-escaped, matches wrapped in <mark>")


class FacetValue(BaseModel):
    """One value of a facet and how many matching claims have it."""

    id: str
    label: str
    count: int


class FacetPublic(BaseModel):
    """Counts for one filter field over the current result set."""

    field: str
    values: list[FacetValue]


class PagePublic(BaseModel):
    """Where a paginated list is: totals and links to the neighbouring pages."""

    total: int
    total_exact: bool = True
    page: int
    page_size: int
    pages: int
    prev: str | None = Field(description="URL of the previous page, or null")
    next: str | None = Field(description="URL of the next page, or null")


class ClaimsPublic(PagePublic):
    """A page of search results (/api/claims)."""

    query: str
    filters: dict[str, list[str]]
    claims: list[ClaimHit]


class FacetsPublic(BaseModel):
    """Facet counts for a query and filters (/api/facets)."""

    query: str
    filters: dict[str, list[str]]
    total: int
    facets: list[FacetPublic]


class EntityPublic(BaseModel):
    """A model, company, product or person claims are about."""

    id: str
    type: EntityType
    name: str
    name_zh: str | None
    aliases: list[str]
    claims: int
    url: str


class SpeakerPublic(BaseModel):
    """A person (or the narrator) who makes claims."""

    id: str
    name: str
    aliases: list[str]
    claims: int
    url: str


class EpisodePublic(BaseModel):
    """One ingested transcript and the episode it summarises."""

    id: str
    file: str
    title: str
    podcast: str
    date: str | None
    language: str
    channel: str
    source_url: str | None
    line_count: int
    claims: int
    url: str


class ThemePublic(BaseModel):
    """One of the taxonomy's themes."""

    id: str
    name_zh: str
    name_en: str
    claims: int
    url: str


class EntitiesPublic(PagePublic):
    entities: list[EntityPublic]


class SpeakersPublic(PagePublic):
    speakers: list[SpeakerPublic]


class EpisodesPublic(PagePublic):
    episodes: list[EpisodePublic]


class StanceRow(BaseModel):
    """How often one speaker took each stance on one entity."""

    speaker: str
    total: int
    positive: int
    negative: int
    mixed: int
    neutral: int


class EntityDetail(EntityPublic):
    """An entity with its speakers × stance counts."""

    speakers_by_stance: list[StanceRow]


class HealthPublic(BaseModel):
    status: Literal["ok", "unavailable"]
    data_version: int | None = None
    claims: int | None = None
    episodes: int | None = None
    detail: str | None = None


class ErrorPublic(BaseModel):
    """Every 4xx/5xx body of the API: one readable message, and one line per problem."""

    detail: str
    errors: list[str] = []
