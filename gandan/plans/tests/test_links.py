"""What a task serves — a unit followed, a concern held, a campaign, a meeting: offered by the task form,
stored, shown on the task's page, and refused when outside the user's scope."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gandan.assignments.testing import make_assignment
from gandan.campaigns.testing import make_campaign
from gandan.fieldwork.models import Meeting
from gandan.petitions.testing import receive
from gandan.plans import services
from gandan.plans.models import Task
from gandan.plans.testing import on, task_in

pytestmark = pytest.mark.django_db
D = dt.date
DAY = D(2026, 3, 10)


@pytest.fixture
def served(world):
    """One thing of each kind that cadre_a's task may serve, and a campaign of commune B."""
    make_assignment(world.cadre_a, unit=world.village_a2)
    with on(D(2026, 3, 2)):
        petition = receive(world)
    petition.__class__.objects.filter(pk=petition.pk).update(holder_cadre=world.cadre_a)
    meeting = Meeting.objects.create(province=world.province, unit=world.village_a2, kind="committee",
                                     date=D(2026, 3, 15), title="Họp bàn làm đường liên thôn")
    campaign = make_campaign(world)
    elsewhere = make_campaign(world, name="Phong trào của xã Quản Bạ", agency=world.agency_b,
                              scope=[(world.commune_b, True)])
    return {"unit": world.village_a2, "petition": petition, "meeting": meeting, "campaign": campaign,
            "elsewhere": elsewhere}


def test_the_form_offers_the_four_links_and_the_task_page_shows_them(world, client_as, served):
    client = client_as(world.commune_a_cadre)
    with on(DAY):
        form = client.get(reverse("plans-task-new")).content.decode()
        for name in ("unit", "petition", "meeting", "campaign"):  # each in its own list of choices
            choices = re.search(rf'<select name="{name}".*?</select>', form, re.S)
            assert choices and f'<option value="{served[name].pk}"' in choices.group(), name
        assert served["elsewhere"].name not in form
        response = client.post(reverse("plans-task-new"), {
            "client_uuid": str(uuid.uuid4()), "title": "Vận động dân hiến đất làm đường", "weight": "1",
            "target_kind": "done", "due_on": "2026-03-25", "period": "month",
            **{name: served[name].pk for name in ("unit", "petition", "meeting", "campaign")}})
    task = Task.objects.get()
    assert response.status_code == 302
    assert (task.unit, task.petition, task.meeting, task.campaign) == (
        served["unit"], served["petition"], served["meeting"], served["campaign"])
    with on(DAY):  # the same day: a session left idle for months has expired
        page = client.get(reverse("plans-task", args=[task.pk])).content.decode()
    for name, pk in (("unit-detail", task.unit_id), ("petitions-detail", task.petition_id),
                     ("fieldwork-meeting", task.meeting_id), ("campaigns-detail", task.campaign_id)):
        assert f'href="{reverse(name, args=[pk])}"' in page


def test_a_link_from_elsewhere_preselects_what_the_task_serves(world, client_as, served):
    with on(DAY):
        form = client_as(world.commune_a_cadre).get(
            reverse("plans-task-new") + f"?campaign={served['campaign'].pk}").content.decode()
    assert f'<option value="{served["campaign"].pk}" selected>' in form


def test_a_campaign_outside_the_scope_is_refused_naming_the_field_and_nothing_is_written(world, client_as, served):
    with on(DAY), pytest.raises(ValidationError) as refused:
        services.task_add(actor=world.commune_a_cadre, data=task_in(due_on=D(2026, 3, 20),
                                                                   campaign_id=served["elsewhere"].pk))
    assert list(refused.value.message_dict) == ["campaign_id"]
    with on(DAY):
        page = client_as(world.commune_a_cadre).post(reverse("plans-task-new"), {
            "client_uuid": str(uuid.uuid4()), "title": "Việc của tỉnh khác", "weight": "1", "target_kind": "done",
            "due_on": "2026-03-25", "period": "month", "campaign": served["elsewhere"].pk})
    assert page.status_code == 200 and "Không tìm thấy mục này trong phạm vi của bạn." in page.content.decode()
    assert not Task.objects.exists()


def test_the_api_takes_and_returns_the_campaign(world, served, api_as):
    client = api_as(world.commune_a_cadre)
    with on(DAY):
        response = client.post("/api/v1/plans/tasks", {
            "client_uuid": str(uuid.uuid4()), "title": "Ra quân làm đường", "weight": "1", "due_on": "2026-03-25",
            "campaign_id": served["campaign"].pk}, content_type="application/json")
    assert response.status_code == 201 and response.json()["campaign_id"] == served["campaign"].pk


def test_a_task_at_a_unit_that_has_merged_is_refused_and_says_where_to_place_it(world):
    from gandan.org.services import unit_merge
    from gandan.org.testing import make_unit

    old = make_unit("village", "Thôn Cũ", world.commune_a)
    with on(dt.date(2026, 3, 10)):
        unit_merge(actor=None, sources=[old], target=world.village_a1, effective=dt.date(2026, 3, 1))
        with pytest.raises(ValidationError) as refused:
            services.task_add(actor=world.commune_a_leader, data=task_in(cadre_id=world.cadre_a.pk, unit_id=old.pk,
                                                                         due_on=dt.date(2026, 3, 25)))
    assert "đã sáp nhập vào Thôn Nậm Lìn" in str(refused.value.message_dict["unit_id"])
    assert not Task.objects.exists()
