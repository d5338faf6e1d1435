"""The import contract: one direction, no cycles, heavy packages only where they are used.

Every `import` in `native/`, `dsl/` and `synth/` counts, including those inside functions. The
layers, lowest first: native, dsl, synth.data, then synth.analysis / synth.search /
synth.models / synth.learn, then synth.proposers, synth.select, synth.run, synth.cli. A module
may import its own layer or lower ones, never a higher one, and modules never import in a
circle.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("native", "grammars", "dsl", "synth")
LAYERS: tuple[tuple[str, ...], ...] = (
    ("native",), ("dsl", "grammars"), ("synth", "synth.data"),
    ("synth.analysis", "synth.search", "synth.models", "synth.learn"),
    ("synth.proposers",), ("synth.select",), ("synth.run",), ("synth.cli", "synth.__main__"),
)
HEAVY = ("torch", "transformers", "peft", "vllm", "ray", "openai", "anthropic", "google",
         "diskcache", "llguidance", "tokenizers")
HEAVY_ALLOWED = ("synth.models", "synth.learn", "synth.run.ray_backend")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


def imported_names(name: str, path: Path) -> Iterator[str]:
    """Every module name an import statement in the file mentions (relative ones resolved)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def resolve(target: str, known: dict[str, Path]) -> str | None:
    while target and target not in known:
        target = target.rpartition(".")[0]
    return target or None


def edges() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {m: set() for m in known}
    for name, path in known.items():
        for target in imported_names(name, path):
            found = resolve(target, known)
            if found and found != name and not name.startswith(found + "."):
                graph[name].add(found)
    return graph


def layer(name: str) -> int:
    best = -1, 0
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best[1]:
                best = index, len(prefix)
    return best[0]


def test_every_module_has_a_layer() -> None:
    assert [m for m in modules() if layer(m) < 0] == []


def test_imports_point_down_the_layers() -> None:
    wrong = sorted(f"{m} (layer {layer(m)}) imports {t} (layer {layer(t)})"
                   for m, targets in edges().items() for t in targets if layer(t) > layer(m))
    assert wrong == []


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.append(top)
                        if top == node:
                            break
                    if len(component) > 1:
                        cycles.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return cycles


def test_no_import_cycles() -> None:
    assert find_cycles(edges()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("package", HEAVY)
def test_heavy_packages_are_imported_only_in_the_model_layers(package: str) -> None:
    users = sorted(m for m, p in modules().items()
                   for t in imported_names(m, p) if t == package or t.startswith(package + ".")
                   if not m.startswith(HEAVY_ALLOWED))
    assert users == []
