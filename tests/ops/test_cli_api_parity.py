"""The CLI and the JSON API answer a search with the same records in the same order."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from app.config import ROOT
from app.db import connect
from app.ingest.manifest import load_manifest
from app.ingest.pipeline import ingest_paths


@pytest.fixture(scope="module")
def bundled_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("parity") / "p.db"
    conn = connect(db)
    ingest_paths(conn, [ROOT / "data" / "transcripts"], manifest=load_manifest(ROOT / "data" / "episodes.yaml"))
    conn.close()
    return db


@pytest.mark.parametrize("query,filters", [
    ("DeepSeek R1 成本", []),
    ("英伟达", [("stance", "positive")]),
    ("开源", [("speaker", "nathan-lambert")]),
])
def test_cli_search_json_equals_api(bundled_db, query, filters):
    from app.web.main import create_app

    args = [sys.executable, "-m", "app", "search", query, "--db", str(bundled_db), "--json", "--limit", "10"]
    for name, value in filters:
        args += [f"--{name}", value]
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=dict(os.environ), timeout=120)
    assert proc.returncode == 0, proc.stderr
    cli_records = json.loads(proc.stdout)
    with TestClient(create_app(bundled_db)) as client:
        api = client.get("/api/claims", params=[("q", query), ("page_size", "10"), *filters]).json()["claims"]
    assert cli_records, "the query should find something in the bundled transcripts"
    assert [r["id"] for r in cli_records] == [r["id"] for r in api]
    for cli_rec, api_rec in zip(cli_records, api):
        assert {k: v for k, v in cli_rec.items() if k != "score"} == {k: v for k, v in api_rec.items() if k != "score"}
        assert cli_rec["score"] == pytest.approx(api_rec["score"])
