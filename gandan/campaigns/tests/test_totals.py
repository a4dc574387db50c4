"""Totals on a hand-computed data set.

Commune A's weekend campaign, four events (the fourth outside March):
  e1 07/03 Nậm Lìn (A1)   cadres a, b      declared 5   citizens 40  roads 1.5 km  fields 2 ha
  e2 14/03 Nậm Lìn (A1)   cadres a         declared 3   citizens 25  roads 2.25 km
  e3 31/03 Cốc Pảng (A2)  cadres a, b, c   declared 3   citizens 10  gardens 4
  e4 01/04 Cốc Pảng (A2)  cadres c         declared 1   citizens 5   roads 1 km
March: 3 events, 11 participations (declared), 6 named, 3 people, 75 citizens; roads 3.75 km, fields
2 ha, gardens 4 — three totals, never one sum.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gandan.campaigns import queries
from gandan.campaigns.inputs import OutputIn
from gandan.campaigns.testing import make_campaign, make_event
from gandan.people.testing import make_cadre

pytestmark = pytest.mark.django_db
MARCH = {"date_from": dt.date(2026, 3, 1), "date_to": dt.date(2026, 3, 31)}


@pytest.fixture
def data(world):
    b = make_cadre(world.agency_a, "Hoàng Thị Lan")
    c = make_cadre(world.agency_a, "Ma Văn Kiên")
    d = make_cadre(world.agency_a, "Nông Thị Hoa")  # expected, never joins
    campaign = make_campaign(world)
    a1, a2 = world.village_a1.pk, world.village_a2.pk
    roads = [OutputIn(indicator="roads_repaired", amount="1.5", measure="km"),
             OutputIn(indicator="fields_reclaimed", amount="2", measure="ha")]
    e1 = make_event(world, campaign, date=dt.date(2026, 3, 7), unit_id=a1, cadre_ids=[world.cadre_a.pk, b.pk],
                    cadre_participations=5, citizens=40, outputs=roads, party_members_reached=12,
                    party_cell_ids=[world.party_cell_a.pk])
    e2 = make_event(world, campaign, date=dt.date(2026, 3, 14), unit_id=a1, cadre_ids=[world.cadre_a.pk],
                    cadre_participations=3, citizens=25, party_cell_ids=[world.party_cell_a.pk],
                    outputs=[OutputIn(indicator="roads_repaired", amount="2.25", measure="km")])
    e3 = make_event(world, campaign, date=dt.date(2026, 3, 31), unit_id=a2,
                    cadre_ids=[world.cadre_a.pk, b.pk, c.pk], citizens=10,
                    outputs=[OutputIn(indicator="gardens_renovated", amount="4", measure="gardens")])
    e4 = make_event(world, campaign, date=dt.date(2026, 4, 1), unit_id=a2, cadre_ids=[c.pk], citizens=5,
                    outputs=[OutputIn(indicator="roads_repaired", amount="1", measure="km")])
    return {"campaign": campaign, "cadres": (world.cadre_a, b, c, d), "events": (e1, e2, e3, e4)}


def test_participations_count_person_events_and_participants_count_people(world, data):
    t = queries.totals(world.commune_a_leader, queries.EventFilters(campaign=data["campaign"], **MARCH))
    assert (t.events, t.participations, t.named_participations, t.participants) == (3, 11, 6, 3)
    assert (t.citizens, t.party_members, t.party_cells) == (75, 12, 1)


def test_outputs_are_summed_per_indicator_and_never_across_measures(world, data):
    t = queries.totals(world.commune_a_leader, queries.EventFilters(campaign=data["campaign"], **MARCH))
    assert [(o.code, o.measure, o.amount, o.events) for o in t.outputs] == [
        ("roads_repaired", "km", Decimal("3.75"), 2), ("fields_reclaimed", "ha", Decimal("2"), 1),
        ("gardens_renovated", "gardens", Decimal("4"), 1)]


def test_events_on_the_edges_of_the_period_are_in_it_and_the_next_day_is_not(world, data):
    e1, _e2, e3, e4 = data["events"]
    march = queries.events_filtered(world.commune_a_leader, queries.EventFilters(campaign=data["campaign"], **MARCH))
    assert e1 in march and e3 in march and e4 not in march
    april = queries.totals(world.commune_a_leader, queries.EventFilters(
        campaign=data["campaign"], date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 4, 30)))
    assert (april.events, april.participations, april.participants) == (1, 1, 1)


def test_events_per_unit_roll_up_to_the_children_of_the_chosen_unit(world, data):
    t = queries.totals(world.commune_a_leader, queries.EventFilters(unit=world.commune_a, **MARCH))
    assert [(r.unit.name, r.events, r.participations, r.citizens) for r in t.by_unit] == [
        ("Thôn Cốc Pảng", 1, 3, 10), ("Thôn Nậm Lìn", 2, 8, 65)]
    village = queries.totals(world.commune_a_leader, queries.EventFilters(unit=world.village_a1))
    assert (village.events, village.citizens) == (2, 65)


def test_trends_by_month(world, data):
    t = queries.totals(world.commune_a_leader, queries.EventFilters(campaign=data["campaign"]))
    assert [(m.month, m.events, m.participations, m.citizens) for m in t.by_month] == [
        (dt.date(2026, 3, 1), 3, 11, 75), (dt.date(2026, 4, 1), 1, 1, 5)]
    assert t.by_month[0].outputs[("roads_repaired", "km")] == Decimal("3.75")


def test_every_figure_drills_down_to_its_events(world, data):
    e1, e2, e3, _e4 = data["events"]
    user = world.commune_a_leader
    by_cadre = queries.EventFilters(campaign=data["campaign"], cadre_id=data["cadres"][1].pk, **MARCH)
    assert set(queries.events_filtered(user, by_cadre)) == {e1, e3}
    by_indicator = queries.EventFilters(campaign=data["campaign"], indicator="roads_repaired", **MARCH)
    assert set(queries.events_filtered(user, by_indicator)) == {e1, e2}
    assert by_indicator.as_query()["indicator"] == "roads_repaired"


def test_compliance_names_who_has_not_joined_enough_in_each_month(world, data):
    a, b, c, d = data["cadres"]
    report = queries.compliance(world.commune_a_leader, data["campaign"], date_from=dt.date(2026, 3, 1),
                                date_to=dt.date(2026, 4, 30))
    assert report.periods == [dt.date(2026, 3, 1), dt.date(2026, 4, 1)]
    assert report.expected == 4
    assert {(r.cadre.pk, r.period, r.joined) for r in report.behind} == {
        (d.pk, dt.date(2026, 3, 1), 0), (a.pk, dt.date(2026, 4, 1), 0), (b.pk, dt.date(2026, 4, 1), 0),
        (d.pk, dt.date(2026, 4, 1), 0)}
    assert report.complying == 1  # c joined in both months


def test_a_quarterly_rule_counts_the_quarter(world, data):
    campaign = data["campaign"]
    campaign.min_events, campaign.rule_period = 3, "quarter"
    campaign.save()
    report = queries.compliance(world.commune_a_leader, campaign, date_from=dt.date(2026, 1, 1),
                                date_to=dt.date(2026, 3, 31))
    assert {(r.cadre.full_name, r.joined) for r in report.behind} == {
        ("Hoàng Thị Lan", 2), ("Ma Văn Kiên", 1), ("Nông Thị Hoa", 0)}


def test_an_outsider_sees_no_totals(world, data):
    t = queries.totals(world.other_province_leader, queries.EventFilters())
    assert (t.events, t.participations, t.outputs) == (0, 0, [])
