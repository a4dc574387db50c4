"""A citizen's personal data: exported and erased by phone or tracking code, erased by itself after the
retention period, the figures and the audit chain unchanged by it; every view of a contact logged."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from gandan.core.audit import verify_chain
from gandan.petitions import privacy, services, tasks
from gandan.petitions.models import Petition
from gandan.petitions.testing import receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def concerns(world):
    first = services.petition_accept(actor=world.commune_a_leader, petition=receive(
        world, citizen_name="Vàng Seo Sử", citizen_phone="0911 000 111", household=world.household_a1))
    second = receive(world, text="Đèn đường thôn Nậm Lìn bị hỏng", citizen_name="Vàng Seo Sử",
                     citizen_phone="+84911000111")
    other = receive(world, text="Mương nước bị tắc", citizen_name="Lý Thị Mai", citizen_phone="0987654321")
    return first, second, other


def test_the_export_by_phone_holds_every_concern_of_that_number_and_no_other(concerns, tmp_path, capsys):
    first, second, _other = concerns
    out = tmp_path / "export.json"
    call_command("privacy", "export", "--phone", "0911000111", "--output", str(out))
    data = json.loads(out.read_text())
    assert [row["code"] for row in data["concerns"]] == [first.code, second.code]
    assert data["concerns"][0]["citizen_name"] == "Vàng Seo Sử"
    assert data["concerns"][0]["household"] == first.household.code
    by_code = privacy.export(privacy.citizen_concerns(code=second.code.lower()))
    assert [row["code"] for row in by_code["concerns"]] == [first.code, second.code]


def test_erasing_blanks_the_contact_keeps_the_figures_and_the_chain_verifies(concerns):
    first, second, other = concerns
    counted = Petition.objects.values_list("pk", "status", "field", "unit_id", "received_at").order_by("pk")
    before = list(counted)
    with pytest.raises(CommandError, match="--yes"):
        call_command("privacy", "erase", "--code", first.code, "--reason", "yêu cầu của người dân")
    call_command("privacy", "erase", "--code", first.code, "--reason", "yêu cầu của người dân", "--yes")
    for p in (first, second):
        p.refresh_from_db()
        assert (p.citizen_name, p.citizen_phone, p.household_id, p.latitude) == ("", "", None, None)
    other.refresh_from_db()
    assert other.citizen_phone == "0987654321"
    assert list(counted) == before
    report = verify_chain()
    assert report.ok and report.checked > 0
    from gandan.core.models import AuditEvent

    erasures = AuditEvent.objects.filter(action="petition.erase_personal")
    assert erasures.count() == 2
    assert "911000111" not in json.dumps(list(AuditEvent.objects.values_list("before", "after")))


def test_the_nightly_job_erases_contacts_closed_longer_than_the_retention(concerns, settings):
    first, second, _other = concerns
    settings.GANDAN_CONTACT_RETENTION_DAYS = 30
    Petition.objects.filter(pk=first.pk).update(closed_at=timezone.now() - dt.timedelta(days=31))
    Petition.objects.filter(pk=second.pk).update(closed_at=timezone.now() - dt.timedelta(days=29))
    assert tasks.erase_expired_contacts.call_local() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.citizen_phone, second.citizen_phone) == ("", "+84911000111")
    assert tasks.erase_expired_contacts.call_local() == 0


def test_an_unknown_citizen_is_refused_clearly(world):
    with pytest.raises(CommandError):
        call_command("privacy", "export", "--phone", "0900000000")


def test_every_view_of_a_contact_is_logged_and_a_masked_view_is_not(world, concerns, client_as, api_as, caplog):
    first, _second, _other = concerns
    caplog.set_level(logging.INFO, logger="gandan.personal_data")
    client_as(world.commune_a_leader).get(f"/petitions/{first.pk}/")
    api_as(world.commune_a_leader).get(f"/api/v1/petitions/{first.pk}")
    api_as(world.commune_a_viewer).get(f"/api/v1/petitions/{first.pk}")
    records = [r for r in caplog.records if r.name == "gandan.personal_data"]
    assert [(r.username, r.code, r.path) for r in records] == [
        ("commune_a_leader", first.code, f"/petitions/{first.pk}/"),
        ("commune_a_leader", first.code, f"/api/v1/petitions/{first.pk}")]
    assert records[0].shown == "citizen_name,citizen_phone,household" and records[0].ground
