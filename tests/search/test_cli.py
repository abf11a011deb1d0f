"""`podclaims search --json`: the API's records, in the same order."""
import json

import typer
from typer.testing import CliRunner

from app.search.cli import register
from app.search.engine import SearchFilters, search_claims
from app.records import only_fields

from .conftest import build_fixture_db


def test_json_matches_the_engine(tmp_path):
    db = tmp_path / "cli.db"
    conn = build_fixture_db(db)
    app = typer.Typer()
    register(app)

    @app.command("noop")
    def noop() -> None:  # a second command keeps typer in multi-command mode
        pass

    res = CliRunner().invoke(app, ["search", "成本", "--db", str(db), "--json", "--limit", "5", "--theme", "cost"])
    assert res.exit_code == 0, res.output
    got = json.loads(res.output)
    want = only_fields(search_claims(conn, "成本", SearchFilters(theme=["cost"]), page_size=5).claims, ("score", "highlight"))
    assert got == want and got


def test_missing_database_is_a_clear_error(tmp_path):
    app = typer.Typer()
    register(app)

    @app.command("noop")
    def noop() -> None:
        pass

    res = CliRunner().invoke(app, ["search", "x", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 2
