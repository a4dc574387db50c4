"""Reminders before due dates, for overdue tasks and for assessments waiting: once a day each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from gandan.people.models import Cadre, Role, User
from gandan.people.testing import make_cadre, make_user
from gandan.plans import services
from gandan.plans.models import Reminder, ReminderPreference
from gandan.plans.reminders import send_reminders
from gandan.plans.tasks import remind_due_and_waiting_tasks
from gandan.plans.testing import assign, finish, on, task_in

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_owner_hears_of_a_task_due_soon_and_overdue_and_the_assigner_of_one_waiting(world):
    soon = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 12))
    late = assign(world, given=D(2026, 3, 2), due=D(2026, 3, 9))
    waiting = finish(assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20)), world.commune_a_cadre, D(2026, 3, 8))
    assign(world, given=D(2026, 3, 2), due=D(2026, 3, 30))  # far off: nothing
    counts = send_reminders(D(2026, 3, 10))
    assert counts["written"] == 3
    assert set(Reminder.objects.values_list("recipient__username", "task_id", "kind")) == {
        ("commune_a_cadre", soon.pk, "due_soon"), ("commune_a_cadre", late.pk, "overdue"),
        ("commune_a_leader", waiting.pk, "awaiting")}
    assert "10/03/2026" not in Reminder.objects.get(task=soon).message and "12/03/2026" in Reminder.objects.get(
        task=soon).message
    assert send_reminders(D(2026, 3, 10))["written"] == 0  # the same day again: nothing new


def test_the_periodic_job_runs_the_same_service(world, settings):
    assign(world, given=D(2026, 3, 2), due=D(2026, 3, 12))
    with on(D(2026, 3, 11)):
        remind_due_and_waiting_tasks.call_local()
    assert Reminder.objects.filter(kind="due_soon").count() == 1


@pytest.fixture
def mail_on(settings):
    settings.EMAIL_HOST = "mail.tuyenquang.gov.vn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def remind(day: dt.date, capture) -> dict[str, int]:
    with capture(execute=True):
        return send_reminders(day)


def test_a_reminder_reads_in_the_readers_language(world, client, settings):
    assign(world, given=D(2026, 3, 2), due=D(2026, 3, 12), title="Họp dân thôn Nậm Lìn")
    send_reminders(D(2026, 3, 10))
    client.force_login(world.commune_a_cadre)
    with on(D(2026, 3, 10)):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = client.get(reverse("plans-home")).content.decode()
        Reminder.objects.update(read_at=None)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
        vietnamese = client.get(reverse("plans-home")).content.decode()
    assert "The task “Họp dân thôn Nậm Lìn” is due on 12/03/2026." in english
    assert "Nhiệm vụ “Họp dân thôn Nậm Lìn” đến hạn ngày 12/03/2026." in vietnamese
    assert Reminder.objects.get().message == "Nhiệm vụ “Họp dân thôn Nậm Lìn” đến hạn ngày 12/03/2026."
    assert ReminderPreference.objects.get(user=world.commune_a_cadre).language == "vi"


def test_where_mail_is_configured_each_recipient_with_an_address_gets_one_message_in_their_language(
        world, mail_on, django_capture_on_commit_callbacks):
    User.objects.filter(pk=world.commune_a_cadre.pk).update(email="canbo.a@nghiathuan.gov.vn")
    ReminderPreference.objects.create(user=world.commune_a_cadre, language="en")
    assign(world, given=D(2026, 3, 2), due=D(2026, 3, 12), title="Họp dân thôn Nậm Lìn")
    assign(world, given=D(2026, 3, 2), due=D(2026, 3, 9), title="Rà soát hộ nghèo")
    finish(assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20)), world.commune_a_cadre, D(2026, 3, 8))
    assert not world.commune_a_leader.email  # the assigner has no address: in the app only
    counts = remind(D(2026, 3, 10), django_capture_on_commit_callbacks)
    assert counts["written"] == 3
    [message] = mail.outbox
    assert message.to == ["canbo.a@nghiathuan.gov.vn"]
    assert message.subject == "Gần Dân: 2 reminders about plans and tasks"
    assert "The task “Họp dân thôn Nậm Lìn” is due on 12/03/2026." in message.body
    assert "The task “Rà soát hộ nghèo” has been overdue since 09/03/2026." in message.body
    assert Reminder.objects.filter(emailed_at__isnull=False).count() == 2
    remind(D(2026, 3, 10), django_capture_on_commit_callbacks)  # the same day again: no second message
    assert len(mail.outbox) == 1


def test_a_recipient_who_never_chose_a_language_is_mailed_in_vietnamese(world, mail_on,
                                                                          django_capture_on_commit_callbacks):
    User.objects.filter(pk=world.commune_a_leader.pk).update(email="lanhdao.a@nghiathuan.gov.vn")
    finish(assign(world, given=D(2026, 3, 2), due=D(2026, 3, 20), title="Báo cáo tháng"), world.commune_a_cadre,
           D(2026, 3, 8))
    remind(D(2026, 3, 10), django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["lanhdao.a@nghiathuan.gov.vn"]
    assert "Nhiệm vụ “Báo cáo tháng” đã xong, đang chờ bạn đánh giá." in message.body


def test_without_mail_configured_reminders_stay_in_the_app(world, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = ""
    User.objects.filter(pk=world.commune_a_cadre.pk).update(email="canbo.a@nghiathuan.gov.vn")
    assign(world, given=D(2026, 3, 2), due=D(2026, 3, 12))
    assert remind(D(2026, 3, 10), django_capture_on_commit_callbacks)["written"] == 1
    assert mail.outbox == [] and not Reminder.objects.filter(emailed_at__isnull=False).exists()


def test_a_submitted_plan_tells_the_manager_in_their_language(world, client_as, settings):
    chair = make_user("chu_tich", role=Role.LEADER, unit=world.commune_a, cadre=make_cadre(world.agency_a, "Hoàng Hải"))
    Cadre.objects.filter(pk=world.cadre_a.pk).update(manager=chair.cadre)
    world.commune_a_cadre.cadre.refresh_from_db()
    with on(D(2026, 3, 10)):
        task, _ = services.task_add(actor=world.commune_a_cadre, data=task_in(due_on=D(2026, 3, 20)))
        services.plan_submit(actor=world.commune_a_cadre, plan=task.plan)
        client = client_as(chair)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.get(reverse("plans-home")).content.decode()
    assert f"{world.cadre_a.full_name}&#x27;s plan awaits approval." in page
    assert reverse("plans-plan", args=[task.plan_id]) in page
