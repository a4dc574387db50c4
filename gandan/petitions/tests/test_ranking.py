"""The monthly ranking is computed once per province: a unit has the same rank and group size for every
viewer, whose scope only decides which rows they see; each name links to the unit's own figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gandan.org.testing import make_agency, make_unit
from gandan.petitions import reports, services
from gandan.petitions.testing import receive

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
MONTH = dt.date(2026, 3, 1)


def concerns(world, village, count, *, answered):
    for i in range(count):
        p = receive(world, unit=village, actor=world.province_committee, text=f"Phản ánh {village.name} {i}")
        if answered:
            p = services.petition_accept(actor=world.province_committee, petition=p)
            services.petition_answer(actor=world.province_committee, petition=p, text="Đã giải quyết")


@pytest.fixture
def communes(world, time_machine):
    """Five communes of different volumes; Nghĩa Thuận (3, none taken up) shares the middle group with
    Xã Bạch Đích (5, all answered)."""
    time_machine.move_to(NOW, tick=False)
    concerns(world, world.village_a1, 3, answered=False)
    concerns(world, world.village_b1, 1, answered=True)
    for name, count in (("Xã Bạch Đích", 5), ("Xã Yên Minh", 8), ("Xã Mậu Duệ", 2)):
        commune = make_unit("commune", name, world.province, division_type="xã")
        make_agency(commune, f"UBND {name.lower()}")
        concerns(world, make_unit("village", f"Thôn của {name}", commune, division_type="thôn"), count,
                 answered=True)
    return world


def ranks(client, user):
    client.force_login(user)
    response = client.get(reverse("petitions-ranking"), {"m": "2026-03"})
    assert response.status_code == 200
    return response, {row.name: (row.rank, row.of, row.band) for row in response.context["units"]}


def test_a_commune_has_the_same_rank_and_group_size_for_its_leader_and_for_the_province(communes, client):
    _page, for_province = ranks(client, communes.province_committee)
    page, for_leader = ranks(client, communes.commune_a_leader)

    assert len(for_province) == 5
    assert for_province["Xã Nghĩa Thuận"] == (2, 2, 1)  # second of the two middle-volume communes
    assert for_leader == {"Xã Nghĩa Thuận": for_province["Xã Nghĩa Thuận"]}  # only their row, ranked alike
    assert f'href="{reverse("petitions-rates")}?unit={communes.commune_a.pk}&amp;start=2026-03-01' \
           f'&amp;end=2026-03-31"' in page.content.decode()


def test_every_root_in_the_province_sees_the_ranks_of_the_province(communes):
    whole = {row.pk: (row.rank, row.of, row.band, row.score) for row in reports.ranking(communes.province, MONTH)[0]}
    for root in (communes.commune_a, communes.commune_b, communes.village_a1):
        units, agencies = reports.ranking(root, MONTH)
        assert all(whole[row.pk] == (row.rank, row.of, row.band, row.score) for row in units)
        assert [row.pk for row in units] == ([root.pk] if root.depth == 1 else [])
        assert agencies == []  # the departments sit at the province, outside a commune's scope
