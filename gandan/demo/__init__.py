"""Deterministic demo data on the real Tuyên Quang province (`gandan demo`), reusable by tests and by
the benchmark data generator: `build.build_demo(seed=…, scale=…)`,
then `logins.demo_logins_ensure()`, then `run.run_builders(…)` for the modules' data.

    names.py     Vietnamese name parts (Hmông, Dao, Tày, Nùng, Kinh) and village names
    staffing.py  agencies of a province and a commune, and their posts
    build.py     the ORM stages: villages, households, agencies, party cells, cadres
    logins.py    one demo login per role
    run.py       the modules' demo builders (assignments.py, petitions.py, fieldwork.py), in layer order
"""
