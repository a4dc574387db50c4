"""Open311 GeoReport v2, so that existing Open311 apps can file and follow concerns.

    GET  discovery.(json|xml)              the endpoint's description
    GET  services.(json|xml)               the province's fields of concerns (jurisdiction_id = province code)
    GET  services/{code}.(json|xml)        a service's definition: one optional attribute, urgency
    POST requests.(json|xml)               file a concern (api_key required) → petition_receive(channel=open311)
    GET  requests.(json|xml)               list, with service_request_id, service_code, start_date, end_date, status
    GET  requests/{id}.(json|xml)          one request; service_request_id is the tracking code

Shapes follow the spec's documented examples: JSON arrays (an object for a definition), XML roots
<services>, <service_definition>, <service_requests>, errors as <errors><error>. Statuses: closed once
nothing more will happen (closed, routed out, merged), open otherwise. A parameter carrying a control or
bidirectional character (core/text.py) is refused with 400 before anything reads it. Nothing personal is
published: the description (the citizen's own words) is withheld, as the spec's examples allow,
and the place is the unit's centre, not the point a citizen sent.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q, Value
from django.db.models.functions import Length, Power
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from gandan.core.text import fold, unsafe_character
from gandan.org.models import AdminUnit
from gandan.petitions import config, keys, services, states
from gandan.petitions.models import Channel, Petition, Urgency

SPEC = "http://wiki.open311.org/GeoReport_v2"
MAX_RESULTS = 1000
MAX_SPAN = dt.timedelta(days=90)
GROUP = "Phản ánh, kiến nghị"


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# -- rendering -------------------------------------------------------------------------------------
def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(tag: str, value: Any) -> ET.Element:
    node = ET.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            node.append(_element(key, child))
    elif isinstance(value, list):
        singular = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}
        for item in value:
            node.append(_element(singular.get(tag, "item"), item))
    else:
        node.text = _text(value)
    return node


def to_xml(root: str, item: str | None, data: Any) -> bytes:
    """Data as the spec's XML: `root` holding one `item` element per row (or the object's fields)."""
    node = ET.Element(root)
    if item is None:
        for key, value in data.items():
            node.append(_element(key, value))
    else:
        for row in data:
            node.append(_element(item, row))
    body = ET.tostring(node, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")


def respond(fmt: str, data: Any, root: str, item: str | None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, item, data), content_type="text/xml; charset=utf-8", status=status)
    import json

    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/json; charset=utf-8",
                        status=status)


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(fmt, [{"code": status, "description": description}], "errors", "error", status)


def refuse_unsafe(params: QueryDict) -> None:
    """Refuse a parameter whose value carries a character no input may (only a description may have
    several lines). A parameter whose own name does is never read, so it is left alone."""
    for name, values in params.lists():
        for value in values:
            char = unsafe_character(value, multiline=name == "description")
            if char is not None and unsafe_character(name) is None:
                raise Open311Error(400, gettext(
                    "Trường {field} có ký tự không được phép ({char}); hãy xóa ký tự đó rồi gửi lại."
                ).format(field=name, char=char))


def endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn Open311Error (and bad input) into the spec's error body, in the requested format."""

    def wrapped(request: HttpRequest, *args: Any, fmt: str = "json", **kwargs: Any) -> HttpResponse:
        try:
            refuse_unsafe(request.GET)
            refuse_unsafe(request.POST)
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return error(fmt, exc.status, exc.description)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return csrf_exempt(wrapped)


def w3c(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


# -- jurisdictions and services --------------------------------------------------------------------
def jurisdiction(request: HttpRequest, data: Any = None) -> AdminUnit | None:
    """The province named by jurisdiction_id (its code, e.g. "08"); None when not given."""
    code = ((data or request.GET).get("jurisdiction_id") or "").strip()
    if not code:
        return None
    province = AdminUnit.objects.filter(level__code="province", code=code, valid_to__isnull=True).first()
    if province is None:
        raise Open311Error(404, f"jurisdiction_id {code} was not found")
    return province


def service_rows(province: AdminUnit | None) -> list[dict[str, Any]]:
    return [{"service_code": f.code, "service_name": f.name_vi, "description": f.description or f.name_en,
             "metadata": True, "type": "realtime",
             "keywords": ", ".join(dict.fromkeys(filter(None, [fold(f.name_vi), f.name_en.lower()]))),
             "group": GROUP} for f in config.fields_for(province)]


@endpoint
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    url = request.build_absolute_uri(reverse("open311-root"))
    data = {"changeset": "2025-07-01T00:00:00+07:00", "contact": "Gần Dân", "key_service": "gandan open311-key",
            "endpoints": [{"specification": SPEC, "url": url.rstrip("/"), "changeset": "2025-07-01T00:00:00+07:00",
                           "type": "production", "formats": ["text/xml", "application/json"]}]}
    return respond(fmt, data, "discovery", None)


@endpoint
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, service_rows(jurisdiction(request)), "services", "service")


