"""The pages of each role under the Content-Security-Policy, in Chromium: a cadre on a phone (the visit
form, online and offline, the outbox notice, an API key copied), a leader's dashboards and a concern's
handling, a unit administrator's coverage and accounts, and a citizen's public pages. The walk fails on
any report of the policy in the console and on any page error, and clicks each behaviour that moved
out of the templates into core/static/gandan/actions.js and fieldwork/queue.js.

(e2e/conftest.py fails every browser test on a console report of the policy; this one walks the
pages on purpose and checks that the policy is really enforced, offline too.)
"""

from __future__ import annotations

import re

import pytest

from gandan.assignments.testing import make_assignment
from gandan.org.testing import make_household
from gandan.people.models import RoleGrant
from gandan.people.testing import build_world
from gandan.petitions import forms
from gandan.petitions.testing import receive

from .signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
INJECT = """() => { const s = document.createElement('script'); s.textContent = 'window.__injected = 1';
  document.head.appendChild(s); return window.__injected === 1; }"""


class Watch:
    """Page errors and the policy's reports (e2e/conftest.py collects those), each with its page."""

    def __init__(self, page, csp_reports: list[str]) -> None:
        self.page, self.reports, self.errors = page, csp_reports, []
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: page error: {error}"))

    def visit(self, url: str, timeout: float | None = None) -> None:
        response = self.page.goto(url, timeout=timeout)
        assert response is not None and response.status < 400, f"{url}: {response and response.status}"
        self.page.wait_for_load_state("load")
        self.clean()

    def clean(self) -> None:
        problems = self.reports + self.errors
        assert problems == [], "\n".join(problems)

    def injection_blocked(self) -> None:
        """An inline script added by hand is refused by the browser, and reported: the policy holds."""
        self.clean()
        assert self.page.evaluate(INJECT) is False
        self.page.wait_for_function("() => true")
        self.page.wait_for_timeout(200)
        assert len(self.reports) == 1 and "script-src" in self.reports[0], self.reports
        self.reports.clear()


def bars_follow_their_widths(page) -> int:
    """Every bar's width (data-width, set through the CSS object model) is what it says; how many."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-width]')).map(bar => {
        const want = parseFloat(bar.dataset.width.replace(',', '.'));
        if (bar.style.width !== want + '%') throw new Error('bar ' + bar.dataset.width + ': ' + bar.style.width);
        return 1; }).length""")


