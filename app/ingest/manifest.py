"""Episode manifest (data/episodes.yaml) → EpisodeInfo; files it lacks get an id from their name."""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from app.datafiles import YAMLError, read_yaml
from app.ingest.types import EpisodeInfo, Person


class ManifestError(ValueError):
    """The manifest file is not what data/episodes.yaml documents."""


def _person(raw: dict, role: str) -> Person:
    if not isinstance(raw, dict) or "name" not in raw:
        raise ManifestError(f"a {role} entry needs at least a name: {raw!r}")
    pid = raw.get("id") or slugify(raw["name"])
    return Person(id=pid, name=raw["name"], aliases=list(raw.get("aliases") or []), role=role)


def load_manifest(path: Path | None) -> dict[str, EpisodeInfo]:
    """Map file name → EpisodeInfo for every episode the manifest lists."""
    if path is None or not Path(path).exists():
        return {}
    if Path(path).suffix == ".jsonl":
        return _load_jsonl(Path(path))
    try:
        doc = read_yaml(Path(path))
    except YAMLError as exc:
        raise ManifestError(f"{path}: not valid YAML ({exc.__class__.__name__})") from exc
    out: dict[str, EpisodeInfo] = {}
    for raw in doc.get("episodes") or []:
        if not isinstance(raw, dict) or "file" not in raw or "id" not in raw:
            raise ManifestError(f"{path}: every episode needs 'id' and 'file'")
        narrator = raw.get("narrator")
        out[raw["file"]] = EpisodeInfo(
            id=raw["id"],
            file=raw["file"],
            title=raw.get("title", ""),
            podcast=raw.get("podcast", ""),
            date=str(raw["date"]) if raw.get("date") else None,
            language=raw.get("language", "zh"),
            channel=raw.get("channel", ""),
            source_url=raw.get("source_url"),
            host=_person(raw["host"], "host") if raw.get("host") else None,
            guests=[_person(g, "guest") for g in raw.get("guests") or []],
            narrator=Person(id="narrator", name=narrator["name"], aliases=list(narrator.get("aliases") or []), role="narrator")
            if isinstance(narrator, dict) and narrator.get("name")
            else None,
        )
    return out


def _load_jsonl(path: Path) -> dict[str, EpisodeInfo]:
    """A JSON-lines manifest (one {id, file, title, date, source} per line), as the corpus ships."""
    out: dict[str, EpisodeInfo] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ManifestError(f"{path}:{n}: not valid JSON") from exc
        if not isinstance(raw, dict) or "file" not in raw:
            raise ManifestError(f"{path}:{n}: a record needs 'file'")
        out[raw["file"]] = EpisodeInfo(
            id=slugify(str(raw.get("id") or Path(raw["file"]).stem)),
            file=raw["file"],
            title=raw.get("title") or Path(raw["file"]).stem,
            podcast=raw.get("author", ""),
            date=raw.get("date"),
            source_url=raw.get("source"),
            from_manifest=False,  # no roles listed: the extractor finds the people in the text
            known_names=[str(n) for n in raw.get("people") or [] if str(n).strip()],
        )
    return out


FOLDER_MANIFESTS = ("episodes.yaml", "episodes.jsonl")


def folder_manifest(folder: Path) -> Path | None:
    """The manifest a folder of transcripts carries (episodes.yaml or episodes.jsonl), if any."""
    return next((m for m in (Path(folder) / name for name in FOLDER_MANIFESTS) if m.exists()), None)


def slugify(text: str) -> str:
    """ASCII slug: 'Claude Opus 4.5' → 'claude-opus-4.5', 'Henri Poincaré' → 'henri-poincare';
    non-Latin text keeps its characters."""
    text = text.strip().lower()
    if not text.isascii():  # accents off (é → e), other scripts kept as they are
        text = unicodedata.normalize("NFC", "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)))
    text = re.sub(r"[\s_/]+", "-", text)
    text = re.sub(r"[^\w.\-]+", "", text)
    return re.sub(r"-{2,}", "-", text).strip("-.") or "x"


def episode_for_file(path: Path, manifest: dict[str, EpisodeInfo]) -> EpisodeInfo:
    """The manifest entry for a file, or a bare episode named after the file."""
    info = manifest.get(path.name)
    if info is not None:
        return info
    return EpisodeInfo(id=slugify(path.stem), file=path.name, title=path.stem, from_manifest=False)
