"""Forms put what the current stage's gate needs first (issue #15, item 12), and each unmet
requirement on the project page links to where it is fixed."""

from __future__ import annotations

import re


def test_the_new_idea_form_shows_the_gates_fields_first_and_folds_the_rest(login, owner):
    body = login(owner).text("/projects/new/lab")

    folded = body.index('<details class="more-fields"')
    # lab's idea gate needs «need», and compares own share with budget
    for key in ("need", "budget", "own_share"):
        assert body.index(f'id="field_{key}"') < folded, key
    for key in ("deadline", "approved", "area"):
        assert body.index(f'id="field_{key}"') > folded, key
    assert '<details class="more-fields">' in body  # closed
    assert "Flere felt (3)" in body


def test_the_fields_the_gate_needs_are_marked(login, owner):
    body = login(owner).text("/projects/new/lab")

    label = re.search(r'<label for="field_need">(.*?)</label>', body, re.S)
    assert label
    assert "trengs til neste beslutningspunkt" in label.group(1)
    deadline = re.search(r'<label for="field_deadline">(.*?)</label>', body, re.S)
    assert deadline
    assert "trengs" not in deadline.group(1)
    title = re.search(r'<label for="title">(.*?)</label>', body, re.S)
    assert title
    assert "må fylles ut" in title.group(1)


def test_an_error_in_a_folded_field_opens_the_fold(login, owner):
    response = login(owner).post(
        "/projects/new/lab", {"title": "Feil dato", "field_deadline": "i morgen"}
    )

    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<details class="more-fields" open>' in body


def test_the_edit_form_follows_the_projects_stage(login, owner, new_project):
    body = login(owner).text(f"/projects/{new_project}/edit")

    assert body.index('id="field_need"') < body.index('<details class="more-fields"')


def test_each_unmet_requirement_links_to_where_it_is_fixed(login, owner, new_project):
    body = login(owner).text(f"/projects/{new_project}")

    gates = body[body.index('id="gates"') :]
    assert f'<a href="/projects/{new_project}/edit#field_need">«Behov» er fylt ut' in gates
    assert '<a href="#check-need_described">' in gates
    assert '<a href="#partners">' in gates
    assert f'href="/projects/{new_project}/edit#field_own_share"' in gates  # the comparison
    assert 'id="check-need_described"' in body  # the anchor exists
