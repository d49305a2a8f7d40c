"""The structure stays easy to see: no import hidden inside a function, no import circle.

The layer contracts themselves are `.importlinter`, checked by `lint-imports` in `make test`;
these tests guard what the contracts cannot: an import placed inside a function (which hides a
circle until the function runs) and a circle among any of the project's modules.
"""

import ast
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["pk_portal", "organisations", "indicators", "agreements", "submissions", "monitoring"]
# The bench scripts and the tests are held to the same rule.
CHECKED_DIRS = [*PACKAGES, "bench", "tests"]


def project_files() -> list[Path]:
    files = []
    for name in CHECKED_DIRS:
        files += [
            path for path in sorted((ROOT / name).rglob("*.py")) if "migrations" not in path.parts
        ]
    return files


def _is_app_config_ready(function: ast.AST, parents: list[ast.AST]) -> bool:
    """`def ready(self)` of a class deriving from AppConfig: the one accepted place."""
    if not isinstance(function, ast.FunctionDef) or function.name != "ready" or not parents:
        return False
    owner = parents[-1]
    return isinstance(owner, ast.ClassDef) and any(
        (isinstance(base, ast.Name) and base.id == "AppConfig")
        or (isinstance(base, ast.Attribute) and base.attr == "AppConfig")
        for base in owner.bases
    )


def imports_inside_functions(source: str) -> list[tuple[int, str]]:
    """(line, statement) of every import inside a function, except in AppConfig.ready()."""
    found = []

    def walk(node: ast.AST, parents: list[ast.AST], in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                allowed = _is_app_config_ready(child, parents)
                walk(child, [*parents, child], in_function or not allowed)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                if in_function:
                    found.append((child.lineno, ast.unparse(child)))
            else:
                walk(child, [*parents, child], in_function)

    walk(ast.parse(source), [], False)
    return found


def import_cycle(graph) -> list[str] | None:
    """One circle of imports among the graph's modules (a → b → … → a), or None."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" when finished
    path: list[str] = []

    for start in sorted(graph.modules):
        if start in state:
            continue
        stack = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        state[start] = "open"
        path.append(start)
        while stack:
            module, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[module] = "done"
            elif state.get(child) == "open":
                return [*path[path.index(child) :], child]
            elif child not in state:
                state[child] = "open"
                path.append(child)
                stack.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
    return None


def test_the_import_walk_sees_every_app_the_bench_and_the_tests():
    names = {path.relative_to(ROOT).parts[0] for path in project_files()}
    assert names == set(CHECKED_DIRS)


def test_the_walk_finds_an_import_inside_a_function_but_not_in_app_config_ready():
    source = (
        "from django.apps import AppConfig\n"
        "class Config(AppConfig):\n"
        "    def ready(self):\n"
        "        from x import signals\n"
        "def helper():\n"
        "    if True:\n"
        "        import os\n"
        "class Other:\n"
        "    def ready(self):\n"
        "        from y import z\n"
    )
    assert imports_inside_functions(source) == [(7, "import os"), (10, "from y import z")]


def test_no_module_imports_inside_a_function_outside_app_config_ready():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {statement}"
        for path in project_files()
        for line, statement in imports_inside_functions(path.read_text())
    ]
    assert not offenders, (
        "Imports belong at the top of the module (only AppConfig.ready() may import inside a "
        "function); an import that would make a circle needs a design change instead (move "
        "the shared piece down, or a signal):\n" + "\n".join(offenders)
    )


def test_the_cycle_search_finds_a_circle():
    graph = grimp.ImportGraph()
    for name in ("a", "a.b", "a.c", "a.d"):
        graph.add_module(name)
    graph.add_import(importer="a.b", imported="a.c")
    graph.add_import(importer="a.c", imported="a.d")
    assert import_cycle(graph) is None
    graph.add_import(importer="a.d", imported="a.b")
    assert import_cycle(graph) == ["a.b", "a.c", "a.d", "a.b"]


def test_no_import_circle_among_the_project_modules():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    cycle = import_cycle(graph)
    assert cycle is None, "Import circle: " + " -> ".join(cycle)
