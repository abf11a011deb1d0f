"""Web fixtures: one database ingested from the bundled transcripts, the app in-process."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import anyio.from_thread
import httpx
import pytest

from app.config import settings
from app.db import connect

from .dom import parse

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'&'


def build_bundled_db(path: Path) -> Path:
    from app.ingest.manifest import load_manifest
    from app.ingest.pipeline import ingest_paths

    conn = connect(path)
    results = ingest_paths(conn, [settings.transcripts_dir], manifest=load_manifest(settings.manifest))
    assert all(r.ok for r in results), [(r.path.name, r.reason) for r in results]
    conn.close()
    return path


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> Path:
    path = build_bundled_db(tmp_path_factory.mktemp("web") / "web.db")
    conn = connect(path)
    two_dollars = conn.execute("SELECT episode_id, line_start, line_end FROM claims WHERE text LIKE '%2美元%'").fetchone()
    conn.executemany("INSERT INTO retired_claims VALUES (?,?,?,?,?)", [
        ("retired001", two_dollars["episode_id"], two_dollars["line_start"], two_dollars["line_end"], "2026-01-01"),
        ("retired002", "gone-episode", 1, 2, "2026-01-01"),
    ])
    conn.close()
    return path


@pytest.fixture(scope="session")
def db(web_db) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{web_db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


@pytest.fixture(scope="session")
def two_dollar_claim(db) -> str:
    return db.execute("SELECT id FROM claims WHERE text LIKE '%每百万输出Token的成本仅为2美元%'").fetchone()["id"]


class SyncClient:
    """httpx over the ASGI transport, driven from sync tests through one event loop."""

    def __init__(self, portal, client: httpx.AsyncClient) -> None:
        self.portal, self.client = portal, client

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.portal.call(lambda: self.client.get(url, **kwargs))

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        return self.portal.call(lambda: self.client.request(method, url, **kwargs))

    def html(self, url: str, **kwargs):
        response = self.get(url, **kwargs)
        return response, parse(response.text)


def make_client(app):
    portal_cm = anyio.from_thread.start_blocking_portal()
    portal = portal_cm.__enter__()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                               base_url="http://testserver")
    return portal_cm, portal, client


@pytest.fixture(scope="session")
def app(web_db):
    from app.web.main import create_app

    return create_app(web_db)


@pytest.fixture(scope="session")
def client(app):
    portal_cm, portal, client = make_client(app)
    yield SyncClient(portal, client)
    portal.call(client.aclose)
    portal_cm.__exit__(None, None, None)
