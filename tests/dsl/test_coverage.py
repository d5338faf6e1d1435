"""Meta-tests over the whole registry: every primitive has a property test, a doc line, an
example and a well-formed signature; totality and result types on random grids."""
from __future__ import annotations

import importlib
import pkgutil
import random

import numpy as np
import pytest

import tests.dsl as test_package
from dsl.errors import EvalError
from dsl.registry import FAMILIES, Primitive, default_registry
from dsl.typeof import value_has_type
from dsl.types import BOOL, COLOR, GRID, INT

MIN_PRIMITIVES = 100


def _covered_names() -> set[str]:
    names: set[str] = set()
    for info in pkgutil.iter_modules(test_package.__path__):
        if not info.name.startswith("test_prims_"):
            continue
        module = importlib.import_module(f"tests.dsl.{info.name}")
        for value in vars(module).values():
            names.update(getattr(value, "__covers__", ()))
            inner = getattr(getattr(value, "hypothesis", None), "inner_test", None)
            names.update(getattr(inner, "__covers__", ()))
    return names


def test_registry_size_and_families() -> None:
    registry = default_registry()
    assert len(registry) >= MIN_PRIMITIVES
    assert {p.family for p in registry} <= set(FAMILIES)


def test_every_primitive_has_a_property_test() -> None:
    missing = sorted(set(default_registry().names()) - _covered_names())
    assert not missing, f"primitives without a @covers property test: {missing}"


@pytest.mark.parametrize("prim", list(default_registry()), ids=lambda p: p.name)
def test_primitive_is_documented(prim: Primitive) -> None:
    assert prim.doc and len(prim.doc) <= 120, "one-line doc required"
    assert prim.example, "example required"
    assert prim.cost >= 1


SCALARS = {COLOR, INT, BOOL}


def _random_args(prim: Primitive, grid: np.ndarray, rng: random.Random) -> list | None:
    args = []
    for param in prim.params:
        if param.domain:
            args.append(rng.choice(param.domain))
        elif param.type == GRID:
            args.append(grid)
        elif param.type == COLOR:
            args.append(rng.randrange(10))
        elif param.type == INT:
            args.append(rng.randint(-1, 5))
        elif param.type == BOOL:
            args.append(rng.random() < 0.5)
        else:
            return None
    return args


def _grid(rng: random.Random) -> np.ndarray:
    h, w = rng.randint(1, 12), rng.randint(1, 12)
    palette = rng.sample(range(10), rng.randint(1, 4))
    cells = np.array([[rng.choice(palette) if rng.random() < 0.5 else 0 for _ in range(w)]
                      for _ in range(h)], dtype=np.uint8)
    cells.setflags(write=False)
    return cells


GRID_PRIMS = [p for p in default_registry()
              if all(q.type in SCALARS | {GRID} or q.domain for q in p.params)]


@pytest.mark.parametrize("prim", GRID_PRIMS, ids=lambda p: p.name)
def test_total_and_well_typed_on_random_grids(prim: Primitive) -> None:
    rng = random.Random(prim.name)
    for _ in range(40):
        grid = _grid(rng)
        args = _random_args(prim, grid, rng)
        assert args is not None
        before = grid.copy()
        try:
            result = prim(*args)
        except EvalError:
            continue
        assert value_has_type(result, prim.returns), f"{prim.name}{tuple(args)!r} -> {result!r}"
        assert np.array_equal(grid, before), "inputs must not be modified"
