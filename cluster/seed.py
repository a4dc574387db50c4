"""Run inside the cluster's environment (`python -m cluster.seed [world|demo]`, DATABASE_URL on the
primary): a personal API token for a commune cadre, printed as JSON with what a visit needs.

`world` (the default) builds the persona world of the tests (two provinces, a few communes, one cadre
login per role: people/testing.py) in a second; `demo` uses the demo's commune cadre, after
`gandan load-units` and `gandan demo` (CLUSTER_DATA=demo: slower, and closer to a province)."""

from __future__ import annotations

import json
import os
import sys

EXTRA_PROVINCES = int(os.environ.get("CLUSTER_EXTRA_PROVINCES", 18))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandan.settings")
    import django

    django.setup()
    from gandan.people.models import User
    from gandan.people.tokens import token_create

    if (sys.argv[1:] or ["world"])[0] == "world":
        from gandan.org.testing import make_unit
        from gandan.people.testing import build_world

        user = build_world().commune_a_cadre
        for n in range(EXTRA_PROVINCES):  # more provinces: more jobs, one rebuild each
            make_unit("commune", f"Xã Cụm {n}", make_unit("province", f"Tỉnh Cụm {n}", code=f"C{n:02d}"))
    else:
        user = User.objects.select_related("cadre").get(username="canbo.nghiathuan")
    assert user.cadre is not None and not user.must_change_password, "the cadre's login is not ready"
    _key, secret = token_create(actor=user, name="cluster test")
    print(json.dumps({"token": secret, "unit_id": user.cadre.unit_id, "province_id": user.cadre.province_id}))


if __name__ == "__main__":
    main()
