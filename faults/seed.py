"""Run inside the app (`python -m faults.seed`, with the harness's DATABASE_URL) after `gandan migrate`:
the demo built small — Tuyên Quang with only the two featured communes (as the demo's own tests
build it: gandan/demo/testing.py), every module's demo data and the demo logins — then API tokens for
two demo logins and an evaluation sheet open for step 1, printed as one JSON line.

The cadre `canbo.nghiathuan` records visits and concerns and scores their own sheet; the commune
leader `lanhdao.nghiathuan` takes concerns up and assigns tasks (so agrees their weight)."""

from __future__ import annotations

import json
import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")
    import django

    django.setup()
    from django.utils import timezone

    from gandan.demo.build import DEFAULT_SEED, province_of
    from gandan.demo.logins import demo_logins_ensure
    from gandan.demo.run import run_builders
    from gandan.demo.testing import demo_province, quiet

    if province_of("08") is None:
        province = demo_province(seed=DEFAULT_SEED, scale=float(os.environ.get("FAULTS_DEMO_SCALE", "0.05")))
        run_builders(province, seed=DEFAULT_SEED, progress=quiet)
        demo_logins_ensure()

    from gandan.evaluation import services as evaluation
    from gandan.evaluation.models import Sheet, SheetStatus
    from gandan.evaluation.scoring import rubric_rules
    from gandan.people import tokens
    from gandan.people.models import User

    cadre_user = User.objects.select_related("cadre").get(username="canbo.nghiathuan")
    leader = User.objects.select_related("cadre").get(username="lanhdao.nghiathuan")
    User.objects.filter(pk__in=[cadre_user.pk, leader.pk]).update(must_change_password=False)
    cadre = cadre_user.cadre
    assert cadre is not None, "the demo cadre has no cadre record"
    first = timezone.localdate().replace(day=1)

    def open_sheet() -> Sheet | None:
        return (Sheet.objects.select_related("agency_month", "rubric")
                .filter(cadre=cadre, status=SheetStatus.OPEN, agency_month__concluded_at__isnull=True)
                .order_by("-month").first())

    sheet = open_sheet()
    if sheet is None:
        evaluation.month_open(actor=leader, unit=cadre.agency.unit, month=first)
        sheet = open_sheet()
    assert sheet is not None, "no open evaluation sheet for the demo cadre"
    rules = rubric_rules(sheet.rubric)
    print(json.dumps({
        "cadre_token": tokens.token_create(actor=cadre_user, name="faults")[1],
        "leader_token": tokens.token_create(actor=leader, name="faults")[1],
        "cadre_id": cadre.pk,
        "sheet_id": sheet.pk,
        "criteria": {c.code: str(c.max_points) for c in rules.general},
    }))


if __name__ == "__main__":
    main()
