"""What the phone offers without a network: the concern form (queued and synced like a visit, by
the same idempotent path), and the page shown when an unkept page is opened offline."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from gandan.org.models import Field
from gandan.people.http import AuthenticatedRequest
from gandan.petitions.models import Urgency


def _concern_text() -> dict[str, str]:
    """The concern script's sentences, translated here so that the kept page carries them offline."""
    return {
        "need_place": _("Hãy chọn thôn, xã hoặc hộ nơi người dân nêu ý kiến."),
        "need_text": _("Hãy ghi nội dung ý kiến."), "need_field": _("Hãy chọn lĩnh vực."),
        "check_fields": _("Chưa lưu: hãy xem lại ô được đánh dấu đỏ."),
        "not_saved": _("Chưa lưu, nội dung vẫn còn trên màn hình:"),
        "saved_offline": _("Đã lưu ý kiến trên máy. Sẽ tự gửi khi có mạng."),
        "saved_online": _("Đã gửi ý kiến lên hệ thống."),
        "needs_login": _("Phiên đăng nhập đã hết: hãy đăng nhập lại để gửi."),
        "no_match": _("Không có kết quả."), "household": _("Hộ"), "followed": _("phụ trách"),
        "remove": _("Bỏ chọn"), "places_stale": _("Danh sách địa bàn lấy từ bộ nhớ máy."),
        "online": _("Có mạng"), "offline": _("Mất mạng — vẫn ghi được, sẽ gửi sau"),
    }


@login_required
def concern_capture(request: AuthenticatedRequest) -> HttpResponse:
    cadre = getattr(request.user, "cadre", None)
    return render(request, "fieldwork/concern_capture.html", {
        "cadre": cadre, "fields": Field.choices, "urgencies": Urgency.choices, "js_text": _concern_text(),
        "places_url": f"{reverse('api-v1:place_list')}?u={request.user.pk}",
        "api_url": reverse("api-v1:petition_create"), "visit_api_url": reverse("api-v1:visit_create"),
    })


def offline_page(request: HttpRequest) -> HttpResponse:
    """The page shown offline for a page the phone has not kept. The service worker keeps one copy
    for whoever uses the phone, so it is made for nobody: no name, no scope, no menu."""
    return render(request, "fieldwork/offline.html", {"user": AnonymousUser(), "scope_roots": [], "crumbs": []})
