"""The two shipped national rubrics: Decree 335/2025/NĐ-CP (from 1 January 2026) and Regulation
366-QĐ/TW (2025), from rubric.py's defaults. A rubric once used is never edited: a later change of the
defaults is a new dated version (a new migration), so the sheets keep the version they were made with."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import migrations

from gandan.evaluation.rubric import DECREE_335, REGULATION_366

DEFAULTS = [
    ("civil_servant", "Nghị định 335/2025/NĐ-CP", dt.date(2026, 1, 1), json.loads(json.dumps(DECREE_335))),
    ("party_member", "Quy định 366-QĐ/TW", dt.date(2025, 1, 1), json.loads(json.dumps(REGULATION_366))),
]


def seed(apps: Any, schema_editor: Any) -> None:
    Rubric = apps.get_model("evaluation", "Rubric")
    for kind, name, valid_from, body in DEFAULTS:
        Rubric.objects.get_or_create(province=None, agency=None, kind=kind, valid_from=valid_from,
                                     defaults={"name": name, "body": body})


def unseed(apps: Any, schema_editor: Any) -> None:
    Rubric = apps.get_model("evaluation", "Rubric")
    Rubric.objects.filter(province=None, sheets__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
