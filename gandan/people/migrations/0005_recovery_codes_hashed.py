"""Recovery codes kept as keyed hashes (people/recovery.py): the codes django-otp kept in plain text
(otp_static) become HMAC-SHA256 digests in people.RecoveryCode, and the plain ones are deleted. The
users keep their codes (the same ones verify); nothing is shown again. Back: the hashed codes cannot
be turned back into codes, so they are dropped and their users make new ones ("mã khôi phục mới")."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils.crypto import salted_hmac

KEY_SALT = "gandan.people.recovery-code"  # people/recovery.py, frozen here


def plain_to_hashed(apps, schema_editor):
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    RecoveryCodes = apps.get_model("people", "RecoveryCodes")
    RecoveryCode = apps.get_model("people", "RecoveryCode")
    for static in StaticDevice.objects.order_by("pk"):
        device = RecoveryCodes.objects.create(user_id=static.user_id, name=static.name, confirmed=static.confirmed)
        RecoveryCode.objects.bulk_create([
            RecoveryCode(device=device, digest=salted_hmac(KEY_SALT, "".join(token.split()).lower(),
                                                           algorithm="sha256").hexdigest())
            for token in StaticToken.objects.filter(device=static).values_list("token", flat=True)])
    StaticToken.objects.all().delete()
    StaticDevice.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0004_signed_in_sessions'),
        ('otp_static', '0003_add_timestamps'),
    ]

    operations = [
        migrations.CreateModel(
            name='RecoveryCodes',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='The human-readable name of this device.', max_length=64)),
                ('confirmed', models.BooleanField(default=True, help_text='Is this device ready for use?')),
                ('user', models.ForeignKey(help_text='The user that this device belongs to.', on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='RecoveryCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(max_length=64)),
                ('device', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='codes', to='people.recoverycodes')),
            ],
        ),
        migrations.RunPython(plain_to_hashed, migrations.RunPython.noop),
    ]
