"""The import page with a file typed in TCVN3/VNI: refused with a preview old → new, then one click
converts and imports the file kept aside; nobody else's session can use it."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.storage import default_storage

from gandan.org.models import Household
from gandan.people.models import Role
from gandan.people.testing import make_user

pytestmark = pytest.mark.django_db

TCVN3_NAME = b"Nguy\xd4n V\xa8n H\xb6i".decode("latin-1")
VNI_NAME = b"\xd1o\xe3 Th\xf2 Ho\xe0ng".decode("latin-1")


@pytest.fixture
def admin(world):
    return make_user("province_admin", role=Role.UNIT_ADMIN, unit=world.province)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, world):
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [["ma_ho", "chu_ho", "ma_thon"], ["W1", TCVN3_NAME, world.village_a1.code],
                ["W2", "Vàng Seo Sử", world.village_a1.code], ["W3", VNI_NAME, world.village_a2.code]]:
        sheet.append(row)
    source = io.BytesIO()
    book.save(source)
    source.seek(0)
    source.name = "ho.xlsx"
    return client.post("/imports/upload/", {"kind": "households", "file": source})


def test_a_legacy_file_is_previewed_then_converted_and_imported(world, admin, client_as):
    client = client_as(admin)
    response = upload(client, world)
    assert response.status_code == 400 and not Household.objects.filter(code__startswith="W").exists()
    page = response.content.decode()
    assert 'data-testid="legacy-preview"' in page and 'data-testid="legacy-convert-form"' in page
    assert TCVN3_NAME in page and "Nguyễn Văn Hải" in page and "VNI-Windows" in page and "Đỗ Thị Hồng" in page
    pending = client.session["import_pending_legacy"]
    assert default_storage.exists(pending["path"])

    response = client.post("/imports/convert/", {"token": pending["token"]})
    assert response.status_code == 302 and response["Location"] == "/imports/?kind=households"
    assert dict(Household.objects.filter(code__startswith="W").values_list("code", "head_name")) == {
        "W1": "Nguyễn Văn Hải", "W2": "Vàng Seo Sử", "W3": "Đỗ Thị Hồng"}
    assert not default_storage.exists(pending["path"]) and "import_pending_legacy" not in client.session
    assert "Đã chuyển 2 ô" in client.get(response["Location"]).content.decode()


def test_the_kept_file_answers_only_its_own_session_and_token(world, admin, client_as):
    client = client_as(admin)
    upload(client, world)
    pending = client.session["import_pending_legacy"]
    other = client_as(make_user("other_admin", role=Role.UNIT_ADMIN, unit=world.province))
    assert other.post("/imports/convert/", {"token": pending["token"]}).status_code == 302
    assert client.post("/imports/convert/", {"token": "wrong"}).status_code == 302
    assert not Household.objects.filter(code__startswith="W").exists()
