"""A citizen's personal data in the concerns they filed (Personal Data Protection Law): find it by
their phone number or a tracking code, export all of it, erase it, and erase it by itself once a
concern has been closed longer than the retention period (settings.GANDAN_CONTACT_RETENTION_DAYS,
applied nightly by tasks.erase_expired_contacts).

Erasing blanks the contact (name, phone, household, position), what the citizen said on a rating call,
and the citizen's own files; it keeps each concern, its place, field, dates, steps and answers, so
that every figure stays as it was. The audit chain is appended to, never edited: its rows never held
the name or the phone (services.py), so it verifies after an erasure as before.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from gandan.core import audit
from gandan.petitions.models import Attachment, Petition, Rating


def digits(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")


def _same_number(a: str, b: str) -> bool:
    """0912 345 678, +84912345678 and 84-912-345-678 are one number."""
    da, db = digits(a), digits(b)
    return len(da) >= 8 and len(db) >= 8 and da[-9:] == db[-9:]


def citizen_concerns(*, phone: str = "", code: str = "") -> QuerySet[Petition]:
    """Every concern filed with this phone number, or with the phone of the concern of this code (that
    concern alone when it has none)."""
    if code:
        found = Petition.objects.filter(code=code.strip().upper()).first()
        if found is None:
            return Petition.objects.none()
        if not digits(found.citizen_phone):
            return Petition.objects.filter(pk=found.pk)
        phone = found.citizen_phone
    tail = digits(phone)[-9:]
    if len(tail) < 8:
        return Petition.objects.none()
    pattern = r"\D*".join(tail) + r"\D*$"  # the same last digits, whatever stands between them
    candidates = Petition.objects.filter(citizen_phone__regex=pattern).only("pk", "citizen_phone")
    ids = [p.pk for p in candidates if _same_number(p.citizen_phone, phone)]
    return Petition.objects.filter(pk__in=ids).order_by("received_at", "pk")


def _moment(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def export(concerns: QuerySet[Petition]) -> dict[str, Any]:
    """All that is held of the citizen in these concerns, as JSON-ready data."""
    rows = []
    for p in concerns.select_related("unit", "household").prefetch_related("answers", "ratings", "attachments"):
        rows.append({
            "code": p.code, "received_at": _moment(p.received_at), "unit": p.unit.name, "channel": p.channel,
            "field": p.field, "status": p.status, "text": p.text, "citizen_name": p.citizen_name,
            "citizen_phone": p.citizen_phone, "anonymous": p.anonymous,
            "household": p.household.code if p.household else None,
            "latitude": p.latitude, "longitude": p.longitude,
            "answers": [{"text": a.text, "answered_at": _moment(a.answered_at)} for a in p.answers.all()],
            "ratings": [{"satisfied": r.satisfied, "comment": r.comment, "rated_at": _moment(r.rated_at),
                         "by_citizen": r.by_citizen, "call_number": r.call_number,
                         "evidence_note": r.evidence_note} for r in p.ratings.all()],
            "files": [{"name": f.name, "size": f.size, "content_type": f.content_type}
                      for f in p.attachments.all() if f.answer_id is None],
        })
    return {"concerns": rows}


def _has_contact() -> Q:
    return (~Q(citizen_name="") | ~Q(citizen_phone="") | Q(household__isnull=False) | Q(latitude__isnull=False)
            | Q(longitude__isnull=False))


def _personal() -> Q:
    """A concern that still holds some of the citizen's personal data."""
    return (_has_contact() | Q(ratings__call_number__gt="") | Q(ratings__evidence_note__gt="")
            | Q(ratings__comment__gt="") | Q(attachments__isnull=False, attachments__answer__isnull=True))


def erase(*, actor: Any, concerns: QuerySet[Petition], reason: str) -> int:
    """Blank the citizen's personal data in these concerns; returns how many concerns had some."""
    erased = 0
    holding = set(concerns.filter(_personal()).values_list("pk", flat=True))
    with transaction.atomic():
        for p in Petition.objects.filter(pk__in=holding).select_for_update().order_by("pk"):
            fields = [name for name in ("citizen_name", "citizen_phone") if getattr(p, name)]
            fields += [name for name in ("household", "latitude", "longitude") if getattr(p, name) is not None]
            Petition.objects.filter(pk=p.pk).update(citizen_name="", citizen_phone="", household=None,
                                                    latitude=None, longitude=None)
            calls = Rating.objects.filter(petition=p).exclude(call_number="", evidence_note="", comment="")
            if calls.exists():
                fields.append("ratings")
                calls.update(call_number="", evidence_note="", comment="")
            own_files = Attachment.objects.filter(petition=p, answer__isnull=True)
            if own_files.exists():
                fields.append("files")
                for row in own_files:
                    row.file.delete(save=False)
                own_files.delete()
            audit.record(actor=actor, action="petition.erase_personal", obj=p, after={"erased": fields,
                                                                                     "reason": reason})
            erased += 1
    return erased


def expired(now: dt.datetime | None = None, days: int | None = None) -> QuerySet[Petition]:
    """Concerns closed longer ago than the retention period that still hold personal data."""
    days = settings.GANDAN_CONTACT_RETENTION_DAYS if days is None else days
    before = (now or timezone.now()) - dt.timedelta(days=days)
    return Petition.objects.filter(closed_at__lt=before).filter(_personal()).distinct()


def erase_expired(now: dt.datetime | None = None) -> int:
    return erase(actor=None, concerns=expired(now), reason="retention")
