"""Asking for another commune's unit or cadre answers the 404 of a missing one, page and API alike,
with DEBUG on or off, and leaves a denial in the log; asking for a missing one leaves nothing."""

from __future__ import annotations

import pytest

from gandan.org.models import AdminUnit
from gandan.people import scoping
from gandan.people.testing import assert_denied_like_missing

pytestmark = pytest.mark.django_db
MISSING = 987654321
ROUTES = [("/units/{}/", "unit"), ("/api/v1/units/{}", "unit"), ("/cadres/{}/", "cadre"),
          ("/api/v1/cadres/{}", "cadre")]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(("route", "kind"), ROUTES)
def test_an_outsider_asking_for_commune_a_is_logged_and_answered_as_missing(world, client_as, caplog, settings,
                                                                            debug, route, kind):
    settings.DEBUG = debug
    target = world.commune_a if kind == "unit" else world.cadre_a
    outsider = world.commune_b_admin
    assert_denied_like_missing(client_as(outsider), caplog, outsider, route.format(target.pk), route.format(MISSING),
                               kind=target._meta.label_lower, object_id=target.pk)


def test_a_user_who_may_see_the_unit_leaves_no_denial(world, client_as, caplog):
    assert client_as(world.commune_a_leader).get(f"/units/{world.commune_a.pk}/").status_code == 200
    assert [r for r in caplog.records if r.name == "gandan.denials"] == []


def test_a_lookup_that_finds_the_object_asks_nothing_more(world, django_assert_num_queries):
    user = world.commune_a_leader
    scoping.scope_paths(user)  # the grants, cached on the user
    with django_assert_num_queries(1):
        scoping.get_in_scope_or_404(AdminUnit.objects.all(), user, "path", pk=world.commune_a.pk)
