"""Schemathesis against the app's own OpenAPI: no server error, no response outside the schema."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from app.config import ROOT
from app.db import connect
from app.ingest.manifest import load_manifest
from app.ingest.pipeline import ingest_paths


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    from app.web.main import create_app

    db = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    conn = connect(db)
    ingest_paths(conn, [ROOT / "data" / "transcripts"], manifest=load_manifest(ROOT / "data" / "episodes.yaml"))
    conn.close()
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(db))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    response = case.call()
    assert response.status_code < 500, response.text[:300]
    case.validate_response(response)
