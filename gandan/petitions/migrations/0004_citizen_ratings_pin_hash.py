"""The citizen's side of concerns (issues #9, #10):

- the rating PIN is stored as a hash only (`pin` → `pin_hash`); the PINs already given keep working:
  each is hashed here (PBKDF2 with few rounds, to migrate quickly; Django's check_password reads the
  rounds from the hash, and new PINs get the default hasher);
- a stint records who rated it (`rated_by`: the citizen, or a cadre on their behalf — counted apart),
  filled from the ratings already recorded;
- a proxy rating carries its evidence (a signed form's photo, or a call record);
- each province may set how long a closed concern stays reopenable (`PetitionPolicy`).
"""

import django.db.models.deletion
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import migrations, models
from django.utils.crypto import get_random_string

MIGRATION_ROUNDS = 1000


def hash_pins(apps, schema_editor):
    db = schema_editor.connection.alias
    Petition = apps.get_model("petitions", "Petition")
    hasher = PBKDF2PasswordHasher()
    rows = []
    for petition in Petition.objects.using(db).only("id", "pin_hash").iterator():
        petition.pin_hash = hasher.encode(petition.pin_hash, get_random_string(16), iterations=MIGRATION_ROUNDS)
        rows.append(petition)
        if len(rows) >= 1000:
            Petition.objects.using(db).bulk_update(rows, ["pin_hash"])
            rows = []
    Petition.objects.using(db).bulk_update(rows, ["pin_hash"])


def rated_by_from_ratings(apps, schema_editor):
    db = schema_editor.connection.alias
    Rating = apps.get_model("petitions", "Rating")
    PetitionHolding = apps.get_model("petitions", "PetitionHolding")
    for by_citizen, label in ((True, "citizen"), (False, "proxy")):
        holdings = Rating.objects.using(db).filter(by_citizen=by_citizen).values("answer__holding_id")
        PetitionHolding.objects.using(db).filter(pk__in=holdings, satisfied__isnull=False).update(rated_by=label)


class Migration(migrations.Migration):

    dependencies = [
        ("petitions", "0003_open311_keys_to_core_keys"),
    ]

    operations = [
        migrations.RenameField(model_name="petition", old_name="pin", new_name="pin_hash"),
        migrations.AlterField(
            model_name="petition", name="pin_hash",
            field=models.CharField(help_text="the hash of the PIN given to the citizen with the code (needed to rate "
                                             "the answer or reopen the concern); the PIN itself is never stored",
                                   max_length=128)),
        migrations.RunPython(hash_pins, migrations.RunPython.noop, elidable=True),
        migrations.AddField(
            model_name="petitionholding", name="rated_by",
            field=models.CharField(blank=True, choices=[("citizen", "Người dân tự đánh giá"),
                                                        ("proxy", "Cán bộ ghi thay")],
                                   help_text="citizen: on the public page with the PIN; proxy: recorded by a cadre, "
                                             "with evidence (counted apart, see rates.py)", max_length=10)),
        migrations.AlterField(
            model_name="petitionholding", name="satisfied",
            field=models.BooleanField(blank=True, help_text="the rating of this holder's answer", null=True)),
        migrations.RunPython(rated_by_from_ratings, migrations.RunPython.noop, elidable=True),
        migrations.AddField(
            model_name="rating", name="evidence",
            field=models.CharField(blank=True, choices=[("form", "Ảnh phiếu đánh giá có chữ ký của người dân"),
                                                        ("call", "Cuộc gọi điện thoại")], max_length=10)),
        migrations.AddField(
            model_name="rating", name="call_at",
            field=models.DateTimeField(blank=True, help_text="when the citizen was called", null=True)),
        migrations.AddField(
            model_name="rating", name="call_number",
            field=models.CharField(blank=True, help_text="the number called (personal data)", max_length=30)),
        migrations.AddField(
            model_name="rating", name="evidence_note",
            field=models.TextField(blank=True, help_text="what the citizen said on the call, or of the form")),
        migrations.AddField(
            model_name="attachment", name="rating",
            field=models.ForeignKey(blank=True, help_text="the signed rating form of a proxy rating (personal, like "
                                                          "the contact)", null=True,
                                    on_delete=django.db.models.deletion.CASCADE, related_name="evidence_files",
                                    to="petitions.rating")),
        migrations.CreateModel(
            name="PetitionPolicy",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reopen_days", models.PositiveSmallIntegerField(default=30)),
                ("province", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                                  to="org.adminunit")),
            ],
        ),
    ]
