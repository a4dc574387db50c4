"""Personal API tokens move to core.ApiKey (kind "personal", scope "api"), keeping their ids, so that
URLs and audit events that name a token still name it, and their SHA-256 hashes, so that every key
already handed out keeps working. Reversible: the reverse copies the keys back into people.ApiToken
and removes them from core.ApiKey."""

from django.core.management.color import no_style
from django.db import migrations

KIND, SCOPES = "personal", ["api"]


def _reset_sequence(schema_editor, model):
    """After rows were inserted with their ids, the next id must come after them (PostgreSQL)."""
    for statement in schema_editor.connection.ops.sequence_reset_sql(no_style(), [model]):
        schema_editor.execute(statement)


def tokens_to_keys(apps, schema_editor):
    db = schema_editor.connection.alias
    ApiToken = apps.get_model("people", "ApiToken")
    ApiKey = apps.get_model("core", "ApiKey")
    ApiKey.objects.using(db).bulk_create([
        ApiKey(id=token.id, kind=KIND, name=token.name, prefix=token.prefix, key_hash=token.key_hash,
               user_id=token.user_id, scopes=SCOPES, created_at=token.created_at,
               last_used_at=token.last_used_at, revoked_at=token.revoked_at)
        for token in ApiToken.objects.using(db).order_by("id")])
    _reset_sequence(schema_editor, ApiKey)


def keys_to_tokens(apps, schema_editor):
    db = schema_editor.connection.alias
    ApiToken = apps.get_model("people", "ApiToken")
    ApiKey = apps.get_model("core", "ApiKey")
    keys = ApiKey.objects.using(db).filter(kind=KIND)
    ApiToken.objects.using(db).bulk_create([
        ApiToken(id=key.id, name=key.name, prefix=key.prefix, key_hash=key.key_hash, user_id=key.user_id,
                 last_used_at=key.last_used_at, revoked_at=key.revoked_at)
        for key in keys.order_by("id")])
    for key in keys:  # created_at is auto_now_add on the old model: set it after the insert
        ApiToken.objects.using(db).filter(pk=key.id).update(created_at=key.created_at)
    keys.delete()
    _reset_sequence(schema_editor, ApiToken)


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0001_initial"),
        ("core", "0003_api_key"),
    ]

    operations = [
        migrations.RunPython(tokens_to_keys, keys_to_tokens),
        migrations.DeleteModel(name="ApiToken"),
    ]
