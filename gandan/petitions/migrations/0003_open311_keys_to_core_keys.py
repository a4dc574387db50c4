"""Open311 keys move to core.ApiKey (kind "open311", scope "create_request"), each with an
Open311Client row for its province. Their SHA-256 hashes and prefixes are kept, so every key already
handed out keeps working; their ids are new (core.ApiKey's ids are shared with personal tokens,
which keep theirs; the audit events of a key name its prefix). Reversible: the reverse copies the
keys back into petitions.Open311Key and removes them from core.ApiKey."""

import django.db.models.deletion
from django.core.management.color import no_style
from django.db import migrations, models

KIND, SCOPES = "open311", ["create_request"]


def _reset_sequence(schema_editor, model):
    """After rows were inserted with their ids, the next id must come after them (PostgreSQL)."""
    for statement in schema_editor.connection.ops.sequence_reset_sql(no_style(), [model]):
        schema_editor.execute(statement)


def open311_keys_to_core(apps, schema_editor):
    db = schema_editor.connection.alias
    Open311Key = apps.get_model("petitions", "Open311Key")
    Open311Client = apps.get_model("petitions", "Open311Client")
    ApiKey = apps.get_model("core", "ApiKey")
    for old in Open311Key.objects.using(db).order_by("id"):
        key = ApiKey.objects.using(db).create(
            kind=KIND, name=old.name, prefix=old.prefix, key_hash=old.key_hash, scopes=SCOPES,
            created_at=old.created_at, last_used_at=old.last_used_at, revoked_at=old.revoked_at)
        Open311Client.objects.using(db).create(key=key, province_id=old.province_id)


def core_to_open311_keys(apps, schema_editor):
    db = schema_editor.connection.alias
    Open311Key = apps.get_model("petitions", "Open311Key")
    Open311Client = apps.get_model("petitions", "Open311Client")
    ApiKey = apps.get_model("core", "ApiKey")
    for client in Open311Client.objects.using(db).select_related("key").order_by("key_id"):
        key = client.key
        Open311Key.objects.using(db).create(id=key.id, province_id=client.province_id, name=key.name,
                                            prefix=key.prefix, key_hash=key.key_hash,
                                            last_used_at=key.last_used_at, revoked_at=key.revoked_at)
        # created_at is auto_now_add on the old model: set it after the insert
        Open311Key.objects.using(db).filter(pk=key.id).update(created_at=key.created_at)
    ApiKey.objects.using(db).filter(kind=KIND).delete()
    _reset_sequence(schema_editor, Open311Key)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_api_key"),
        ("org", "0002_unit_centre"),
        ("people", "0002_api_tokens_to_core_keys"),  # personal tokens keep their ids: copy them first
        ("petitions", "0002_holiday_nationwide"),
    ]

    operations = [
        migrations.CreateModel(
            name="Open311Client",
            fields=[
                ("key", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                             related_name="open311_client", serialize=False, to="core.apikey")),
                ("province", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                               to="org.adminunit")),
            ],
        ),
        migrations.RunPython(open311_keys_to_core, core_to_open311_keys),
        migrations.DeleteModel(name="Open311Key"),
    ]
