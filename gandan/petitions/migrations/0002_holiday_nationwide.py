"""A holiday row without a province holds nationwide (the public holidays now come from the
`holidays` package; these rows correct it). Going back, each nationwide row becomes a row of
every province that has none on that date, so every province keeps the same calendar."""

import django.db.models.deletion
from django.db import migrations, models


def nationwide_rows_to_each_province(apps, schema_editor):
    Holiday = apps.get_model("petitions", "Holiday")
    AdminUnit = apps.get_model("org", "AdminUnit")
    nationwide = list(Holiday.objects.filter(province__isnull=True))
    provinces = list(AdminUnit.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    for row in nationwide:
        taken = set(Holiday.objects.filter(date=row.date, province__isnull=False).values_list("province_id", flat=True))
        Holiday.objects.bulk_create([Holiday(province_id=pk, date=row.date, name=row.name, working_day=row.working_day)
                                     for pk in provinces if pk not in taken])
    Holiday.objects.filter(province__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_unit_centre'),
        ('petitions', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='holiday',
            name='province',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.adminunit'),
        ),
        migrations.AddConstraint(
            model_name='holiday',
            constraint=models.UniqueConstraint(condition=models.Q(('province__isnull', True)), fields=('date',), name='petition_holiday_nationwide_unique'),
        ),
        migrations.RunPython(migrations.RunPython.noop, nationwide_rows_to_each_province),
    ]
