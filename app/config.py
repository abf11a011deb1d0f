"""Settings from PODCLAIMS_* environment variables; CLI flags override them."""
from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """One settings object for the CLI, the web app and the benchmarks."""

    model_config = SettingsConfigDict(env_prefix="PODCLAIMS_", extra="ignore")

    db: Path = Field(default=ROOT / "data" / "podclaims.db", description="SQLite database file")
    data_dir: Path = Field(default=ROOT / "data", description="folder with transcripts/, episodes.yaml, lexicon/")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "info"
    page_size: int = Field(default=20, ge=1, le=200)
    web_cache: int = Field(default=512, ge=0, description="pages and results cached per worker; 0 turns caching off")
    ingest_jobs: int = Field(default=0, ge=0, le=64, description="processes extracting files in parallel; 0 = one per CPU")
    max_file_mb: float = Field(default=50.0, gt=0, description="transcripts larger than this are refused")

    @property
    def jobs(self) -> int:
        import os

        return self.ingest_jobs or max(1, os.cpu_count() or 1)

    @property
    def transcripts_dir(self) -> Path:
        return self.data_dir / "transcripts"

    @property
    def manifest(self) -> Path:
        return self.data_dir / "episodes.yaml"


settings = Settings()
