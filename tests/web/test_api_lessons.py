"""The lesson and search API (SPEC §4b): shapes, statuses, If-Match, escaping."""

from __future__ import annotations

from tests.web.api_fixtures import both_databases as db  # noqa: F401  (both databases)
from tests.web.api_fixtures import project_url


def test_write_read_and_search_a_lesson(api, owner, other_owner, new_project):
    as_owner = api.as_(owner)
    url = project_url(new_project) + "/lesson"
    empty = api.as_(other_owner).get(url)
    assert empty.status_code == 200
    assert empty.json["written"] == 0
    assert empty.headers["ETag"] == '"1"'
    bad = as_owner.put(url, json={"tags": ["x" * 51], "colour": "red"})
    assert bad.status_code == 400
    assert "tags" in str(bad.json)
    assert "colour" in str(bad.json)
    assert as_owner.put(url, json={}, headers={"If-Match": '"1"'}).status_code == 422
    body = {"worked": "<script>x</script> Anskaffelsene gikk fint", "tags": ["anskaffelse"]}
    written = as_owner.put(url, json=body, headers={"If-Match": '"1"'})
    assert written.status_code == 200, written.json
    assert written.headers["ETag"] == '"2"'
    assert written.json["written"] == 1
    assert written.json["written_by"]["name"] == owner.name
    assert as_owner.put(url, json=body, headers={"If-Match": '"1"'}).status_code == 412
    assert api.as_(other_owner).put(url, json=body).status_code == 403

    found = api.as_(other_owner).get("/api/v1/search?q=ANSKAFFELSER&kind=lesson")
    assert found.status_code == 200, found.json
    (hit,) = found.json["items"]
    assert hit["project_id"] == new_project
    assert hit["kind"] == "lesson"
    assert "<script>" not in hit["snippet_html"]  # escaped (SQLite) or dropped (ts_headline)
    assert "<mark>Anskaffelsene</mark>" in hit["snippet_html"]
    assert "\x02" not in hit["snippet"]


def test_bad_search_input_is_a_400_naming_the_field(api, owner):
    as_owner = api.as_(owner)
    for query, field in (("q=" + "x" * 201, "q"), ("q=x&kind=budget", "kind"), ("", "q")):
        answer = as_owner.get("/api/v1/search?" + query)
        assert answer.status_code == 400, query
        assert field in str(answer.json), query
    odd = as_owner.get('/api/v1/search?q=" NEAR(a*) -b OR "')
    assert odd.status_code == 200
    assert odd.json["total"] == 0
