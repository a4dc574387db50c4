"""The README's layout shows the layers in the order the import-linter contract enforces them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _contract_apps() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")["layers"]
    apps = []
    for layer in layers:
        for module in re.split(r"[|:]", layer.strip("()")):
            name = module.strip().removeprefix("gandan.")
            if name != "urls":
                apps.append(name)
    return apps


def _readme_apps() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("```", 2)[1]
    apps = []
    for line in block.splitlines():
        folders = re.match(r"  ((?:[a-z]+/ *)+)", line)  # the folders a line starts with, then its description
        if folders:
            apps += re.findall(r"([a-z]+)/", folders.group(1))
    return apps


def test_the_readme_lists_the_apps_top_down_in_the_order_of_the_layer_contract():
    readme = [app for app in _readme_apps() if app in set(_contract_apps())]
    assert readme == _contract_apps()


def test_every_app_of_the_project_has_its_place_in_the_contract():
    packages = {p.parent.name for p in (ROOT / "gandan").glob("*/__init__.py")} - {"formats", "locale"}
    assert packages <= set(_contract_apps())


def test_no_module_of_the_project_imports_itself_through_others():
    """The layer contract forbids cycles between layers; this forbids them inside an app too."""
    import grimp  # installed with import-linter, which builds its graph with it

    graph = grimp.build_graph("gandan")
    cycles = [(module, other) for module in graph.modules for other in graph.find_modules_directly_imported_by(module)
              if module != other and graph.chain_exists(importer=other, imported=module)]
    assert cycles == []