def test_a_cadre_on_a_phone_online_and_offline(page, csp_reports):
    build_world()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size(PHONE)
    watch = Watch(page, csp_reports)
    log_in(page, "commune_a_cadre")
    for url in ("/", "/fieldwork/", "/fieldwork/visits/new/", "/fieldwork/concerns/new/", "/fieldwork/area/",
                "/petitions/", "/plans/", "/me/", "/me/sessions/", "/evaluation/"):
        watch.visit(url)
    watch.injection_blocked()
    assert page.evaluate("document.querySelector('link[rel=manifest]') !== null")  # queue.js, from its tag

    # The service worker (registered by queue.js from its script tag's data-) keeps the pages offline.
    watch.visit("/fieldwork/visits/new/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.get_by_test_id("place-list").get_by_role("button").first.wait_for()
    watch.visit("/fieldwork/")
    page.context.set_offline(True)
    watch.visit("/fieldwork/visits/new/")
    page.get_by_test_id("net-status").filter(has_text="Mất mạng").wait_for()
    watch.visit("/fieldwork/")  # the kept copy: its notice shown, the outbox counted, the policy still on
    page.get_by_test_id("offline-copy").wait_for()
    assert page.locator("#pending-box").is_hidden()
    page.evaluate("""FieldworkQueue.put({uuid: FieldworkQueue.uuid4(), createdAt: Date.now(), status: 'error',
                     body: {}, user: 'someone else'})""")
    watch.visit("/fieldwork/")
    page.locator("#pending-box").filter(has_text="Đang chờ gửi: 1").wait_for()
    watch.injection_blocked()
    page.context.set_offline(False)

    # An API key: its field selects itself, the copy button copies it.
    watch.visit("/me/tokens/")
    page.get_by_label("Tên khóa").fill("Điện thoại")
    page.get_by_role("button", name="Tạo khóa").click()
    page.get_by_test_id("token-created").wait_for()
    key = page.locator("#token-key").input_value()
    page.locator("#token-key").focus()
    assert page.evaluate("document.getSelection().toString() || "
                         "document.activeElement.value.substring(document.activeElement.selectionStart, "
                         "document.activeElement.selectionEnd)") == key
    page.get_by_role("button", name="Sao chép").click()
    page.get_by_role("button", name="Đã sao chép").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == key

    # The language: choosing it sends the form.
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    page.get_by_label("Language").select_option("vi")
    page.wait_for_function("() => document.documentElement.lang === 'vi'")
    watch.clean()


def test_a_leader_walks_the_dashboards_and_handles_a_concern(page, csp_reports):
    world = build_world()
    make_assignment(world.cadre_a, unit=world.village_a1)
    concern = receive(world)
    watch = Watch(page, csp_reports)
    log_in(page, "commune_a_leader")
    for url in ("/", "/reports/", "/reports/periodic/", "/fieldwork/", "/fieldwork/visits/", "/fieldwork/calendar/",
                "/fieldwork/compliance/", "/fieldwork/meetings/", "/fieldwork/locks/", "/assignments/",
                f"/assignments/coverage/{world.commune_a.pk}/", "/assignments/list/", "/petitions/",
                "/petitions/list/", "/petitions/rates/", "/plans/team/", "/campaigns/", "/evaluation/",
                f"/units/{world.commune_a.pk}/", "/units/"):
        watch.visit(url)
        bars_follow_their_widths(page)
    watch.visit("/assignments/")
    assert bars_follow_their_widths(page) > 0
    watch.visit("/reports/")
    page.locator("canvas.report-chart").first.wait_for()

    watch.visit(f"/petitions/{concern.pk}/")
    page.get_by_role("button", name="Nhận xử lý").click()
    page.get_by_test_id("status").filter(has_text="Đã nhận xử lý").wait_for()
    watch.clean()
    pin = page.get_by_role("button", name="In giấy biên nhận với mã xác nhận mới")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    pin.click()
    page.wait_for_timeout(300)
    assert asked and asked[0].startswith("Cấp mã xác nhận mới") and page.url.endswith(f"/petitions/{concern.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    pin.click()
    page.wait_for_url(f"**/petitions/{concern.pk}/receipt/**")
    printed = page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    assert printed is None
    page.get_by_role("button", name="In giấy biên nhận").click()
    assert page.evaluate("window.__printed") == 1
    watch.clean()

    watch.visit("/api/v1/docs", timeout=120_000)  # Swagger UI's bundle is large
    page.locator(".swagger-ui .info .title").wait_for(timeout=120_000)  # the document takes a while to build
    page.locator(".swagger-ui .opblock").first.wait_for()
    watch.clean()


def test_a_unit_admin_checks_all_gaps_and_is_asked_before_ending_a_grant(page, csp_reports):
    world = build_world()
    for i in range(3):
        make_household(world.village_b1, f"Hộ gia đình {i + 1}")
    ended = make_assignment(world.cadre_b, unit=world.village_b1)
    watch = Watch(page, csp_reports)
    log_in(page, "commune_b_admin")
    watch.visit(f"/assignments/coverage/{world.commune_b.pk}/?gl=household#gaps")
    page.get_by_role("tab", name="Chỗ trống").click()
    boxes = page.locator("#gaps input[name=target]")
    count = boxes.count()
    assert count >= 3
    page.get_by_label("Chọn tất cả").check()
    assert [boxes.nth(i).is_checked() for i in range(count)] == [True] * count
    page.get_by_label("Chọn tất cả").uncheck()
    assert [boxes.nth(i).is_checked() for i in range(count)] == [False] * count

    watch.visit("/assignments/list/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Kết thúc").first.click()
    page.wait_for_timeout(300)
    ended.refresh_from_db()
    assert ended.end is None  # dismissed: nothing sent

    watch.visit("/people/accounts/")
    grants = RoleGrant.objects.count()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name=re.compile("Thu hồi")).first.click()
    page.wait_for_timeout(300)
    assert asked and asked[0].startswith("Thu hồi quyền này") and RoleGrant.objects.count() == grants
    watch.clean()


def test_a_citizen_files_prints_and_goes_back_from_a_missing_page(page, csp_reports, monkeypatch):
    monkeypatch.setattr(forms, "MIN_FILL_SECONDS", 0)
    world = build_world()
    page.set_viewport_size(PHONE)
    watch = Watch(page, csp_reports)
    for url in ("/", "/petitions/welcome/", "/petitions/track/", "/assignments/lookup/",
                f"/assignments/lookup/{world.village_a1.pk}/", "/accounts/login/"):
        watch.visit(url)
    watch.injection_blocked()
    watch.visit("/petitions/public/new/")
    page.get_by_label("Tỉnh, thành phố").select_option(label="Tỉnh Tuyên Quang")
    page.locator("#id_commune option", has_text="Xã Nghĩa Thuận").wait_for(state="attached")
    page.get_by_label("Xã, phường").select_option(label="Xã Nghĩa Thuận")
    page.get_by_label("Lĩnh vực").select_option("infrastructure")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill("Đèn đường đầu thôn tắt đã hai tuần, đi lại nguy hiểm.")
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.get_by_test_id("code").wait_for()
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="In giấy biên nhận").click()
    assert page.evaluate("window.__printed") == 1
    watch.clean()

    watch.visit("/petitions/track/")
    missing = page.goto("/no-such-page/")
    assert missing is not None and missing.status == 404
    page.get_by_test_id("error-page").wait_for()
    page.get_by_role("link", name="Quay lại trang trước").click()
    page.wait_for_url("**/petitions/track/")
    watch.clean()
