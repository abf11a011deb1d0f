"""The HTML pages: search with facets and chips, fragments for htmx, permalinks, browse pages."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from .dom import parse

SEARCH = "/claims?q=DeepSeek+R1+成本"


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_home_has_search_form_that_works_without_javascript(client):
    response, doc = client.html("/")
    assert response.status_code == 200
    form = doc.one("form#search")
    assert form.get("method") == "get" and form.get("action") == "/claims"
    box = form.one("input#q")
    assert box.get("name") == "q" and doc.one("label[for=q]")
    assert doc.find_all("ol.claim-list li article.claim-card"), "home lists claims"
    assert doc.one("section.intro h1")


def test_search_page_ranks_the_two_dollar_claim_first_with_marks(client, two_dollar_claim):
    response, doc = client.html(SEARCH)
    assert response.status_code == 200
    first = doc.find_all("article.claim-card")[0]
    assert first.get("id") == f"claim-{two_dollar_claim}"
    marks = [m.text for m in first.find_all("mark")]
    assert any("成本" in m for m in marks) and any("DeepSeek" in m for m in marks)
    assert first.one("a.claim-link").get("href") == f"/claims/{two_dollar_claim}"
    assert doc.one("input#q").get("value") == "DeepSeek R1 成本"
    assert "DeepSeek R1 成本" in doc.one("title").text


def test_htmx_request_gets_only_the_results_block(client):
    full = client.get(SEARCH)
    fragment = client.get(SEARCH, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "<html" in full.text
    frag = parse(fragment.text)
    assert frag.children[0].tag == "title" and frag.one("title").text.startswith("DeepSeek R1 成本")
    assert len(parse(full.text).find_all("title")) == 1
    assert frag.find("div.results-layout") and not frag.find("form#search")
    # the fragment is exactly the results block of the full page
    full_results = parse(full.text).one("div#results")
    assert [a.get("id") for a in frag.find_all("article")] == [a.get("id") for a in full_results.find_all("article")]
    for response in (full, fragment):
        assert "HX-Request" in response.headers["vary"]


def test_history_restore_request_gets_the_full_page(client):
    response = client.get(SEARCH, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert response.status_code == 200 and "<html" in response.text
    assert parse(response.text).one("form#search")


def test_search_form_is_wired_for_htmx(client):
    _, doc = client.html("/claims")
    form = doc.one("form#search")
    assert form.get("hx-get") == "/claims" and form.get("hx-target") == "#results"
    assert form.get("hx-push-url") == "true"
    assert "delay:" in form.get("hx-trigger") and "input" in form.get("hx-trigger")
    assert doc.one("div#results")
    for region in (doc.one("aside#facets"), doc.one("nav.pager")):  # facet and page links swap #results
        assert region.get("hx-boost") == "true" and region.get("hx-target") == "#results"
    assert not doc.find("article.claim-card[hx-boost]")  # a permalink is a real page load
    config = doc.one("meta[name=htmx-config]").get("content")
    assert '"historyCacheSize": 0' in config and '"allowEval": false' in config


def test_facets_toggle_filters_and_chips_remove_them(client):
    _, doc = client.html(SEARCH)
    speaker_links = doc.find_all("section.facet a.facet-value")
    assert speaker_links, "facet values are links"
    link = next(a for a in speaker_links if "speaker" in params(a.get("href")))
    href = link.get("href")
    assert params(href)["q"] == ["DeepSeek R1 成本"]
    speaker = params(href)["speaker"][0]
    response, filtered = client.html(href)
    assert response.status_code == 200
    cards = filtered.find_all("article.claim-card")
    assert cards and all(c.find(f"a[href=/speakers/{speaker}]") for c in cards)
    active = filtered.one("a.facet-value.is-active")
    assert active.get("aria-current") == "true"
    assert "speaker" not in params(active.get("href"))  # clicking it again removes the filter
    chip = filtered.one("ul.chips a.chip")
    assert "speaker" not in params(chip.get("href")) and params(chip.get("href"))["q"] == ["DeepSeek R1 成本"]
    # the filter stays when the user types a new query: a hidden input tied to the form
    hidden = filtered.one("input[type=hidden][name=speaker]")
    assert hidden.get("form") == "search" and hidden.get("value") == speaker


def test_counts_change_with_filters(client):
    _, all_doc = client.html("/claims")
    _, filtered = client.html("/claims?stance=negative")
    total = lambda d: int(d.one("p.summary strong").text)
    assert total(filtered) < total(all_doc)
    assert all("stance-negative" in c.classes for c in filtered.find_all("article.claim-card"))


def test_entity_type_split_into_model_and_company_facets(client):
    _, doc = client.html("/claims")
    names = [h.text for h in doc.find_all("section.facet h3")]
    for expected in ("说话人", "模型", "公司", "主题", "立场", "类别", "节目"):
        assert expected in names


def test_pagination_links_keep_the_query(client):
    _, doc = client.html("/claims?q=成本")
    nxt = doc.one("nav.pager a[rel=next]")
    assert params(nxt.get("href")) == {"q": ["成本"], "page": ["2"]}
    _, page2 = client.html(nxt.get("href"))
    assert page2.one("nav.pager a[aria-current=page]").text == "2"
    assert page2.one("ol.claim-list").get("start") == "21"


def test_empty_state_suggests_what_to_try(client):
    response, doc = client.html("/claims?q=zzqqxxnothing&stance=mixed")
    assert response.status_code == 200
    empty = doc.one("div.empty")
    hrefs = [a.get("href") for a in empty.find_all("a")]
    assert any("stance" not in params(h) and "zzqqxxnothing" in h for h in hrefs), "offers to drop the filter"
    assert any(h.startswith("/claims?q=") for h in hrefs), "offers example searches"


def test_page_past_the_end_is_not_an_error(client):
    response, doc = client.html("/claims?q=成本&page=999")
    assert response.status_code == 200 and doc.one("div.empty")


def test_permalink_page(client, two_dollar_claim, db):
    response, doc = client.html(f"/claims/{two_dollar_claim}")
    assert response.status_code == 200
    assert "2美元" in doc.one("blockquote.claim-quote").text
    assert doc.one("dl.facts a[href=/speakers/nathan-lambert]")
    assert "via" in doc.one("span.attribution").text and "line" in doc.one("span.attribution").text
    assert doc.find("a[href=/entities/deepseek-r1]") and doc.find("a[href=/themes/cost]")
    assert doc.one("dl.facts time").get("datetime") == "2025-02-03"
    source = doc.find("a[href=https://lexfridman.com/deepseek-dylan-patel-nathan-lambert/]")
    assert source and "external" in source.get("rel")
    assert "正面" in doc.one("dl.facts span.badge.stance").text
    marked = doc.find_all("section.context li.in-claim")
    claim = db.execute("SELECT line_start, line_end FROM claims WHERE id = ?", (two_dollar_claim,)).fetchone()
    assert [int(li.get("value")) for li in marked] == list(range(claim["line_start"], claim["line_end"] + 1))
    assert len(doc.find_all("section.context li")) > len(marked)
    assert doc.one("nav.neighbours a[rel=prev]") and doc.one("nav.neighbours a[rel=next]")
    assert doc.one("button.copy-link").get("data-copy-from") == "permalink-url"
    assert doc.one("input#permalink-url").get("value").endswith(f"/claims/{two_dollar_claim}")
    og = {m.get("property"): m.get("content") for m in doc.find_all("meta[property]")}
    assert og["og:url"].endswith(f"/claims/{two_dollar_claim}") and "2美元" in og["og:description"]
    ld = json.loads(doc.one("script[type=application/ld+json]").text)
    assert ld["@type"] == "Claim" and ld["datePublished"] == "2025-02-03"
    assert ld["author"][0]["name"] == "Nathan Lambert" and ld["appearance"]["@type"] == "PodcastEpisode"


def test_prev_and_next_walk_the_episode(client, two_dollar_claim, db):
    _, doc = client.html(f"/claims/{two_dollar_claim}")
    nxt = doc.one("nav.neighbours a[rel=next]").get("href")
    _, next_doc = client.html(nxt)
    assert next_doc.one("nav.neighbours a[rel=prev]").get("href") == f"/claims/{two_dollar_claim}"


def test_retired_id_redirects_to_the_claim_covering_its_lines(client, two_dollar_claim):
    response = client.get("/claims/retired001")
    assert response.status_code == 301 and response.headers["location"] == f"/claims/{two_dollar_claim}"
    assert client.get("/claims/retired002").status_code == 404
    api = client.get("/api/claims/retired001")
    assert api.status_code == 301 and api.headers["location"] == f"/api/claims/{two_dollar_claim}"


def test_entity_page_has_speaker_by_stance_matrix_with_links(client):
    response, doc = client.html("/entities/deepseek-r1")
    assert response.status_code == 200
    assert doc.one("h1").text.startswith("DeepSeek")
    rows = doc.find_all("section.matrix tbody tr")
    assert rows
    cell = doc.find("section.matrix td.num a")
    p = params(cell.get("href"))
    assert p["entity"] == ["deepseek-r1"] and "speaker" in p
    _, filtered = client.html(cell.get("href"))
    assert int(filtered.one("p.summary strong").text) == int(cell.text)
    assert doc.find_all("section.claims-of article.claim-card")


def test_speaker_page_groups_claims_by_entity_and_theme(client):
    response, doc = client.html("/speakers/nathan-lambert")
    assert response.status_code == 200 and doc.one("h1").text == "Nathan Lambert"
    entity_links = doc.find_all("section[aria-labelledby=by-entity-title] a.tag")
    assert entity_links and params(entity_links[0].get("href"))["speaker"] == ["nathan-lambert"]
    assert doc.find_all("section[aria-labelledby=by-theme-title] a.tag")
    assert doc.find_all("article.claim-card")


def test_theme_page(client):
    response, doc = client.html("/themes/cost")
    assert response.status_code == 200 and "成本" in doc.one("h1").text
    assert doc.find_all("article.claim-card")


def test_browse_pages_paginate(client):
    _, doc = client.html("/speakers/narrator")
    nxt = doc.one("nav.pager a[rel=next]").get("href")
    assert nxt == "/speakers/narrator?page=2"
    response, page2 = client.html(nxt)
    assert response.status_code == 200 and page2.find_all("article.claim-card")


def test_episode_page_marks_claims_and_links_them(client, two_dollar_claim, db):
    episode = db.execute("SELECT episode_id FROM claims WHERE id = ?", (two_dollar_claim,)).fetchone()[0]
    response, doc = client.html(f"/episodes/{episode}")
    assert response.status_code == 200
    block = doc.one(f"div#c-{two_dollar_claim}")
    assert block.find(f"a[href=/claims/{two_dollar_claim}]")
    assert doc.one("li#L1") and doc.one("li#L376")
    count = db.execute("SELECT count(*) FROM claims WHERE episode_id = ?", (episode,)).fetchone()[0]
    assert len(doc.find_all("div.t-claim")) <= count and len(doc.find_all("div.t-claim")) > count * 0.9


def test_episodes_index_and_docs(client):
    _, doc = client.html("/episodes")
    assert len(doc.find_all("ul.episode-list li")) == 2
    response, docs = client.html("/docs")
    assert response.status_code == 200
    assert docs.find("section#get--api-claims") and "ClaimHit" in docs.text
    assert not docs.find_all("script[src^=http]")


def test_head_requests_are_answered(client):
    response = client.request("HEAD", SEARCH)
    assert response.status_code == 200 and response.content == b""


def test_static_files_are_versioned_and_cached(client):
    _, doc = client.html("/")
    scripts = [s.get("src") for s in doc.find_all("script[src]")]
    assert any(s.startswith("/static/htmx-2.") for s in scripts)
    css = doc.one("link[rel=stylesheet]").get("href")
    response = client.get(css)
    assert response.status_code == 200 and "immutable" in response.headers["cache-control"]


def test_card_without_episode_date_shows_a_short_title_not_the_id():
    from app.web.labels import card

    claim = {"id": "c1", "url": "/claims/c1", "highlight": None, "text": "t", "stance": "neutral", "kind": "fact",
             "speakers": [], "episode": "ep-x", "line_start": 3, "line_end": 3, "entities": [], "themes": []}
    long_title = "Lex Fridman 对话 Dylan Patel 与 Nathan Lambert：DeepSeek、中国AI与超大集群"
    undated = card(claim, {"episodes": {"ep-x": {"title": long_title, "date": None}}})
    assert undated.date == "" and undated.source.endswith("…") and len(undated.source) <= 18
    assert long_title.startswith(undated.source[:-1])
    dated = card(claim, {"episodes": {"ep-x": {"title": long_title, "date": "2025-02-03"}}})
    assert dated.source == "2025-02-03"
    bare = card(claim, {"episodes": {}})
    assert bare.source == "ep-x"


def test_claim_card_links_its_date_as_a_time_element(client):
    _, doc = client.html("/claims")
    link = doc.find_all("article.claim-card .where a")[0]
    assert link.find("time") and link.find("time").get("datetime") == link.text.strip()


def test_sampled_facet_counts_are_labelled_as_estimates(client, monkeypatch):
    from app.search import engine

    _, doc = client.html("/claims?kind=opinion&kind=fact&kind=advice")
    assert not doc.find("p.facets-note")  # a small result set: exact counts, no note
    monkeypatch.setattr(engine, "FACET_CAP", 10)
    _, doc = client.html("/claims?kind=opinion&kind=fact&kind=prediction")
    note = doc.one("aside#facets p.facets-note")
    assert "估算" in note.text


def test_speaker_page_folds_a_long_episode_list(client, monkeypatch):
    from app.web import browse

    _, doc = client.html("/speakers/narrator")
    section = doc.one("section[aria-labelledby=episodes-title]")
    assert not section.find("details") and int(doc.one("#episodes-title .count").text) == 2
    monkeypatch.setattr(browse, "EPISODES_SHOWN", 1)
    _, doc = client.html("/speakers/narrator")
    section = doc.one("section[aria-labelledby=episodes-title]")
    folded = section.one("details.more-episodes")
    assert "其余 1 期" in folded.one("summary").text
    assert len(section.find_all("li")) == 2 and len(folded.find_all("li")) == 1


def test_episodes_index_skips_missing_podcast_name(client):
    _, doc = client.html("/episodes")
    for p in doc.find_all("ul.episode-list li p"):
        assert not p.text.strip().startswith("·") and "·  ·" not in p.text


def test_keyboard_users_can_skip_the_filters_to_the_results(client):
    html = client.get("/claims", params={"q": "开源"}).text
    assert 'href="#claim-list"' in html and 'id="claim-list"' in html
    assert html.index('href="#claim-list"') < html.index('id="facets"')  # reached before the facet links


def test_an_old_id_that_is_the_slug_of_an_alias_redirects_to_the_renamed_page(client):
    # ids are slugs of English names; a link made with an alias's slug (allen-ai for ai2, whose
    # aliases hold "Allen AI") still finds the page, and an id no alias explains stays a 404
    moved = client.get("/entities/allen-ai?page=1")
    assert moved.status_code == 301 and moved.headers["location"] == "/entities/ai2?page=1"
    assert client.get(moved.headers["location"]).status_code == 200
    assert client.get("/entities/no-such-thing-at-all").status_code == 404
