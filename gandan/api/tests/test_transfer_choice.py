"""The department chosen for a transfer, from the concern's page and from the API alike: an unknown id,
another province's department and an agency that is not a department are refused with one sentence
that names no agency (so ids cannot be probed beyond the user's scope), and the concern is unchanged;
a department over the place takes the concern."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gandan.org.testing import make_agency
from gandan.petitions import services
from gandan.petitions.models import Petition
from gandan.petitions.routing import NOT_A_DEPARTMENT
from gandan.petitions.testing import receive

pytestmark = pytest.mark.django_db
FOREIGN = "Sở Xây dựng Lào Cai"
REFUSED = ["unknown", "other_province", "not_a_department"]


@pytest.fixture
def concern(world) -> Petition:
    return services.petition_accept(actor=world.commune_a_leader, petition=receive(world, field="land"))


def agency_id(world, choice: str) -> int:
    if choice == "unknown":
        return 987654321
    if choice == "other_province":
        return make_agency(world.other_province, FOREIGN, kind="department", fields=["land"]).pk
    return {"not_a_department": world.agency_a, "valid": world.agency_province}[choice].pk


def from_the_page(client, petition: Petition, agency: int):
    return client.post(reverse("petitions-transfer", args=[petition.pk]), {
        "version": petition.version, "agency": agency, "note": "Thuộc thẩm quyền của Sở"})


def from_the_api(client, petition: Petition, agency: int):
    return client.post(f"/api/v1/petitions/{petition.pk}/transfer", {"agency_id": agency, "note": "Thuộc thẩm quyền"},
                       content_type="application/json")


def unchanged(petition: Petition, world) -> bool:
    petition.refresh_from_db()
    return (petition.status, petition.holder_agency) == ("accepted", world.agency_a)


@pytest.mark.parametrize("choice", REFUSED)
def test_the_page_refuses_what_is_not_a_department_over_the_place_without_naming_it(world, client_as, concern,
                                                                                    choice):
    response = from_the_page(client_as(world.commune_a_leader), concern, agency_id(world, choice))
    assert response.status_code == 400
    assert response.context["form"].errors["agency"] == [str(NOT_A_DEPARTMENT)]
    assert FOREIGN not in response.content.decode()
    assert unchanged(concern, world)


@pytest.mark.parametrize("choice", REFUSED)
def test_the_api_refuses_the_same_in_the_same_words(world, api_as, concern, choice):
    response = from_the_api(api_as(world.commune_a_leader), concern, agency_id(world, choice))
    assert response.status_code == 422
    assert response.json() == {"detail": [{"loc": ["body", "agency"], "msg": str(NOT_A_DEPARTMENT),
                                           "type": "value_error"}]}
    assert FOREIGN not in response.content.decode()
    assert unchanged(concern, world)


def test_an_unknown_id_and_another_provinces_department_cannot_be_told_apart(world, api_as, client_as, concern):
    client = api_as(world.commune_a_leader)
    unknown, foreign = agency_id(world, "unknown"), agency_id(world, "other_province")
    assert from_the_api(client, concern, unknown).content == from_the_api(client, concern, foreign).content
    page = client_as(world.commune_a_leader)
    assert (from_the_page(page, concern, unknown).context["form"].errors
            == from_the_page(page, concern, foreign).context["form"].errors)


@pytest.mark.parametrize("send", [from_the_page, from_the_api])
def test_a_department_over_the_place_takes_the_concern_either_way(world, client_as, concern, send):
    response = send(client_as(world.commune_a_leader), concern, agency_id(world, "valid"))
    assert response.status_code in (200, 302)
    concern.refresh_from_db()
    assert (concern.status, concern.holder_agency) == ("transferred", world.agency_province)


def test_the_page_refuses_a_value_that_is_no_id_in_the_same_words(world, client_as, concern):
    for value in ("abc", "0", "99999999999999999999"):
        response = from_the_page(client_as(world.commune_a_leader), concern, value)
        assert response.status_code == 400
        assert response.context["form"].errors["agency"] == [str(NOT_A_DEPARTMENT)]
    assert unchanged(concern, world)


def test_the_refusal_is_english_for_a_user_who_chose_english(world, api_as, concern, settings):
    client = api_as(world.commune_a_leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = from_the_api(client, concern, agency_id(world, "other_province"))
    assert response.json()["detail"][0]["msg"] == ("The receiving body must be a department competent over the "
                                                   "concern's place: choose one from the list.")
