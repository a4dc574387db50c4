"""On a phone (390×844) the bottom bar is fixed over the page: scrolled to the end, the whole of every
page must sit above it, its last button included, where a thumb can reach it."""

from __future__ import annotations

import pytest

from gandan.people.testing import build_world

from .signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/", "/fieldwork/visits/new/", "/petitions/", "/plans/", "/evaluation/", "/me/"]


def test_the_end_of_each_page_is_above_the_bottom_bar(page, artifacts):
    build_world()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "commune_a_cadre")
    for path in PAGES:
        page.goto(path)
        gap = page.evaluate("""async () => {
            window.scrollTo({top: document.documentElement.scrollHeight, behavior: 'instant'});
            await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
            const bar = document.querySelector('.bottom-bar').getBoundingClientRect();
            const bottoms = [...document.querySelectorAll('main *')].filter((el) => el.offsetParent !== null)
                .map((el) => el.getBoundingClientRect().bottom);
            return bar.top - Math.max(...bottoms);
        }""")
        page.screenshot(path=artifacts / f"phone-bottom-bar{path.replace('/', '-')}.png")
        assert gap >= 0, f"{path}: the page ends {-gap:.0f} px under the bottom bar"
