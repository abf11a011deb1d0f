"""The worker's read-only SQLite connection and the caches that live beside it."""
from __future__ import annotations

import sqlite3
from collections import OrderedDict
from pathlib import Path
from typing import Any


class DatabaseUnavailable(Exception):
    """The database file is missing or unreadable: pages answer 503, never 500."""


class LRU:
    """A small LRU cache that forgets everything when the database's data_version moves."""

    def __init__(self, size: int) -> None:
        self.size, self.version, self.items = size, None, OrderedDict()

    def get(self, version: int, key: Any) -> Any:
        if version != self.version:
            self.items.clear()
            self.version = version
            return None
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, version: int, key: Any, value: Any) -> None:
        if self.size <= 0 or version != self.version:
            return
        self.items[key] = value
        if len(self.items) > self.size:
            self.items.popitem(last=False)


class Database:
    """One read-only connection per worker process, used only from the event-loop thread.

    The queries are short (milliseconds on indexed tables), so running them on the loop is
    cheaper than a thread hop; caches are keyed by PRAGMA data_version, which changes
    whenever another connection (an ingest) commits.
    """

    def __init__(self, path: Path, *, cache_size: int = 512) -> None:
        self.path = Path(path)
        self.conn: sqlite3.Connection | None = None
        self.results = LRU(cache_size)   # search results keyed by query + filters + page
        self.pages = LRU(cache_size)     # rendered bodies keyed by URL + fragment flag
        self._lookups: tuple[int, dict] | None = None

    def connection(self) -> sqlite3.Connection:
        if self.conn is None:
            if not self.path.exists():
                raise DatabaseUnavailable(f"no database at {self.path.name}")
            from app.db import connect

            try:
                conn = connect(self.path, readonly=True)
                conn.execute("PRAGMA query_only = ON")
                conn.execute("SELECT 1 FROM claims LIMIT 1").fetchall()
            except sqlite3.Error as exc:
                raise DatabaseUnavailable(f"database not readable: {exc}") from exc
            self.conn = conn
        return self.conn

    def version(self) -> int:
        try:
            return self.connection().execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error as exc:
            self.close()
            raise DatabaseUnavailable(str(exc)) from exc

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def lookups(self) -> dict:
        """Display names for ids (speakers, entities, themes, episodes), cached per data_version."""
        version = self.version()
        if self._lookups and self._lookups[0] == version:
            return self._lookups[1]
        from app.web.queries import load_lookups

        data = load_lookups(self.connection())
        self._lookups = (version, data)
        return data
