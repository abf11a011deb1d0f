"""The JSON API: the pages' parameters, pagination, records as the interface says, CSV, OpenAPI."""
from __future__ import annotations

import csv
import io

from app.records import RECORD_FIELDS


def test_api_claims_is_a_page_of_ranked_records(client, two_dollar_claim):
    response = client.get("/api/claims", params={"q": "DeepSeek R1 成本", "page_size": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "DeepSeek R1 成本" and body["page"] == 1 and body["page_size"] == 5
    assert body["claims"][0]["id"] == two_dollar_claim
    assert "<mark>" in body["claims"][0]["highlight"]
    assert set(RECORD_FIELDS) | {"score", "highlight"} == set(body["claims"][0])
    assert body["pages"] == -(-body["total"] // 5) and body["prev"] is None
    nxt = client.get(body["next"]).json()
    assert nxt["page"] == 2 and nxt["prev"] and {c["id"] for c in nxt["claims"]}.isdisjoint(c["id"] for c in body["claims"])


def test_api_filters_match_the_pages(client):
    body = client.get("/api/claims?entity=deepseek-r1&speaker=nathan-lambert&speaker=narrator").json()
    assert body["filters"] == {"speaker": ["nathan-lambert", "narrator"], "entity": ["deepseek-r1"]}
    assert body["total"] > 0
    for claim in body["claims"]:
        assert "deepseek-r1" in claim["entities"]
        assert {"nathan-lambert", "narrator"} & set(claim["speakers"])


def test_api_claim_by_id(client, two_dollar_claim):
    body = client.get(f"/api/claims/{two_dollar_claim}").json()
    assert list(body) == RECORD_FIELDS
    assert body["url"] == f"/claims/{two_dollar_claim}" and body["speakers"] == ["nathan-lambert"]


def test_api_facets(client):
    body = client.get("/api/facets", params={"q": "成本"}).json()
    fields = {f["field"]: f["values"] for f in body["facets"]}
    assert {"speaker", "entity", "theme", "stance", "kind", "episode"} <= set(fields)
    assert sum(v["count"] for v in fields["stance"]) == body["total"]


def test_api_lists(client):
    entities = client.get("/api/entities", params={"type": "company", "page_size": 3}).json()
    assert len(entities["entities"]) == 3 and all(e["type"] == "company" for e in entities["entities"])
    assert entities["next"] and "type=company" in entities["next"]
    counts = [e["claims"] for e in entities["entities"]]
    assert counts == sorted(counts, reverse=True)
    speakers = client.get("/api/speakers").json()["speakers"]
    assert {"nathan-lambert", "lex-fridman", "narrator"} <= {s["id"] for s in speakers}
    episodes = client.get("/api/episodes").json()
    assert episodes["total"] == 2 and episodes["episodes"][0]["date"] == "2026-02-01"
    themes = client.get("/api/themes").json()
    assert {"cost", "open-models"} <= {t["id"] for t in themes}


def test_api_detail_endpoints(client):
    entity = client.get("/api/entities/deepseek-r1").json()
    assert entity["type"] == "model" and entity["speakers_by_stance"]
    row = entity["speakers_by_stance"][0]
    assert row["total"] == sum(row[s] for s in ("positive", "negative", "mixed", "neutral"))
    assert client.get("/api/speakers/nathan-lambert").json()["name"] == "Nathan Lambert"
    assert client.get("/api/episodes/lex-fridman-2026-state-of-ai").json()["line_count"] > 500


def _csv(response):
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_download_holds_the_whole_result_set(client):
    total = client.get("/api/claims?q=成本").json()["total"]
    assert total > 20  # more than one page
    rows = _csv(client.get("/claims.csv?q=成本"))
    assert len(rows) == total and list(rows[0]) == RECORD_FIELDS
    same = _csv(client.get("/api/claims?q=成本&format=csv"))
    assert [r["id"] for r in same] == [r["id"] for r in rows]
    filtered = _csv(client.get("/claims.csv?stance=negative"))
    assert filtered and all(r["stance"] == "negative" for r in filtered)


def test_csv_link_on_the_page_matches_the_query(client):
    _, doc = client.html("/claims?q=成本&stance=positive")
    href = doc.one("p.summary a[download]").get("href")
    rows = _csv(client.get(href))
    assert rows and all(r["stance"] == "positive" for r in rows)


def test_openapi_is_precise(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/claims", "/api/claims/{claim_id}", "/api/facets", "/api/entities", "/api/speakers",
                 "/api/episodes", "/healthz"):
        assert path in spec["paths"], path
    claims = spec["paths"]["/api/claims"]["get"]
    names = {p["name"] for p in claims["parameters"]}
    assert {"q", "speaker", "entity", "type", "theme", "stance", "kind", "episode", "page", "page_size", "format"} <= names
    stance = next(p for p in claims["parameters"] if p["name"] == "stance")
    assert "positive" in str(stance["schema"])
    ok = claims["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("/ClaimsPublic")
    assert "/claims" not in spec["paths"], "HTML pages stay out of the API description"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["claims"] > 200 and body["episodes"] == 2


def test_page_links_name_each_parameter_once(client):
    body = client.get("/api/claims", params={"q": "DeepSeek", "page_size": 2}).json()
    assert body["next"] is not None
    from urllib.parse import parse_qsl, urlsplit

    keys = [k for k, _ in parse_qsl(urlsplit(body["next"]).query)]
    assert sorted(keys) == sorted(set(keys))
