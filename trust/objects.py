"""The one table of the authorization sweep: which object each id of a route names, and how to make one.

An HTML route names its id `pk`, so it is known by its URL name; an API operation names its ids
(`unit_id`, `task_id`…), in its path and in its body, so it is known by the parameter's name. Each
entry makes one real object inside commune A of the test world (province Tuyên Quang) and says which
personas are outside its scope. A route whose id is in neither table, and not in EXEMPT, fails the
sweep: whoever adds a route adds one line here (or a reasoned exemption).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model

# Personas of gandan.people.testing.build_world outside commune A, and outside the province.
OUTSIDE_COMMUNE = ("commune_b_admin", "other_province_leader", "nobody")
OUTSIDE_PROVINCE = ("other_province_leader", "nobody")
MISSING_ID = 987654321


@dataclass(frozen=True)
class Kind:
    make: Callable[[Any], Model]  # world → an object in commune A (or the province, for province-wide things)
    outsiders: tuple[str, ...] = OUTSIDE_COMMUNE


def _petition(world: Any) -> Model:
    from gandan.petitions import services
    from gandan.petitions.testing import receive

    return services.petition_accept(actor=world.commune_a_leader, petition=receive(world))


def _attachment(world: Any) -> Model:
    from gandan.petitions.models import Attachment

    petition = _petition(world)
    return Attachment.objects.create(petition=petition, province_id=petition.province_id, name="don.jpg",
                                     file=SimpleUploadedFile("don.jpg", b"x"), content_type="image/jpeg", size=1)


def _visit(world: Any) -> Model:
    from gandan.fieldwork.testing import make_visit

    return make_visit(world)


def _visit_photo(world: Any) -> Model:
    from gandan.fieldwork.services import photo_add
    from gandan.fieldwork.testing import JPEG

    visit = _visit(world)
    return photo_add(actor=world.commune_a_cadre, visit=visit,
                     upload=SimpleUploadedFile("a.jpg", JPEG, "image/jpeg"))[0]


def _meeting(world: Any) -> Model:
    from gandan.fieldwork import meeting_services

    return meeting_services.meeting_create(actor=None, unit=world.commune_a, kind="committee",
                                           date=dt.date(2026, 3, 2))


def _campaign(world: Any) -> Model:
    from gandan.campaigns.testing import make_campaign

    return make_campaign(world, starts_on=dt.date(2020, 1, 1))


def _event(world: Any) -> Model:
    from gandan.campaigns.testing import make_event

    return make_event(world, _campaign(world), date=dt.date(2026, 3, 2))


def _event_photo(world: Any) -> Model:
    from gandan.campaigns.services import photo_add
    from gandan.fieldwork.testing import JPEG

    return photo_add(actor=None, event=_event(world), upload=SimpleUploadedFile("a.jpg", JPEG, "image/jpeg"))[0]


def _model(world: Any) -> Model:
    import uuid

    from gandan.campaigns.inputs import ModelIn
    from gandan.campaigns.model_services import model_register

    return model_register(actor=None, data=ModelIn(
        client_uuid=uuid.uuid4(), unit_id=world.village_a1.pk, holder_kind="individual", holder_name="Sân Tiến Phúc",
        title="Vườn mẫu", field="economy", registered_on=dt.date(2026, 3, 2)))[0]


def _task(world: Any) -> Model:
    from gandan.plans.testing import plan_task

    return plan_task(world)


def _plan(world: Any) -> Model:
    return _task(world).plan  # type: ignore[attr-defined]  # a Task


def _assignment(world: Any) -> Model:
    from gandan.assignments.testing import make_assignment

    return make_assignment(world.cadre_a, unit=world.village_a2)


def _grant(world: Any) -> Model:
    from gandan.people.models import RoleGrant

    return RoleGrant.objects.get(user=world.commune_a_viewer)


def _cadre_without_account(world: Any) -> Model:
    from gandan.people.testing import make_cadre

    return make_cadre(world.agency_a, "Ma Thị Hoa")


def _token(world: Any) -> Model:
    from gandan.people.tokens import token_create

    return token_create(actor=world.commune_a_leader, name="điện thoại")[0]


def _signed_in_session(world: Any) -> Model:
    from django.utils import timezone

    from gandan.people.models import SignedInSession

    return SignedInSession.objects.create(user=world.commune_a_leader, session_key="k" * 32, started_at=timezone.now())


def _holiday(world: Any) -> Model:
    from gandan.petitions.models import Holiday

    return Holiday.objects.create(province=world.province, date=dt.date(2026, 9, 3), name="Ngày nghỉ bù")


def _deadline_rule(world: Any) -> Model:
    from gandan.petitions.models import DeadlineRule

    return DeadlineRule.objects.create(province=world.province, stage="resolve", amount=5, unit="day")


def _catalogue_item(world: Any) -> Model:
    from gandan.plans.testing import make_item

    return make_item(world.agency_a)


def _agency_month(world: Any) -> Model:
    from gandan.evaluation.models import AgencyMonth
    from gandan.evaluation.testing import MONTH, open_month

    found = AgencyMonth.objects.filter(agency=world.agency_a, month=MONTH, kind="civil_servant").first()
    return found or open_month(world)


def _sheet(world: Any) -> Model:
    from gandan.evaluation.testing import sheet_of

    return sheet_of(_agency_month(world), world.cadre_a.pk)  # type: ignore[arg-type]  # an AgencyMonth


def _annual_result(world: Any) -> Model:
    from gandan.evaluation import services, year_services
    from gandan.evaluation.testing import conclude_month, open_month

    january = open_month(world, dt.date(2026, 1, 1))
    for other in january.sheets.exclude(cadre=world.cadre_a):  # the agency's other cadres: on leave that month
        services.sheet_leave(actor=world.commune_a_leader, sheet=other, on_leave=True, days_worked=0)
    conclude_month(january, [(world.commune_a_cadre, world.cadre_a.pk, 24)], world.commune_a_leader)
    return year_services.annual_compute(actor=world.commune_a_leader, agency=world.agency_a, year=2026)[0]


def _unit_merge(world: Any) -> Model:
    from gandan.org.models import UnitMerge
    from gandan.org.services import unit_merge

    found = UnitMerge.objects.filter(source=world.village_a2).first()
    if found is None:
        unit_merge(actor=None, sources=[world.village_a2], target=world.village_a1, effective=dt.date(2099, 1, 1))
        found = UnitMerge.objects.get(source=world.village_a2)
    return found


def _rubric(world: Any) -> Model:
    from gandan.evaluation.testing import province_rubric

    return province_rubric(world)


KINDS: dict[str, Kind] = {
    "unit": Kind(lambda world: world.village_a1),
    "commune": Kind(lambda world: world.commune_a),
    "province": Kind(lambda world: world.province, OUTSIDE_PROVINCE),
    "agency": Kind(lambda world: world.agency_a),
    "cadre": Kind(lambda world: world.cadre_a),
    "cadre_without_account": Kind(_cadre_without_account),
    "user": Kind(lambda world: world.commune_a_viewer),
    "household": Kind(lambda world: world.household_a1),
    "party_cell": Kind(lambda world: world.party_cell_a),
    "grant": Kind(_grant),
    "token": Kind(_token),  # a personal token is its owner's alone: everyone else is outside
    "signed_in_session": Kind(_signed_in_session),  # the owner's alone, like a token
    "assignment": Kind(_assignment),
    "visit": Kind(_visit),
    "visit_photo": Kind(_visit_photo),
    "meeting": Kind(_meeting),
    "petition": Kind(_petition),
    "attachment": Kind(_attachment),
    "holiday": Kind(_holiday, OUTSIDE_PROVINCE),
    "deadline_rule": Kind(_deadline_rule, OUTSIDE_PROVINCE),
    "task": Kind(_task),
    "plan": Kind(_plan),
    "campaign": Kind(_campaign, OUTSIDE_PROVINCE),
    "event": Kind(_event),
    "event_photo": Kind(_event_photo),
    "model": Kind(_model),
    "catalogue_item": Kind(_catalogue_item),
    "agency_month": Kind(_agency_month),
    "sheet": Kind(_sheet),
    "annual_result": Kind(_annual_result),
    "unit_merge": Kind(_unit_merge),  # a village's merge, scheduled: commune A's administrators decide it
    "rubric": Kind(_rubric, OUTSIDE_PROVINCE),  # a province's rubric: read by all in the province
}

# The one table: a route's id → the kind of object it names. HTML routes by URL name (their id is
# `pk`), API operations by the parameter's name in the path or the body.
IDS: dict[str, str] = {
    # HTML pages and forms
    "unit-detail": "unit", "unit-children": "commune", "cadre-detail": "cadre",
    "unit-merge-cancel": "unit_merge",
    "grant-end": "grant", "account-create": "cadre_without_account", "account-reset": "user",
    "account-otp-reset": "user", "account-otp-enrolment-code": "user",
    "api-token-revoke": "token", "my-session-end": "signed_in_session",
    "assignments-coverage": "commune", "assignments-coverage-assign": "commune",
    "assignments-gaps-export": "commune", "assignments-propose": "commune",
    "assignments-end": "assignment", "assignments-transfer": "assignment", "assignments-rules": "province",
    "fieldwork-visit": "visit", "fieldwork-visit-edit": "visit", "fieldwork-meeting": "meeting",
    "fieldwork-photo": "visit_photo",
    "petitions-settings-holiday-remove": "holiday", "petitions-settings-rule-remove": "deadline_rule",
    "petitions-file": "attachment", "petitions-detail": "petition", "petitions-receipt": "petition",
    "petitions-pin-issue": "petition", "petitions-accept": "petition", "petitions-handle": "petition",
    "petitions-escalate": "petition", "petitions-transfer": "petition", "petitions-answer": "petition",
    "petitions-route-out": "petition", "petitions-merge": "petition", "petitions-rate": "petition",
    "plans-task": "task", "plans-task-report": "task", "plans-task-reassign": "task", "plans-task-assess": "task",
    "plans-task-cause": "task", "plans-task-weight": "task", "plans-plan": "plan", "plans-plan-decide": "plan",
    "campaigns-detail": "campaign", "campaigns-event-new": "campaign", "campaigns-event": "event",
    "campaigns-event-edit": "event", "campaigns-event-delete": "event", "campaigns-model": "model",
    "campaigns-photo": "event_photo",
    "evaluation-sheet": "sheet", "evaluation-sheet-self": "sheet", "evaluation-sheet-assess": "sheet",
    "evaluation-sheet-leave": "sheet", "evaluation-month": "agency_month", "evaluation-month-conclude": "agency_month",
    "evaluation-month-reopen": "agency_month", "evaluation-title": "annual_result",
    "evaluation-commendation": "annual_result", "evaluation-rubric": "rubric", "evaluation-rubric-new": "rubric",
    "evaluation-agency-groups": "agency", "evaluation-sheet-initiatives": "sheet",
    "reports-file": "commune", "reports-step": "commune",  # the step swept is "submit", whose id is the unit
    # API parameters, in paths and in bodies
    "unit_id": "unit", "unit_ids": "unit", "target_id": "unit", "province_id": "province", "agency_id": "agency",
    "cadre_id": "cadre", "cadre_ids": "cadre", "secretary_id": "cadre", "catalogue_item_id": "catalogue_item",
    "party_cell_ids": "party_cell", "household_id": "household", "household_ids": "household",
    "party_cell_id": "party_cell", "token_id": "token", "grant_id": "grant", "assignment_id": "assignment",
    "visit_id": "visit", "meeting_id": "meeting", "petition_id": "petition", "task_id": "task",
    "campaign_id": "campaign", "event_id": "event", "model_id": "model",
    "sheet_id": "sheet", "month_id": "agency_month", "rubric_id": "rubric",
    "annual_id": "annual_result",
}

# Routes with an id that the sweep does not call as an outsider, each with its reason.
EXEMPT: dict[str, str] = {
    "password-reset-confirm": "the link is a signed one-time token for one user, checked by Django's token generator",
    "imports-template": "kind and format name a blank template, not an object",
    "assignments-lookup-village": "public by design: villagers look up the cadre in charge of their village",
    "petitions-public-sent": "the filing citizen's own receipt, held by their session's one-time token",
    "petitions-track": "public by design: the tracking code is the citizen's secret (rate-limited, PIN for acts)",
    "petitions-track-document": "public answer documents of a concern reached by its tracking code",
    "open311-service": "Open311's public service list: a service code names a field, not an object",
    "open311-request": "Open311 requests are public by the standard (contact withheld)",
}

# Values of route parameters that are not ids.
OTHER_KWARGS: dict[str, str] = {"step": "submit", "fmt": "json", "period": "2026-10"}
