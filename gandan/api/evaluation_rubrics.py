"""/evaluation/rubrics: the rubric versions in the caller's scope (the national defaults, their provinces'
and those provinces' agencies'), one version with its body, and a new dated version (the same service and
checks as the editor: the error names the part; who may issue it is the evaluation's access rules)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from gandan.api.auth import user_of
from gandan.core.input_types import Id, Line
from gandan.evaluation import rubric_queries, services
from gandan.evaluation.models import Rubric

router = Router(tags=["evaluation"])


class RubricOut(Schema):
    id: int
    kind: str = Field(description="civil_servant (Decree 335/2025) or party_member (366-QĐ/TW)")
    name: str
    valid_from: dt.date
    scope: str = Field(description="national, province or agency")
    province_id: int | None
    agency_id: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_scope(obj: Rubric) -> str:
        return "agency" if obj.agency_id else "province" if obj.province_id else "national"


class RubricDetailOut(RubricOut):
    body: dict[str, Any] = Field(description="general criteria, combination, thresholds, vetoes, cap, party, "
                                             "annual rule, leave and transfer rules, step deadlines, titles "
                                             "(see the rubric editor)")


class RubricIn(Schema):
    kind: Line
    name: Line = Field(max_length=200)
    valid_from: dt.date
    province_id: Id | None = Field(None, description="none (and no agency): the national default")
    agency_id: Id | None = Field(None, description="an agency of the province: its own rubric")
    body: dict[str, Any] = Field(description="the whole rubric, as GET /evaluation/rubrics/{id} gives it",
                                 json_schema_extra={"additionalProperties": {}})


@router.get("", response=list[RubricOut], summary="The rubric versions in my scope (?kind=civil_servant)")
def rubric_list(request: HttpRequest, kind: Line = "") -> list[Rubric]:
    return rubric_queries.rubric_list(user_of(request), kind)


@router.get("/{rubric_id}", response=RubricDetailOut, summary="One rubric version with its body")
def rubric_detail(request: HttpRequest, rubric_id: Id) -> Rubric:
    return rubric_queries.rubric_get(user_of(request), rubric_id)


@router.post("", response={201: RubricDetailOut},
             summary="Issue a new dated version (national: national administrators; a province's or its "
                     "agencies': the province's administrators and leadership)")
def rubric_create(request: HttpRequest, payload: RubricIn) -> Status:
    user = user_of(request)
    target = rubric_queries.target_get(user, payload.province_id, payload.agency_id)
    rubric = services.rubric_save(actor=user, kind=payload.kind, name=payload.name, valid_from=payload.valid_from,
                                  body=payload.body, province=target.province, agency=target.agency)
    return Status(201, rubric_queries.rubric_get(user, rubric.pk))
