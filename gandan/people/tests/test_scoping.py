from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from gandan.core.paths import path_q
from gandan.org.models import AdminUnit
from gandan.org.testing import make_unit
from gandan.people import scoping
from gandan.people.models import Cadre, Role, RoleGrant
from gandan.people.testing import make_user


def names(qs):
    return sorted(u.name for u in qs)


def test_a_grant_covers_its_unit_and_everything_below(world):
    seen = names(scoping.units_for(world.commune_a_leader))
    assert seen == sorted(["Xã Nghĩa Thuận", "Thôn Nậm Lìn", "Thôn Cốc Pảng"])


def test_a_province_grant_sees_the_province_and_not_the_other_province(world):
    seen = set(names(scoping.units_for(world.province_committee)))
    assert {"Tỉnh Tuyên Quang", "Xã Quản Bạ", "Thôn Lùng Cúng"} <= seen
    assert "Tỉnh Lào Cai" not in seen and "Xã Mù Cang Chải" not in seen


def test_no_grant_means_nothing_even_for_a_superuser(world):
    world.nobody.is_superuser = True
    assert not scoping.units_for(world.nobody).exists()
    assert not scoping.filter_by_scope(Cadre.objects.all(), world.nobody, "unit__path").exists()


def test_expired_and_future_grants_do_not_count(world):
    user = world.commune_a_viewer
    RoleGrant.objects.filter(user=user).update(valid_to=dt.date(2020, 1, 1))
    scoping.forget(user)
    assert not scoping.units_for(user).exists()
    RoleGrant.objects.filter(user=user).update(valid_to=None, valid_from=dt.date(2999, 1, 1))
    scoping.forget(user)
    assert not scoping.units_for(user).exists()


def test_missing_and_forbidden_raise_the_same_404(world):
    with pytest.raises(Http404) as forbidden:
        scoping.get_in_scope_or_404(AdminUnit.objects.all(), world.commune_b_admin, "path", pk=world.commune_a.pk)
    with pytest.raises(Http404) as missing:
        scoping.get_in_scope_or_404(AdminUnit.objects.all(), world.commune_b_admin, "path", pk=10**9)
    assert str(forbidden.value) == str(missing.value)


def test_similar_path_prefixes_do_not_leak(world):
    """A grant on path 'P1' must not cover the unit whose path is 'P10'."""
    p1 = make_unit("province", "Tỉnh Một", code="P1")
    p10 = make_unit("province", "Tỉnh Mười", code="P10")
    user = make_user("p1_leader", role=Role.LEADER, unit=p1)
    assert scoping.covers(user, p1.path)
    assert not scoping.covers(user, p10.path)
    assert names(scoping.units_for(user)) == ["Tỉnh Một"]
    assert not AdminUnit.objects.filter(path_q([])).exists()


def test_has_role_checks_the_role_as_well_as_the_place(world):
    assert scoping.has_role(world.commune_a_leader, {Role.LEADER}, world.village_a2)
    assert not scoping.has_role(world.commune_a_viewer, {Role.LEADER, Role.UNIT_ADMIN}, world.village_a2)
    assert not scoping.has_role(world.commune_a_leader, {Role.LEADER}, world.commune_b)
