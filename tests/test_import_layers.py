"""The code's layers hold: each part of app/ imports only parts below it, no two parts import
each other, and no module imports itself round a circle (lazy imports inside functions count).

A newcomer reads the layers bottom up; a new import that climbs a layer fails here, naming
the module and the import, instead of surfacing later as an import circle at start-up.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Bottom first. A part imports only from parts of lower layers.
LAYERS = [
    (
        "app.settings",
        "app.extensions",
        "app.search",
        "app.static_files",
        "app.headers",
        "app.request_checks",
        "app.database",
        "app.spreadsheet_cells",
        "app.audio_analysis",
    ),
    ("app.logs", "app.models"),
    ("app.media",),
    ("app.listening", "app.setlists", "app.jobs", "app.catalog_tallies"),
    # Its flush hooks call the setlists' rules (a setlist's size follows its entries).
    ("app.change_recording",),
    ("app.demo",),
    ("app.web",),
    ("app.fab",),
    ("app.security",),
    ("app.views.site",),
    ("app.views.editing", "app.views.search", "app.views.listening"),
    ("app.views.catalog",),
    ("app.views.setlists", "app.views.my_music"),
    ("app.views",),
    ("app.api", "app.subsonic"),
    ("app.commands",),
    ("app",),
]
LAYER_OF = {part: number for number, parts in enumerate(LAYERS) for part in parts}


def module_name(path: Path) -> str:
    """The dotted name of a module file under the project root."""
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def part_of(module: str) -> str:
    """The layered part a module belongs to: the longest listed prefix of its name."""
    pieces = module.split(".")
    for length in range(len(pieces), 0, -1):
        candidate = ".".join(pieces[:length])
        if candidate in LAYER_OF:
            return candidate
    raise AssertionError(f"{module} is in no layer: add its folder to LAYERS")


def app_modules() -> dict[str, Path]:
    """Every module of app/, by dotted name."""
    return {module_name(path): path for path in sorted((ROOT / "app").rglob("*.py"))}


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The app modules a file imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module in modules:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in modules else node.module)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    """Each app module and the app modules it imports."""
    modules = app_modules()
    return {name: imports_of(path, modules) for name, path in modules.items()}


def test_every_import_goes_down_a_layer(graph):
    """No part imports a part of its own layer or of one above (packages' own modules aside)."""
    climbing = []
    for module, imported in graph.items():
        part = part_of(module)
        for target in imported:
            other = part_of(target)
            if other != part and LAYER_OF[other] >= LAYER_OF[part]:
                climbing.append(f"{module} imports {target} ({part} is not above {other})")
    assert climbing == []


def test_no_two_parts_import_each_other(graph):
    """Between any two parts, imports run one way only."""
    pairs = {(part_of(module), part_of(target)) for module in graph for target in graph[module]}
    both_ways = sorted(f"{a} <-> {b}" for a, b in pairs if a < b and (b, a) in pairs)
    assert both_ways == []


def test_no_module_imports_itself_round_a_circle(graph):
    """No chain of imports leads back to where it started."""
    circles, state = [], {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                circles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []
