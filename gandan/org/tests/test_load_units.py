from __future__ import annotations

from django.core.management import call_command

from gandan.core.audit import verify_chain
from gandan.core.models import AuditEvent
from gandan.org.models import AdminUnit


def _rows():
    return list(AdminUnit.objects.order_by("path").values_list("level__code", "code", "name", "path", "parent__code"))


def test_load_units_twice_gives_the_same_rows(db):
    call_command("load_units", verbosity=0)
    first = _rows()
    events = AuditEvent.objects.count()
    call_command("load_units", verbosity=0)
    assert _rows() == first
    assert AuditEvent.objects.count() == events, "an unchanged reload writes nothing"
    assert AdminUnit.objects.filter(level__code="province").count() == 34
    assert AdminUnit.objects.filter(level__code="commune").count() == 3321
    tuyen_quang = AdminUnit.objects.get(level__code="province", name="Tỉnh Tuyên Quang")
    communes = AdminUnit.objects.below(tuyen_quang)
    assert communes.filter(name="Xã Nghĩa Thuận").exists() and communes.filter(name="Xã Quản Bạ").exists()
    assert set(communes.values_list("province", flat=True)) == {tuyen_quang.pk}
    assert verify_chain().ok


def test_a_renamed_unit_is_updated_in_place_on_reload(db):
    call_command("load_units", verbosity=0)
    unit = AdminUnit.objects.get(level__code="commune", name="Xã Nghĩa Thuận")
    AdminUnit.objects.filter(pk=unit.pk).update(name="Xã Cũ", name_folded="xa cu")
    call_command("load_units", verbosity=0)
    unit.refresh_from_db()
    assert (unit.name, unit.name_folded) == ("Xã Nghĩa Thuận", "xa nghia thuan")
    assert AuditEvent.objects.filter(action="unit.update", object_id=str(unit.pk)).count() == 1
