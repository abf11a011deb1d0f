"""Shared fixtures: a fresh migrated database file and the bundled data paths."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.config import settings
from app.db import connect

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def conn(db_path: Path):
    c = connect(db_path)
    yield c
    c.close()


@pytest.fixture(scope="session")
def bundled_manifest():
    from app.ingest.manifest import load_manifest

    return load_manifest(settings.manifest)
