"""Time every kernelized primitive: reference implementation vs fast path, on real grids.

The corpus is every input grid of arc1:train (train and test pairs). Arguments are drawn
once with a fixed seed per primitive: grids from the corpus, colours present in the grid,
cells of the grid as points, objects segmented from the grid, domain values for
parameters with a domain. Each repeat times one pass of the reference over every argument
tuple, then one pass of the fast path; the figures are medians over repeats. Numba kernels
are warmed up first (loaded from the on-disk cache, or compiled when it is cold); that
one-off cost is reported separately as `numba_warmup_s`, and `--cold` also measures a
compile from an empty cache in a subprocess.

    python benchmarks/bench_primitives.py --json runs/bench_primitives.json
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`
from benchmarks.common import parser, report, stamp, stamp_line  # noqa: E402  (first)

import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from dsl.errors import EvalError  # noqa: E402
from dsl.primitives.objects import objects  # noqa: E402
from dsl.registry import Param, Primitive, default_registry  # noqa: E402
from dsl.types import COLOR, GRID, INT, OBJECT, OBJECTS, POINT, TCon, TVar  # noqa: E402
from dsl.values import frozen  # noqa: E402
from synth.data.datasets import load_dataset  # noqa: E402

DATASET = "arc1:train"


def corpus(spec: str = DATASET) -> list[np.ndarray]:
    """Every input grid of a dataset, in task-id order."""
    tasks = load_dataset(spec).entries
    return [ex.input for tid in sorted(tasks) for ex in (*tasks[tid].train, *tasks[tid].test)]


def _argument(param: Param, grid: np.ndarray, grids: Sequence[np.ndarray],
              objs: tuple, rng: random.Random, previous: Sequence[Any]) -> Any:
    """One realistic argument for a parameter, given the grid it is about and the arguments
    drawn before it (a second point is usually on a line with the first)."""
    if param.domain:
        return rng.choice(param.domain)
    if param.type == GRID:
        return grid if rng.random() < 0.7 else rng.choice(grids)
    if isinstance(param.type, TVar):  # eq/neq and friends: grids, equal or not
        return rng.choice([grid, frozen(grid.copy()), rng.choice(grids)])
    if param.type == POINT and previous and isinstance(previous[-1], tuple) \
            and rng.random() < 0.75:
        (r, c), k = previous[-1], rng.randint(0, max(grid.shape))
        dr, dc = rng.choice([(0, 1), (1, 0), (1, 1), (1, -1), (0, -1), (-1, 0)])
        return (r + k * dr, c + k * dc)
    if param.type == COLOR:
        present = np.flatnonzero(np.bincount(grid.ravel(), minlength=10))
        return int(rng.choice(present)) if rng.random() < 0.8 else rng.randrange(10)
    if param.type == INT:
        return rng.randint(1, 4)
    if param.type == POINT:
        return (rng.randrange(grid.shape[0]), rng.randrange(grid.shape[1]))
    if param.type == OBJECT:
        return rng.choice(objs)
    if param.type == OBJECTS:
        return objs
    if param.type == TCon("Bool"):
        return rng.random() < 0.5
    raise ValueError(f"no argument generator for {param.type}")


def arguments(prim: Primitive, grids: Sequence[np.ndarray], seed: int = 0) -> list[tuple]:
    """Seeded argument tuples for a primitive, one per corpus grid with objects."""
    rng = random.Random(f"{seed}:{prim.name}")
    out = []
    for grid in grids:
        objs = objects.fn(grid, 8, True, int(np.argmax(np.bincount(grid.ravel()))))
        if objs:
            args: list[Any] = []
            for param in prim.params:
                args.append(_argument(param, grid, grids, objs, rng, args))
            out.append(tuple(args))
    return out


def _pass(fn: Callable[..., Any], calls: Sequence[tuple]) -> float:
    start = time.perf_counter()
    for args in calls:
        try:
            fn(*args)
        except EvalError:
            pass
    return time.perf_counter() - start


def warm_up(prims: Sequence[Primitive], calls: dict[str, list[tuple]]) -> float:
    """Call every fast path on its arguments once (numba cache load or compile)."""
    from dsl.kernels import fast_path
    start = time.perf_counter()
    for prim in prims:
        _pass(fast_path(prim), calls[prim.name][:50])
    return time.perf_counter() - start


def cold_compile_s() -> float:
    """Seconds to compile every kernel from an empty numba cache (in a subprocess)."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        code = ("import sys, time; sys.argv = ['x']; import benchmarks.bench_primitives as b; "
                "from dsl.registry import default_registry as r; "
                "ps = [p for p in r() if p.kernel]; g = b.corpus()[:40]; "
                "c = {p.name: b.arguments(p, g) for p in ps}; print(b.warm_up(ps, c))")
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    return float(out.stdout.strip().splitlines()[-1])


def measure(repeats: int, limit: int | None, cold: bool) -> dict[str, Any]:
    """The benchmark figures as a JSON-ready dict."""
    from dsl.kernels import fast_path
    grids = corpus()[:limit]
    prims = [p for p in default_registry() if p.kernel and fast_path(p)]
    calls = {p.name: arguments(p, grids) for p in prims}
    warmup = warm_up(prims, calls)
    rows = {}
    for prim in prims:
        ref, fast = [], []
        for _ in range(repeats):
            ref.append(_pass(prim.fn, calls[prim.name]))
            fast.append(_pass(fast_path(prim), calls[prim.name]))
        ref_s, fast_s = statistics.median(ref), statistics.median(fast)
        rows[prim.name] = {"kernel": prim.kernel, "calls": len(calls[prim.name]),
                           "reference_s": ref_s, "kernel_s": fast_s, "speedup": ref_s / fast_s}
    result: dict[str, Any] = {
        "dataset": DATASET, "grids": len(grids), "repeats": repeats, "primitives": rows,
        "median_speedup": statistics.median(r["speedup"] for r in rows.values()),
        **stamp(), "numba_warmup_s": warmup,
    }
    if cold:
        result["numba_cold_compile_s"] = cold_compile_s()
    return result


def table(result: dict[str, Any]) -> str:
    """A readable table of the figures."""
    lines = [f"{'primitive':22} {'kernel':24} {'calls':>6} {'reference ms':>13} "
             f"{'kernel ms':>10} {'speedup':>8}"]
    for name, row in sorted(result["primitives"].items(), key=lambda kv: -kv[1]["speedup"]):
        lines.append(f"{name:22} {row['kernel']:24} {row['calls']:6d} "
                     f"{row['reference_s'] * 1e3:13.2f} {row['kernel_s'] * 1e3:10.2f} "
                     f"{row['speedup']:7.1f}x")
    lines.append(f"median speedup {result['median_speedup']:.1f}x over {len(result['primitives'])}"
                 f" primitives; {result['grids']} grids of {result['dataset']}, median of "
                 f"{result['repeats']} repeats")
    lines.append(f"numba warm-up (first calls, from cache or compiling): "
                 f"{result['numba_warmup_s']:.2f} s")
    if "numba_cold_compile_s" in result:
        lines.append(f"numba cold compile (empty cache): {result['numba_cold_compile_s']:.1f} s")
    lines.append(stamp_line(result))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    options = parser(__doc__, limit_help="use only the first N grids of the corpus")
    options.add_argument("--cold", action="store_true",
                         help="also time a numba compile from an empty cache")
    args = options.parse_args(argv)
    result = measure(args.repeats, args.limit, args.cold)
    report(result, table(result), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