@endpoint
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    codes = {row["service_code"] for row in service_rows(jurisdiction(request))}
    if code not in codes:
        raise Open311Error(404, f"service_code {code} was not found")
    data = {"service_code": code, "attributes": [{
        "variable": True, "code": "urgency", "datatype": "singlevaluelist", "required": False,
        "datatype_description": None, "order": 1, "description": gettext("Mức độ"),
        "values": [{"key": value, "name": str(label)} for value, label in Urgency.choices]}]}
    return respond(fmt, data, "service_definition", None)


# -- requests --------------------------------------------------------------------------------------
def status_notes(petition: Petition) -> str:
    note = str(petition.get_status_display())
    if petition.status == states.ROUTED_OUT and petition.kind_reason:
        note += f": {petition.kind_reason}"
    if petition.status == states.MERGED and petition.merged_into is not None:
        note += f": {petition.merged_into.code}"
    answer = petition.answers.order_by("-answered_at").first() if petition.answered_at else None
    if answer is not None:
        note += f". {answer.text}"
    return note[:4000]


def request_row(petition: Petition, labels: dict[str, str]) -> dict[str, Any]:
    unit = petition.unit
    address = ", ".join(filter(None, [unit.name, unit.parent.name if unit.parent else ""]))
    is_open = states.public_status(petition.status) == "open"
    return {
        "service_request_id": petition.code, "status": states.public_status(petition.status),
        "status_notes": status_notes(petition), "service_name": labels.get(petition.field, petition.field),
        "service_code": petition.field, "description": None,
        "agency_responsible": (petition.holder_agency or petition.holder_unit).name, "service_notice": None,
        "requested_datetime": w3c(petition.received_at), "updated_datetime": w3c(petition.updated_at),
        "expected_datetime": w3c(petition.due_at) if is_open else None, "address": address,
        "address_id": unit.code, "zipcode": None, "lat": unit.latitude, "long": unit.longitude, "media_url": None,
    }


def _rows(qs: Any) -> list[dict[str, Any]]:
    rows = list(qs.select_related("unit__parent", "holder_unit", "holder_agency", "merged_into", "province"))
    labels: dict[int, dict[str, str]] = {}
    out = []
    for petition in rows:
        if petition.province_id not in labels:
            labels[petition.province_id] = config.field_labels(petition.province)
        out.append(request_row(petition, labels[petition.province_id]))
    return out


def _parse_date(name: str, raw: str | None) -> dt.datetime | None:
    if not raw:
        return None
    moment = parse_datetime(raw.strip().replace(" ", "+"))
    if moment is None or timezone.is_naive(moment):
        raise Open311Error(400, f"{name} must be a w3c datetime with a time zone, e.g. 2025-07-01T00:00:00Z")
    return moment


