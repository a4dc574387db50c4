"""Response and request shapes of the v1 API, and its one pagination style.

Cadres carry personal data (DESIGN §6): phone, e-mail, birth date and home are shown in full
only to the cadre themself and to holders of a write role over the cadre's unit; everyone else
gets a masked phone and nulls. The office phone is public.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from gandan.core.input_types import Count, Line
from gandan.people.models import Cadre
from gandan.people.queries import mask_phone, sees_personal_data

MAX_PAGE = 500


class Paged(LimitOffsetPagination):
    """?limit=…&offset=… (limit 50 by default, at most 500) → {"items": [...], "count": n}."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_PAGE)
        offset: Count = 0

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)


class UnitOut(Schema):
    id: int
    code: str
    name: str
    level: str
    division_type: str
    parent_id: int | None
    path: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor_id: int | None

    @staticmethod
    def resolve_level(obj: Any) -> str:
        return obj.level.code


class ChildUnitOut(UnitOut):
    n_children: int = Field(0, description="current units directly below this one")


class AgencyOut(Schema):
    id: int
    name: str
    kind: str
    unit_id: int
    fields: list[str]
    phone: str = Field(description="office phone, public")


def _viewer_sees(obj: Cadre, context: Any) -> bool:
    return sees_personal_data(context["request"].auth, obj)


class CadreOut(Schema):
    id: int
    code: str
    full_name: str
    position: str
    employment_type: str
    agency_id: int
    agency_name: str
    unit_id: int
    is_party_member: bool
    party_cell_id: int | None
    manager_id: int | None
    office_phone: str
    left_on: dt.date | None
    personal_data_visible: bool = Field(
        description="false: phone is masked, e-mail, birth date and home are null")
    phone: str | None = Field(description="personal mobile; masked unless personal_data_visible")
    email: str | None
    birth_date: dt.date | None
    home_unit_id: int | None

    @staticmethod
    def resolve_agency_name(obj: Cadre) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_personal_data_visible(obj: Cadre, context: Any) -> bool:
        return _viewer_sees(obj, context)

    @staticmethod
    def resolve_phone(obj: Cadre, context: Any) -> str | None:
        if not obj.phone:
            return None
        return obj.phone if _viewer_sees(obj, context) else mask_phone(obj.phone)

    @staticmethod
    def resolve_email(obj: Cadre, context: Any) -> str | None:
        return (obj.email or None) if _viewer_sees(obj, context) else None

    @staticmethod
    def resolve_birth_date(obj: Cadre, context: Any) -> dt.date | None:
        return obj.birth_date if _viewer_sees(obj, context) else None

    @staticmethod
    def resolve_home_unit_id(obj: Cadre, context: Any) -> int | None:
        return obj.home_unit_id if _viewer_sees(obj, context) else None


class TokenIn(Schema):
    name: Line = Field(min_length=1, max_length=100, examples=["Điện thoại Android"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    is_active: bool


class TokenCreatedOut(TokenOut):
    key: str = Field(description="the token itself: shown this once, never stored, never shown again")
