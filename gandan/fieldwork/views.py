"""The cadre's pages: the field-work home, the offline-capable capture form, and what makes it an
installable app (service worker, manifest); photos, served only inside the viewer's scope."""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from gandan.fieldwork import queries
from gandan.fieldwork.models import VisitKind, VisitPhoto
from gandan.org.models import Field
from gandan.people import scoping
from gandan.people.capabilities import capabilities
from gandan.people.http import AuthenticatedRequest
from gandan.people.models import Role

LEADER_ROLES = {Role.LEADER, Role.COMMITTEE, Role.VIEWER, Role.UNIT_ADMIN, Role.DEPARTMENT_HANDLER}


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    cadre = getattr(user, "cadre", None)
    context: dict = {"today": today, "cadre": cadre}
    if cadre is not None:
        mine = queries.compliance_for(user, today, cadre_ids=[cadre.pk])
        context["mine"] = mine.cadres[0] if mine.cadres else None
        context["recent"] = queries.places_of(list(queries.visits_visible(user).filter(cadre=cadre)
                                                   .select_related("cadre").order_by("-date", "-id")[:5]))
    if scoping.roles_of(user) & LEADER_ROLES:
        month = queries.visits_visible(user).in_month(today)
        flagged = queries.visits_filtered(user, queries.VisitFilters(date_from=today.replace(day=1), flagged=True))
        context["leader"] = {"visits": month.count(), "flagged": flagged.count(),
                             "overall": queries.compliance_for(user, today).overall}
    return render(request, "fieldwork/home.html", context)


def _js_text() -> dict[str, str]:
    """The capture script's sentences, translated here so that the cached page carries them offline."""
    return {
        "pending": _("Đang chờ gửi"), "error": _("Không gửi được"), "sent": _("Đã gửi"),
        "saved_offline": _("Đã lưu trên máy. Sẽ tự gửi khi có mạng."), "saved_online": _("Đã gửi lên hệ thống."),
        "need_place": _("Hãy chọn ít nhất một thôn, xã hoặc hộ đã đến."), "need_kind": _("Hãy chọn loại đi cơ sở."),
        "need_date": _("Ngày không hợp lệ hoặc chưa đến."), "needs_login": _("Phiên đăng nhập đã hết: hãy đăng nhập "
                                                                          "lại để gửi."),
        "gps_wait": _("Đang lấy vị trí…"), "gps_ok": _("Đã lấy vị trí, sai số ±{m} m"),
        "gps_fail": _("Không lấy được vị trí (có thể bỏ qua)."), "no_match": _("Không có kết quả."),
        "followed": _("phụ trách"), "discard": _("Bỏ bản ghi này"),
        "confirm_discard": _("Bỏ bản ghi này? Nó sẽ bị xóa khỏi máy và không được gửi."),
        "online": _("Có mạng"), "offline": _("Mất mạng — vẫn ghi được, sẽ gửi sau"),
        "photo_skipped": _("Một ảnh không được nhận:"), "places_stale": _("Danh sách địa bàn lấy từ bộ nhớ máy."),
        "household": _("Hộ"), "remove": _("Bỏ chọn"),
        "check_fields": _("Chưa lưu: hãy xem lại ô được đánh dấu đỏ."), "concern": _("Ý kiến"),
        "not_saved": _("Chưa lưu, nội dung vẫn còn trên màn hình:"),
    }


@login_required
def capture(request: AuthenticatedRequest) -> HttpResponse:
    """The visit form: works offline (cached by the service worker), queues into IndexedDB, syncs."""
    cadre = getattr(request.user, "cadre", None)
    context = {"cadre": cadre, "today": timezone.localdate()}
    if cadre is not None and capabilities(request.user).record_visit:
        context.update({
            "topics": queries.topics_for(cadre.province_id),
            "kinds": VisitKind.choices,
            "fields": Field.choices,
            "js_text": _js_text(),
            "places_url": f"{reverse('api-v1:place_list')}?u={request.user.pk}",
            "api_url": reverse("api-v1:visit_create"),
        })
    return render(request, "fieldwork/capture.html", context)


def _precache_urls() -> list[str]:
    names = ["vendor/bootstrap/css/bootstrap.min.css", "vendor/bootstrap/js/bootstrap.bundle.min.js",
             "vendor/bootstrap-icons/bootstrap-icons.min.css", "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
             "vendor/bootstrap-icons/fonts/bootstrap-icons.woff", "vendor/htmx/htmx.min.js", "gandan/gandan.css",
             "gandan/dates.js", "gandan/tables.js", "gandan/actions.js",
             "fieldwork/fieldwork.css", "fieldwork/queue.js", "fieldwork/capture.js", "fieldwork/places.js",
             "fieldwork/concern.js",
             "fieldwork/icon.svg",
             "fieldwork/icon-192.png", "fieldwork/icon-512.png"]
    return [reverse("fieldwork-offline"), *[static(n) for n in names]]


def _precache_pages() -> list[str]:
    """The pages made for the user, fetched when the service worker installs so that they work
    offline at once (dropped with the other kept pages when another user signs in)."""
    return [reverse("fieldwork-capture"), reverse("fieldwork-concern-capture"), reverse("fieldwork-home")]


def _read_static(name: str) -> bytes:
    path = finders.find(name)
    if not path:
        raise Http404
    with open(path, "rb") as handle:
        return handle.read()


@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /fieldwork/ and allowed the whole site as its scope, so that
    the bottom bar's pages work offline too (gandan/core/offline.py says which). Its version hashes
    itself and the scripts it caches, so any change installs a fresh cache."""
    urls, pages = _precache_urls(), _precache_pages()
    body = _read_static("fieldwork/sw.js")
    digest = hashlib.sha256(body)
    for name in ("fieldwork/queue.js", "fieldwork/capture.js", "fieldwork/places.js",
             "fieldwork/concern.js", "fieldwork/fieldwork.css",
                 "gandan/gandan.css", "gandan/actions.js"):
        digest.update(_read_static(name))
    digest.update(json.dumps([urls, pages]).encode())
    config = (f"const VERSION = {json.dumps(digest.hexdigest()[:12])};\n"
              f"const PRECACHE = {json.dumps(urls)};\n"
              f"const PRECACHE_PAGES = {json.dumps(pages)};\n"
              f"const OFFLINE_URL = {json.dumps(reverse('fieldwork-offline'))};\n"
              f"const PLACES_PREFIX = {json.dumps(reverse('api-v1:place_list'))};\n")
    response = HttpResponse(config.encode() + body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": _("Gần Dân — Đi cơ sở"), "short_name": _("Đi cơ sở"),
        "description": _("Ghi lần đi cơ sở ngay trên điện thoại, kể cả khi không có mạng."),
        "start_url": reverse("fieldwork-capture"), "scope": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#a4161a", "lang": "vi",
        "icons": [
            {"src": static("fieldwork/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("fieldwork/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("fieldwork/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json",
                        json_dumps_params={"ensure_ascii": False})


@login_required
def photo(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """A visit photo, for those who may see the visit (404 alike for missing and forbidden)."""
    visible = VisitPhoto.objects.filter(visit__in=queries.visits_visible(request.user).values("pk"))
    found = scoping.get_visible_or_404(visible, request.user, pk=pk)
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response
