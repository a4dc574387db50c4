"""A merge made through its page while Redis is down (core/outbox.py): the merge is written and answers
as usual, the rebuild of the rollups it asks for is kept, not lost, and runs once the queue is back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gandan.core import outbox
from gandan.core.models import QueuedJob
from gandan.core.testing_queue import queue_unreachable
from gandan.org.models import AdminUnit, MergeStatus, UnitMerge
from gandan.people.models import Role
from gandan.people.testing import build_world, make_user
from gandan.reports import jobs

pytestmark = pytest.mark.django_db(transaction=True)  # the job is asked for when the merge commits
VN = dt.timezone(dt.timedelta(hours=7))


def test_a_merge_during_a_redis_outage_is_written_and_its_rebuild_kept_then_run(time_machine, monkeypatch):
    time_machine.move_to(dt.datetime(2026, 3, 10, 9, 0, tzinfo=VN), tick=False)
    world = build_world()
    admin = make_user("province_admin", role=Role.UNIT_ADMIN, unit=world.province)
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    rebuilt: list[list[int]] = []

    def rebuild(provinces: list[int]) -> int:
        rebuilt.append(provinces)
        return 0

    monkeypatch.setattr(jobs, "rebuild_all_months", rebuild)

    with queue_unreachable():
        response = client.post("/units/merges/new/", {
            "sources": [world.commune_b.pk], "target": world.commune_a.pk, "effective": "10/03/2026",
            "area": world.province.pk, "confirm_now": "1"})
    assert response.status_code == 302
    assert UnitMerge.objects.get().status == MergeStatus.APPLIED
    assert AdminUnit.objects.get(pk=world.commune_b.pk).heir_id == world.commune_a.pk
    job = QueuedJob.objects.get()
    assert (job.task, job.args) == ("gandan.reports.tasks.rebuild_rollups_of", [[world.province.pk]])
    assert rebuilt == []

    assert outbox.drain() == 1  # the queue is back (immediate mode: the job runs here)
    assert rebuilt == [[world.province.pk]] and not QueuedJob.objects.exists()
