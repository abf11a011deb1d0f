"""Settings from the environment, migrations recorded once, the container files valid."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import ROOT, Settings
from app.db import applied_migrations, apply_migrations, connect, split_sql


def test_settings_read_prefixed_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PODCLAIMS_DB", str(tmp_path / "x.db"))
    monkeypatch.setenv("PODCLAIMS_PAGE_SIZE", "7")
    s = Settings()
    assert s.db == tmp_path / "x.db"
    assert s.page_size == 7


def test_invalid_setting_is_refused(monkeypatch):
    monkeypatch.setenv("PODCLAIMS_PORT", "99999")
    with pytest.raises(ValueError):
        Settings()


def test_migrations_apply_once_and_are_recorded(db_path):
    conn = connect(db_path)
    names = applied_migrations(conn)
    assert names == sorted(p.stem for p in (ROOT / "migrations").glob("*.sql"))
    assert apply_migrations(conn) == []
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_split_sql_keeps_trigger_bodies_whole():
    parts = split_sql("CREATE TABLE a(x);\n-- c\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n SELECT 1;\n SELECT 2;\nEND;\n")
    assert len(parts) == 2 and parts[1].count("SELECT") == 2


def test_compose_file_validates_against_the_compose_spec():
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    proc = subprocess.run([tool, "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_dockerfile_runs_as_non_root_and_copies_what_exists():
    text = (ROOT / "Dockerfile").read_text()
    assert "USER podclaims" in text and "HEALTHCHECK" in text
    for line in text.splitlines():
        if line.startswith("COPY "):
            for src in line.split()[1:-1]:
                assert (ROOT / src).exists(), f"Dockerfile copies missing {src}"
