"""The shared indicator catalogue (campaigns/defaults.py); reversible: removes only unused defaults."""

from django.db import migrations

from gandan.campaigns.defaults import DEFAULT_INDICATORS


def load(apps, schema_editor):
    Indicator = apps.get_model("campaigns", "Indicator")
    for position, (code, name_vi, name_en, measure) in enumerate(DEFAULT_INDICATORS, start=1):
        Indicator.objects.get_or_create(code=code, defaults={"name_vi": name_vi, "name_en": name_en,
                                                             "measure": measure, "position": position})


def unload(apps, schema_editor):
    Indicator = apps.get_model("campaigns", "Indicator")
    EventOutput = apps.get_model("campaigns", "EventOutput")
    used = set(EventOutput.objects.values_list("indicator__code", flat=True))
    Indicator.objects.filter(code__in=[c for c, *_ in DEFAULT_INDICATORS]).exclude(code__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