def search_requests(request: HttpRequest) -> list[dict[str, Any]]:
    params = request.GET
    province = jurisdiction(request)
    qs = Petition.objects.all()
    if province is not None:
        qs = qs.filter(province=province)
    ids = [i.strip().upper() for i in (params.get("service_request_id") or "").split(",") if i.strip()]
    if ids:  # "This overrides all other arguments."
        return _rows(qs.filter(code__in=ids[:MAX_RESULTS]).order_by("-received_at"))
    codes = [c.strip() for c in (params.get("service_code") or "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(field__in=codes)
    start, end = _parse_date("start_date", params.get("start_date")), _parse_date("end_date", params.get("end_date"))
    if start and end and end - start > MAX_SPAN:
        raise Open311Error(400, "start_date and end_date may not span more than 90 days")
    if start is None and end is None:
        start = timezone.now() - MAX_SPAN
    if start is not None:
        qs = qs.filter(received_at__gte=start)
    if end is not None:
        qs = qs.filter(received_at__lte=end)
    wanted = {s.strip() for s in (params.get("status") or "").split(",") if s.strip()}
    if wanted - {"open", "closed"}:
        raise Open311Error(400, "status must be open or closed")
    if wanted == {"open"}:
        qs = qs.exclude(status__in=states.FINAL)
    elif wanted == {"closed"}:
        qs = qs.filter(status__in=states.FINAL)
    return _rows(qs.order_by("-received_at", "-id")[:MAX_RESULTS])


def _place(province: AdminUnit, data: Any) -> tuple[AdminUnit, float | None, float | None]:
    """The unit a request is about: address_id (a unit code), lat/long (the nearest commune or village
    centre), or address_string (the deepest unit whose name it contains)."""
    units = AdminUnit.objects.current().filter(Q(pk=province.pk) | Q(path__startswith=province.path + "."))
    address_id = (data.get("address_id") or "").strip()
    lat_raw, long_raw = (data.get("lat") or "").strip(), (data.get("long") or "").strip()
    address = (data.get("address_string") or "").strip()
    if address_id:
        unit = units.filter(code=address_id).select_related("level").first()
        if unit is None:
            raise Open311Error(400, f"address_id {address_id} is not a unit of this jurisdiction")
        return unit, None, None
    if lat_raw or long_raw:
        try:
            lat, lon = float(lat_raw), float(long_raw)
        except ValueError as exc:
            raise Open311Error(400, "lat and long must both be numbers (WGS84)") from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise Open311Error(400, "lat and long are out of range")
        distance = Power(F("latitude") - Value(lat), 2) + Power(F("longitude") - Value(lon), 2)
        unit = (units.filter(latitude__isnull=False, longitude__isnull=False)
                .annotate(d=distance).order_by("d", "-depth").select_related("level").first())
        if unit is not None:
            return unit, lat, lon
        if not address:
            return province, lat, lon
    if address:
        haystack = f" {fold(address)} "
        unit = (units.annotate(haystack=Value(haystack)).filter(haystack__contains=F("name_folded"))
                .annotate(n=Length("name_folded")).order_by("-depth", "-n").select_related("level").first())
        return (unit or province), None, None
    raise Open311Error(400, "a location is required: lat & long, address_string or address_id")


def create_request(request: HttpRequest) -> list[dict[str, Any]]:
    data = request.POST
    key = keys.key_lookup(data.get("api_key", ""))
    if key is None:
        raise Open311Error(403, "Invalid api_key received -- can't proceed with create_request.")
    client = key.open311_client
    province = jurisdiction(request, data) or client.province
    if province.pk != client.province_id:
        raise Open311Error(403, "api_key is not valid for this jurisdiction_id")
    code = (data.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, "service_code was not provided")
    if code not in {f.code for f in config.fields_for(province)}:
        raise Open311Error(404, f"service_code {code} was not found")
    unit, lat, lon = _place(province, data)
    urgency = (data.get("attribute[urgency]") or Urgency.NORMAL).strip()
    if urgency not in Urgency.values:
        raise Open311Error(400, "attribute[urgency] must be normal, urgent or complex")
    text = (data.get("description") or "").strip()
    media = (data.get("media_url") or "").strip()
    if media:
        text = f"{text}\n{media}".strip()
    name = " ".join(filter(None, [(data.get("first_name") or "").strip(), (data.get("last_name") or "").strip()]))
    try:
        petition = services.petition_receive(
            actor=None, unit=unit, text=text, field=code, urgency=urgency, channel=Channel.OPEN311,
            citizen_name=name, citizen_phone=(data.get("phone") or "").strip(), latitude=lat, longitude=lon,
            anonymous=not name and not data.get("phone"))
    except ValidationError as exc:
        raise Open311Error(400, "; ".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise Open311Error(403, str(exc)) from exc
    holder = (petition.holder_agency or petition.holder_unit).name
    notice = (f"{holder} tiếp nhận; hạn trả lời {timezone.localtime(petition.due_at):%d/%m/%Y %H:%M}. "
              f"Mã xác nhận để đánh giá trả lời: {petition.pin}")
    return [{"service_request_id": petition.code, "service_notice": notice, "account_id": None}]


@endpoint
def requests_collection(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return respond(fmt, create_request(request), "service_requests", "request")
    if request.method != "GET":
        raise Open311Error(400, "only GET and POST are supported")
    return respond(fmt, search_requests(request), "service_requests", "request")


@endpoint
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    qs = Petition.objects.filter(code=request_id.strip().upper())
    province = jurisdiction(request)
    if province is not None:
        qs = qs.filter(province=province)
    rows = _rows(qs)
    if not rows:
        raise Open311Error(404, f"service_request_id {request_id} was not found")
    return respond(fmt, rows, "service_requests", "request")

