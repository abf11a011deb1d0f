"""Schemathesis against the app's own OpenAPI: no server error, no response outside the schema."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from app.config import ROOT
from app.db import connect
from app.ingest.manifest import load_manifest
from app.ingest.pipeline import ingest_paths

EXAMPLES_PER_OPERATION = 60


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    from app.web.main import create_app

    db = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    conn = connect(db)
    ingest_paths(conn, [ROOT / "data" / "transcripts"], manifest=load_manifest(ROOT / "data" / "episodes.yaml"))
    conn.close()
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(db))


def test_every_api_operation_conforms_to_its_schema(api_schema):
    # Driven through hypothesis directly: schemathesis' pytest plugin does not load under pytest 9.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 6
    calls = {"n": 0}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        def check(case):
            response = case.call()
            calls["n"] += 1
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"
            case.validate_response(response)

        check()
    print(f"fuzz: {calls['n']} calls over {len(operations)} operations")
    assert calls["n"] >= len(operations)
