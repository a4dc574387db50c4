"""Every count on the figures pages equals the rows of the list it links to, at every level: the count
and the list are one definition (figures.held_stints and figures.figure_q)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from gandan.petitions import services
from gandan.petitions.testing import province_committee_agency, receive

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
COUNT_LINK = re.compile(r'<a[^>]*href="([^"]*/list/\?[^"]*)"[^>]*>(\d+)</a>')


def answered(world, **extra):
    p = services.petition_accept(actor=world.commune_a_cadre, petition=receive(world, **extra))
    return services.petition_answer(actor=world.commune_a_leader, petition=p, text="Đã sửa")


def reopened_twice_at_the_province(world):
    """Not satisfied with the commune, then with the province: the province holds it a second time."""
    p = answered(world, text="Đường lại hỏng")
    p = services.petition_rate(actor=None, petition=p, satisfied=False, pin=p.pin)
    p = services.petition_accept(actor=world.province_committee, petition=p)
    p = services.petition_answer(actor=world.province_committee, petition=p, text="Tỉnh đã kiểm tra")
    return services.petition_rate(actor=None, petition=p, satisfied=False, pin=p.pin)


@pytest.fixture
def figures_world(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    province_committee_agency(world)
    done = answered(world, text="Đèn đường")
    services.petition_rate(actor=None, petition=done, satisfied=True, pin=done.pin)
    reopened_twice_at_the_province(world)
    services.petition_escalate(actor=world.commune_a_leader, note="vượt thẩm quyền",
                               petition=services.petition_accept(actor=world.commune_a_cadre,
                                                                 petition=receive(world, text="Lên tỉnh")))
    moved = services.petition_accept(actor=world.commune_a_cadre, petition=receive(world, field="land"))
    services.petition_transfer(actor=world.commune_a_leader, petition=moved, note="Sở")
    receive(world, unit=world.village_b1, actor=world.province_committee, text="Quản Bạ chưa nhận")
    receive(world, text="Chưa nhận")
    time_machine.shift(dt.timedelta(days=40))  # some deadlines have passed: overdue and settled stints
    return world


def count_links(client, **params):
    response = client.get(reverse("petitions-rates"), params)
    assert response.status_code == 200
    return [(html.unescape(href), int(number)) for href, number in COUNT_LINK.findall(response.content.decode())]


@pytest.mark.parametrize("persona", ["province_committee", "commune_a_leader", "department_handler"])
def test_every_count_on_the_rates_page_lists_exactly_that_many_rows(figures_world, client, persona):
    client.force_login(getattr(figures_world, persona))
    links = count_links(client, start="2026-03-01", end="2026-03-31")
    assert links, "the page shows counts"
    for href, shown in links:
        listed = client.get(href).context["rows"].paginator.count
        assert listed == shown, href


def test_the_province_row_counts_a_concern_it_held_twice_twice_and_lists_it_twice(figures_world, client):
    client.force_login(figures_world.province_committee)
    held_by_province = f"held_unit={figures_world.province.pk}&"
    province = {href: shown for href, shown in count_links(client, start="2026-03-01", end="2026-03-31")
                if held_by_province in href}
    received = next(shown for href, shown in province.items() if "flag=received" in href)
    assert received == 3  # escalated, reopened once, reopened again
    assert all(client.get(href).context["rows"].paginator.count == shown for href, shown in province.items())


def test_a_department_handler_sees_the_same_counts_but_lists_only_its_own(figures_world, client):
    """Its department held only some of the province's concerns: the units' counts stay (they are the
    same for everyone) but are not links to a list that could only be shorter."""
    client.force_login(figures_world.department_handler)
    page = client.get(reverse("petitions-rates"), {"start": "2026-03-01", "end": "2026-03-31"}).content.decode()
    assert 'data-unlinked="received"' in page
    client.force_login(figures_world.province_committee)
    page = client.get(reverse("petitions-rates"), {"start": "2026-03-01", "end": "2026-03-31"}).content.decode()
    assert 'data-unlinked="received"' not in page
