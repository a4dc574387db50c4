"""Every demo role sees only what it can do: on the demo province (two real communes, a twentieth of
the households), each demo login's menus and buttons are the expected ones, and every link they offer
opens a page (no 403, no 404) — the home page's work lists and the "me" page included."""

from __future__ import annotations

import re
from contextlib import nullcontext

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from gandan.demo.build import build_demo
from gandan.demo.logins import demo_logins_ensure
from gandan.demo.run import run_builders
from gandan.org.services import levels_ensure, unit_create
from gandan.people.models import User


class _Bar:
    def update(self, n: int = 1) -> None:
        pass


def quiet(total, desc):
    return nullcontext(_Bar())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        levels = levels_ensure()
        province = unit_create(actor=None, level=levels["province"], code="08", name="Tỉnh Tuyên Quang",
                               division_type="tỉnh")
        for code, name in (("00874", "Xã Quản Bạ"), ("00889", "Xã Nghĩa Thuận")):
            unit_create(actor=None, level=levels["commune"], code=code, name=name, division_type="xã",
                        parent=province)
        build_demo(seed=7, scale=0.05, progress=quiet)
        demo_logins_ensure()
        run_builders(province, seed=7, progress=quiet)
        yield province
        transaction.set_rollback(True)


HREF = re.compile(r'<a [^>]*href="(/[^"#]*)"')
MENU = re.compile(r'<aside class="[^"]*side-menu">(.*?)</aside>', re.S)
BAR = re.compile(r'<nav class="[^"]*bottom-bar">(.*?)</nav>', re.S)

# what each role's side menu offers (by URL), beyond home and "me"
MODULES = {"/units/", "/assignments/", "/fieldwork/", "/petitions/", "/plans/", "/campaigns/", "/reports/",
           "/evaluation/"}
MENUS = {
    "tinhuy": MODULES,
    "lanhdao.nghiathuan": MODULES,
    "canbo.nghiathuan": MODULES,
    "so.nongnghiep": MODULES,
    "quantri.quanba": MODULES | {"/imports/", "/people/accounts/"},
    "thanhtra": MODULES,
}
# the buttons of the module pages: offered (True) or not (False)
BUTTONS = {  # (record a visit, record a meeting, record a concern, field-work settings, concern settings)
    "tinhuy": (True, True, True, True, True),
    "lanhdao.nghiathuan": (True, True, True, False, False),
    "canbo.nghiathuan": (True, True, True, False, False),
    "so.nongnghiep": (True, True, False, False, False),
    "quantri.quanba": (True, True, False, False, False),
    "thanhtra": (False, False, False, False, False),
}
# the home page's work lists
BLOCKS = {
    "tinhuy": {"coverage", "fieldwork", "concerns", "ranking"},
    "lanhdao.nghiathuan": {"awaiting", "coverage", "behind"},
    "canbo.nghiathuan": {"week", "my-concerns", "my-meetings"},
    "so.nongnghiep": {"department"},
    "quantri.quanba": {"coverage", "behind", "administration"},
    "thanhtra": {"coverage", "fieldwork", "concerns", "ranking"},
}


def _links(html: str, pattern: re.Pattern[str] | None = None) -> set[str]:
    part = "".join(pattern.findall(html)) if pattern else html
    return {href.replace("&amp;", "&") for href in HREF.findall(part)}


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _opens(client: Client, url: str) -> int:
    response = client.get(url)
    return response.status_code if response.status_code != 302 else client.get(response["Location"]).status_code


@pytest.mark.django_db
@pytest.mark.parametrize("username", list(MENUS))
def test_each_role_is_offered_its_own_menu_buttons_and_work_and_every_link_opens(demo, username):
    client = _client(username)
    home = client.get("/").content.decode()
    assert _links(home, MENU) == {"/", "/me/"} | MENUS[username]
    assert _links(home, BAR) <= {"/", "/me/", "/fieldwork/", "/petitions/", "/assignments/", "/plans/"}
    assert "/api/v1/docs" not in _links(home, MENU) and "/me/tokens/" not in _links(home, MENU)
    assert set(re.findall(r'data-testid="block-([a-z-]+)"', home)) == BLOCKS[username]

    fieldwork = client.get("/fieldwork/").content.decode()
    meetings = client.get("/fieldwork/meetings/").content.decode()
    petitions = client.get("/petitions/").content.decode()
    offered = ('data-testid="record-visit"' in fieldwork, "/fieldwork/meetings/new/" in meetings,
               "/petitions/new/" in petitions, "/fieldwork/settings/" in fieldwork, "/petitions/settings/" in petitions)
    assert offered == BUTTONS[username]

    me = client.get("/me/").content.decode()
    assignments = client.get("/assignments/").content.decode()
    followed = set()
    for html in (home, fieldwork, meetings, petitions, me, assignments):
        followed |= {url for url in _links(html) if not url.startswith(("/static/", "/api/", "/i18n/"))}
    assert len(followed) > 15
    broken = {url: status for url in sorted(followed) if (status := _opens(client, url)) != 200}
    assert broken == {}


@pytest.mark.django_db
def test_the_inspector_who_follows_a_link_anyway_gets_the_product_page_saying_why(demo):
    client = _client("thanhtra")
    capture = client.get("/fieldwork/visits/new/").content.decode()
    assert 'data-testid="cannot-record"' in capture and 'id="visit-form"' not in capture
    response = client.get("/fieldwork/meetings/new/")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="error-page"' in page and "không ghi được cuộc họp" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/fieldwork/meetings/new/").content.decode()
    assert "may view the meetings in your scope but not record them" in english and "Forbidden" not in english
