"""The agreed weight of a task outside the catalogue: only its assigner sets it (a leader of the owner's
before anyone assigned it), audited; anyone else, a catalogue task or an accepted one is refused with a
clear message and nothing changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gandan.core.models import AuditEvent
from gandan.people.models import Role
from gandan.people.testing import make_cadre, make_user
from gandan.plans import services
from gandan.plans.testing import assess, assign, finish, make_item, on, task_in

pytestmark = pytest.mark.django_db
D = dt.date
DAY = D(2026, 3, 10)


@pytest.fixture
def task(world):
    return assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20), weight="1")


def weight_of(task) -> Decimal:
    task.refresh_from_db()
    return task.weight


def test_the_assigner_sets_the_agreed_weight_and_it_is_audited(world, task):
    with on(DAY):
        services.task_set_weight(actor=world.commune_a_leader, task=task, weight=Decimal("2.5"))
    assert weight_of(task) == Decimal("2.5")
    event = AuditEvent.objects.get(action="task.weight")
    assert (event.before, event.after) == ({"weight": "1.00"}, {"weight": "2.5"})  # before: as stored, read locked
    assert event.actor_id == world.commune_a_leader.pk


def test_the_owner_another_leader_and_an_outsider_are_refused_and_nothing_changes(world, task):
    another = make_user("pho_chu_tich", role=Role.LEADER, unit=world.commune_a,
                        cadre=make_cadre(world.agency_a, "Lục Thị Hoa"))
    for actor in (world.commune_a_cadre, another, world.other_province_leader, world.commune_a_viewer):
        with on(DAY), pytest.raises(PermissionDenied) as refused:
            services.task_set_weight(actor=actor, task=task, weight=Decimal("5"))
        assert str(refused.value) == "Chỉ người giao việc thỏa thuận trọng số của nhiệm vụ."
    assert weight_of(task) == 1 and not AuditEvent.objects.filter(action="task.weight").exists()


def test_a_catalogue_task_keeps_its_norm_and_an_accepted_task_its_weight(world, task):
    item = make_item(world.agency_a, weight="1.5")
    with on(DAY):
        listed, _ = services.task_add(actor=world.commune_a_leader, data=task_in(
            cadre_id=world.cadre_a.pk, due_on=D(2026, 3, 20), catalogue_item_id=item.pk))
        with pytest.raises(ValidationError) as refused:
            services.task_set_weight(actor=world.commune_a_leader, task=listed, weight=Decimal("9"))
    assert refused.value.message_dict == {"weight": ["Trọng số của nhiệm vụ trong danh mục là định mức của danh mục."]}
    assess(finish(task, world.commune_a_cadre, D(2026, 3, 12)), world.commune_a_leader, D(2026, 3, 13))
    with on(D(2026, 3, 14)), pytest.raises(ValidationError) as refused:
        services.task_set_weight(actor=world.commune_a_leader, task=task, weight=Decimal("9"))
    assert list(refused.value.message_dict) == ["weight"]
    assert (weight_of(listed), weight_of(task)) == (Decimal("1.5"), Decimal(1))


@pytest.mark.parametrize("weight", [Decimal(0), Decimal("-1"), Decimal("100000"), None])
def test_a_weight_out_of_bounds_is_refused_naming_the_field(world, task, weight):
    with on(DAY), pytest.raises(ValidationError) as refused:
        services.task_set_weight(actor=world.commune_a_leader, task=task, weight=weight)
    assert list(refused.value.message_dict) == ["weight"] and weight_of(task) == 1


def test_before_the_plan_is_approved_the_owners_leader_agrees_the_weight_not_the_owner(world):
    with on(DAY):
        drafted, _ = services.task_add(actor=world.commune_a_cadre, data=task_in(due_on=D(2026, 3, 20)))
        assert drafted.assigner_id is None
        with pytest.raises(PermissionDenied):
            services.task_set_weight(actor=world.commune_a_cadre, task=drafted, weight=Decimal("3"))
        services.task_set_weight(actor=world.commune_a_leader, task=drafted, weight=Decimal("3"))
    assert weight_of(drafted) == 3


def test_the_task_page_offers_the_weight_to_the_assigner_only_and_posts_it(world, client_as, task):
    url = reverse("plans-task-weight", args=[task.pk])
    with on(DAY):
        owner = client_as(world.commune_a_cadre)
        assert 'data-testid="weight-form"' not in owner.get(reverse("plans-task", args=[task.pk])).content.decode()
        refused = owner.post(url, {"weight": "4"}, follow=True)
        assert "Chỉ người giao việc thỏa thuận trọng số của nhiệm vụ." in refused.content.decode()
        assert client_as(world.other_province_leader).post(url, {"weight": "4"}).status_code == 404
        leader = client_as(world.commune_a_leader)
        assert 'data-testid="weight-form"' in leader.get(reverse("plans-task", args=[task.pk])).content.decode()
        assert leader.post(url, {"weight": "4"}).status_code == 302
    assert weight_of(task) == 4


def test_the_api_sets_the_weight_for_the_assigner_refuses_the_owner_and_hides_it_from_outsiders(world, api_as, task):
    path = f"/api/v1/plans/tasks/{task.pk}/weight"
    with on(DAY):
        assert api_as(world.other_province_leader).post(path, {"weight": "3"},
                                                       content_type="application/json").status_code == 404
        assert api_as(world.commune_a_cadre).post(path, {"weight": "3"},
                                                  content_type="application/json").status_code == 403
        done = api_as(world.commune_a_leader).post(path, {"weight": "3"}, content_type="application/json")
    assert done.status_code == 200 and Decimal(done.json()["weight"]) == 3 and weight_of(task) == 3
