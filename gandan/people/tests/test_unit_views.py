from __future__ import annotations

import pytest


def test_the_tree_lists_the_roots_of_the_scope(world, client_as):
    body = client_as(world.commune_a_leader).get("/units/").content.decode()
    assert "Xã Nghĩa Thuận" in body
    assert "Tỉnh Tuyên Quang" not in body.split("<main")[1]


def test_search_without_diacritics_finds_the_commune(world, client_as):
    response = client_as(world.province_committee).get("/units/", {"q": "nghia thuan"})
    assert response.status_code == 200
    assert [u.name for u in response.context["results"]] == ["Xã Nghĩa Thuận"]


def test_search_as_htmx_returns_only_the_results_fragment(world, client_as):
    response = client_as(world.province_committee).get("/units/", {"q": "QUAN BA"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Xã Quản Bạ" in body and "<html" not in body


def test_search_never_returns_units_outside_the_scope(world, client_as):
    response = client_as(world.commune_b_admin).get("/units/", {"q": "xa"})
    assert [u.name for u in response.context["results"]] == ["Xã Quản Bạ"]
    response = client_as(world.other_province_leader).get("/units/", {"q": "nghia"})
    assert response.context["results"] == []


def test_unit_page_shows_children_agencies_party_cells_and_cadres(world, client_as):
    response = client_as(world.commune_a_viewer).get(f"/units/{world.commune_a.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in ["Thôn Nậm Lìn", "Thôn Cốc Pảng", "UBND xã Nghĩa Thuận", "Sân Tiến Phúc"]:
        assert text in body
    village = client_as(world.commune_a_viewer).get(f"/units/{world.village_a1.pk}/").content.decode()
    assert "Chi bộ thôn Nậm Lìn" in village and "Vàng Seo Sử" in village


def test_children_fragment_lists_children(world, client_as):
    body = client_as(world.province_committee).get(f"/units/{world.province.pk}/children/").content.decode()
    assert "Xã Nghĩa Thuận" in body and "Xã Quản Bạ" in body


@pytest.mark.parametrize("url", ["/units/{pk}/", "/units/{pk}/children/"])
@pytest.mark.parametrize("persona", ["commune_b_admin", "other_province_leader", "nobody"])
def test_a_unit_outside_the_scope_answers_exactly_like_a_missing_one(world, client_as, url, persona):
    client = client_as(getattr(world, persona))
    forbidden = client.get(url.format(pk=world.commune_a.pk))
    missing = client.get(url.format(pk=10**9))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_pages_ask_an_anonymous_visitor_to_log_in(world, client):
    for url in ["/units/", f"/units/{world.commune_a.pk}/", f"/cadres/{world.cadre_a.pk}/"]:  # "/" is the landing
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_home_shows_the_roles_and_the_scope(world, client_as):
    body = client_as(world.commune_a_cadre).get("/").content.decode()
    assert 'data-role="cadre"' in body and "Sân Tiến Phúc" in body and "Xã Nghĩa Thuận" in body
    nobody = client_as(world.nobody).get("/").content.decode()
    assert "chưa được phân quyền" in nobody


def test_english_is_one_switch_away(world, client_as):
    client = client_as(world.commune_a_leader)
    assert "Đơn vị trực thuộc" in client.get(f"/units/{world.commune_a.pk}/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get(f"/units/{world.commune_a.pk}/").content.decode()
    assert "Subordinate units" in body and 'lang="en"' in body


def test_the_browser_language_does_not_switch_the_ui_to_english(world, client_as):
    body = client_as(world.commune_a_leader).get("/units/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in body and "Đơn vị hành chính" in body
