"""The leave and transfer rules become rubric data: every version stored before says, in its body, the
behaviour it was made with (Decree 335: a month on leave is left out of the year; the month of a transfer
goes to the unit where more days were worked, the new unit's on a tie; the old unit's months are sent
along), so that no version changes meaning."""

from django.db import migrations

LEAVE = {"month": "excluded", "min_days": 0}
TRANSFER = {"month": "more_days", "sent_along": True}


def forwards(apps, schema_editor):
    Rubric = apps.get_model("evaluation", "Rubric")
    changed = []
    for rubric in Rubric.objects.all().only("pk", "body").iterator():
        body = rubric.body if isinstance(rubric.body, dict) else None
        if body is None or ("leave" in body and "transfer" in body):
            continue
        body.setdefault("leave", dict(LEAVE))
        body.setdefault("transfer", dict(TRANSFER))
        changed.append(rubric)
    Rubric.objects.bulk_update(changed, ["body"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0006_leaders_initiatives"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
