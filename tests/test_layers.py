"""The import graph of lumen/: no cycle, and no part imports from a layer above its own.

Every import counts, including those inside functions. ``python -m tests.test_layers`` prints
the graph between the parts (top-level modules and packages of lumen/).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import lumen

ROOT = Path(lumen.__file__).parent
# Lowest first. A part may import its own layer and the layers below it, never one above.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"config", "extensions", "errors", "security", "queue", "ratelimit", "models",
               "schema", "shopify", "after_commit", "sentiment", "mail", "redaction",
               "request_limits", "outcomes"}),
    frozenset({"conversation", "shops"}),
    frozenset({"auth", "plans", "privacy", "retention", "jobs", "schedule", "llm", "tickets",
               "transcripts", "alerts", "history", "analytics", "codes"}),
    frozenset({"widget", "admin", "webhooks", "system"}),
    # A feature's pages (Indico style, beside its actions) register on the admin blueprint.
    frozenset({f"{feature}.views" for feature in ("history", "tickets", "analytics")}),
    frozenset({"lumen", "startup", "cli", "demo", "extension_build"}),
)
FEATURES = ("history", "tickets", "analytics")
# The development store stands in for Shopify: it may use only the base layer.
TOOLS = {"devstore": LAYERS[0]}


def module_name(path: Path) -> str:
    """``lumen.a.b`` for ``lumen/a/b.py`` (``lumen.a`` for its ``__init__.py``)."""
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def imports_of(name: str) -> Iterator[str]:
    """Every lumen module ``name`` imports, at any depth of its code."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("lumen"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[:len(package.split(".")) - node.level + 1],
                                 *([base] if base else [])])
            if not base.startswith("lumen"):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield candidate if candidate in MODULES else base


def module_graph() -> dict[str, set[str]]:
    """Module -> the lumen modules it imports (itself excluded)."""
    return {name: {target for target in imports_of(name) if target != name}
            for name in MODULES}


def part(name: str) -> str:
    """The part of lumen/ a module belongs to (``lumen.widget.turn`` -> ``widget``)."""
    pieces = name.split(".")
    if len(pieces) > 2 and pieces[1] in FEATURES and _is_page(pieces[-1]):
        return f"{pieces[1]}.views"
    return pieces[1] if len(pieces) > 1 else "lumen"


def _is_page(module: str) -> bool:
    # Views, and the display helpers only views use, belong to the feature's page layer.
    return module in ("views", "display") or module.endswith("_views")


def layer(name: str) -> int:
    """The layer index of a part."""
    return next(index for index, parts in enumerate(LAYERS) if name in parts)


def part_graph() -> dict[str, set[str]]:
    """Part -> the other parts it imports."""
    graph: dict[str, set[str]] = {}
    for source, targets in module_graph().items():
        graph.setdefault(part(source), set()).update(
            part(target) for target in targets if part(target) != part(source))
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first search, each as the path that closes it."""
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                found.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_every_part_has_a_layer():
    placed = set().union(*LAYERS, TOOLS)
    assert set(part_graph()) - placed == set()


def test_no_module_import_cycle():
    # Package __init__ files that only register their views are wiring, not a cycle of logic.
    graph = {source: {target for target in targets if not _registers_views(target, source)}
             for source, targets in module_graph().items()}
    assert cycles(graph) == []


def test_no_part_imports_from_a_higher_layer():
    upward = []
    for source, targets in part_graph().items():
        if source in TOOLS:
            upward.extend((source, target) for target in targets if target not in TOOLS[source])
            continue
        upward.extend((source, target) for target in targets
                      if target not in TOOLS and layer(target) > layer(source))
    assert upward == []


def test_the_part_graph_has_no_cycle():
    assert cycles(part_graph()) == []


def _registers_views(package: str, module: str) -> bool:
    # A blueprint package imports its views so their routes register; the views import the
    # package for ``bp``. Flask's own pattern (the tutorial's), so that edge is not counted.
    return MODULES.get(package, Path()).name == "__init__.py" and module.startswith(package + ".")


def main() -> None:
    """Print the part graph, layer by layer."""
    graph = part_graph()
    for index, parts in enumerate(LAYERS):
        for name in sorted(parts):
            targets = ", ".join(sorted(graph.get(name, ()))) or "-"
            sys.stdout.write(f"L{index} {name:16} -> {targets}\n")
    for name, allowed in TOOLS.items():
        sys.stdout.write(f"tool {name:14} -> {', '.join(sorted(graph.get(name, ())))}"
                         f" (may use: {', '.join(sorted(allowed))})\n")
    sys.stdout.write(f"cycles: {cycles(graph)}\n")


if __name__ == "__main__":
    main()
