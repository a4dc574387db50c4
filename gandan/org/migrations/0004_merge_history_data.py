"""Units merged before 0003 count under their heir (a migration of its own: on PostgreSQL, rows written in
the transaction that adds the column would block the deferred index creation)."""

from django.db import migrations


def _history(apps, schema_editor):
    """Units merged before this migration: point them at their heir and re-root their paths under
    their successor's, earliest merge first (a later merge's subtree rewrite carries the earlier)."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat, Substr

    unit_model = apps.get_model("org", "AdminUnit")
    for unit in unit_model.objects.filter(successor__isnull=False).order_by("valid_to", "pk"):
        unit = unit_model.objects.select_related("level").get(pk=unit.pk)
        successor = unit_model.objects.get(pk=unit.successor_id)
        heir, seen = successor, {unit.pk}
        while heir.successor_id is not None and heir.pk not in seen:
            seen.add(heir.pk)
            heir = unit_model.objects.get(pk=heir.successor_id)
        old = unit.path
        new = f"{successor.path}.~{unit.level.code}-{unit.code.replace('.', '-')}"
        shift = successor.depth + 1 - unit.depth
        unit_model.objects.filter(path__startswith=old + ".").update(
            path=Concat(Value(new), Substr(F("path"), len(old) + 1)), depth=F("depth") + shift)
        unit_model.objects.filter(pk=unit.pk).update(path=new, depth=successor.depth + 1, heir=heir.pk)



class Migration(migrations.Migration):
    dependencies = [("org", "0003_merge_history")]
    operations = [migrations.RunPython(_history, migrations.RunPython.noop)]
