from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from gandan.api.router import api
from gandan.core import csp_reports
from gandan.core import views as core_views
from gandan.home import views as home_views
from gandan.people import account_views, otp_views, unit_views
from gandan.people import views as people_views
from gandan.petitions import public_views as petitions_public

urlpatterns = [
    path("", petitions_public.public_or(home_views.home), name="home"),  # visitors: the public landing page
    path("health/", core_views.health, name="health"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("csp-report/", csp_reports.csp_report, name="csp-report"),  # public, rate-limited: core/csp_reports.py
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("gandan.people.account_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("units/", unit_views.unit_tree, name="unit-tree"),
    path("units/merges/", include("gandan.people.merge_urls")),
    path("units/<int:pk>/", home_views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/children/", unit_views.unit_children, name="unit-children"),
    path("cadres/<int:pk>/", people_views.cadre_detail, name="cadre-detail"),
    path("people/accounts/", account_views.account_list, name="accounts"),
    path("people/accounts/grant/", account_views.grant_create, name="grant-create"),
    path("people/accounts/grant/<int:pk>/end/", account_views.grant_end, name="grant-end"),
    path("people/accounts/cadres/", account_views.cadres_without_account, name="accounts-cadres"),
    path("people/accounts/cadres/<int:pk>/create/", account_views.account_create, name="account-create"),
    path("people/accounts/users/<int:pk>/reset/", account_views.password_reset_link, name="account-reset"),
    path("people/accounts/users/<int:pk>/otp-reset/", otp_views.otp_reset, name="account-otp-reset"),
    path("people/accounts/users/<int:pk>/otp-enrolment-code/", otp_views.otp_enrolment_code_issue,
         name="account-otp-enrolment-code"),
    path("imports/", include("gandan.people.import_urls")),
    path("me/", home_views.me, name="me"),
    path("me/", include("gandan.people.urls")),
    path("assignments/", include("gandan.assignments.urls")),
    path("fieldwork/", include("gandan.fieldwork.urls")),
    path("petitions/", include("gandan.petitions.urls")),
    path("plans/", include("gandan.plans.urls")),
    path("campaigns/", include("gandan.campaigns.urls")),
    path("evaluation/", include("gandan.evaluation.urls")),
    path("reports/", include("gandan.reports.urls")),
    path("api/v1/", api.urls),
]

# The product's own error pages (core/errors.py); CSRF_FAILURE_VIEW in settings names the fifth.
handler400 = "gandan.core.errors.bad_request"
handler403 = "gandan.core.errors.permission_denied"
handler404 = "gandan.core.errors.page_not_found"
handler500 = "gandan.core.errors.server_error"
