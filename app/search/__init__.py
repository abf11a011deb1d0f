"""Search over claims: query.py (user string → safe FTS5), engine.py (rank, filter, facets), highlight.py."""
