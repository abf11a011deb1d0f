"""Schemathesis drives every API operation from /openapi.json: no 500s, responses match the schema."""
from __future__ import annotations

import warnings

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings


def operations(app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_api_conforms_to_its_schema(app):
    ops = operations(app)
    assert len(ops) >= 10
    calls = []
    for operation in ops:

        @given(case=operation.as_strategy())
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                case.call_and_validate()
            calls.append(operation.path)

        try:
            run()
        except Exception as exc:  # name the operation in the failure
            pytest.fail(f"{operation.method.upper()} {operation.path}: {exc}")
    print(f"schemathesis: {len(calls)} calls over {len(ops)} operations, no server error or schema violation")
    assert len(set(calls)) == len(ops)
