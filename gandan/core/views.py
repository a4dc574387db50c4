"""Login with throttling, health check, the favicon."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _

from gandan.core import ratelimit


class LoginView(auth_views.LoginView):
    """Django's login, refusing further attempts for a while after repeated failures."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if ratelimit.login_locked(request, request.POST.get("username", "")):
            form = self.get_form()
            form.errors.clear()
            if ratelimit.cache_failed(request):  # the failures cannot be counted: no login until they can
                form.add_error(None, _("Tạm thời chưa đăng nhập được vì hệ thống kiểm soát đăng nhập đang gián "
                                       "đoạn. Vui lòng thử lại sau ít phút."))
                response = self.render_to_response(self.get_context_data(form=form), status=503)
                response["Retry-After"] = "30"
                return response
            form.add_error(None, _("Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau 15 phút."))
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(settings.LOGIN_THROTTLE["window_seconds"])
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        ratelimit.login_failed(self.request, self.request.POST.get("username", ""))
        return super().form_invalid(form)


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """/favicon.ico, asked for by browsers and tools that do not read the page's <link rel=icon>: the
    product's icon (an SVG kept as source in core/static), by its current static URL."""
    response = HttpResponseRedirect(static("gandan/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
