"""Time every golden program on all its pairs: reference interpreter vs compiled plan.

Programs are parsed and type-checked once, outside the timings. Each repeat runs every
program on every input of its task (train and test) with `dsl.interp.run_program` and with
its precompiled `Plan.run`; the figures are medians over repeats of the totals. Lowering
(compile) time is reported separately, as is the first compiled sweep, which loads the numba
kernels from their cache (or compiles them when it is cold). Results are checked identical.

    python benchmarks/bench_programs.py --json runs/bench_programs.json
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`
from benchmarks.common import parser, report, stamp, stamp_line  # noqa: E402  (first)

import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from dsl import ast  # noqa: E402
from dsl.compile import Plan, compile_program  # noqa: E402
from dsl.interp import run_program  # noqa: E402
from dsl.parser import parse_program  # noqa: E402
from dsl.typecheck import check_program  # noqa: E402
from dsl.values import value_key  # noqa: E402
from synth.data.datasets import load_dataset  # noqa: E402
from synth.data.golden import DATASET_OF_FOLDER, LIBRARY_ROOT, library_files  # noqa: E402


@dataclass
class Job:
    """One golden program with the inputs of its task."""

    name: str
    program: ast.Program
    inputs: list[np.ndarray]
    plan: Plan | None = None


def jobs(limit: int | None = None) -> list[Job]:
    """Every golden program of every library folder, parsed and type-checked."""
    out: list[Job] = []
    datasets: dict[str, dict] = {}
    for folder in sorted(LIBRARY_ROOT.iterdir()):
        if folder.name not in DATASET_OF_FOLDER:
            continue
        spec = DATASET_OF_FOLDER[folder.name]
        for path in library_files(folder):
            if spec not in datasets:
                datasets[spec] = load_dataset(spec).entries
            task = datasets[spec][path.stem]
            program = parse_program(path.read_text(encoding="utf-8"))
            check_program(program)
            out.append(Job(f"{folder.name}/{path.stem}", program,
                           [ex.input for ex in (*task.train, *task.test)]))
    return out[:limit]


def _interpret(all_jobs: Sequence[Job]) -> list[list[Any]]:
    return [run_program(job.program, job.inputs, typecheck=False) for job in all_jobs]


def _compiled(all_jobs: Sequence[Job]) -> list[list[Any]]:
    return [job.plan.run(job.inputs) for job in all_jobs]


def _timed(fn: Any, *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - start, value


def _key(value: Any) -> Any:
    return ("error", str(value)) if isinstance(value, Exception) else value_key(value)


def measure(repeats: int, limit: int | None) -> dict[str, Any]:
    """The benchmark figures as a JSON-ready dict."""
    all_jobs = jobs(limit)
    compile_s = 0.0
    compile_program(all_jobs[0].program)  # imports and first-use costs out of the timing
    for job in all_jobs:
        seconds, job.plan = _timed(lambda p: compile_program(p, typecheck=False), job.program)
        compile_s += seconds
    first_sweep_s, compiled = _timed(_compiled, all_jobs)
    interpreted = _interpret(all_jobs)
    mismatches = sum(any(_key(a) != _key(b) for a, b in zip(ref, got))
                     for ref, got in zip(interpreted, compiled))
    interp_runs, compiled_runs = [], []
    for _ in range(repeats):
        interp_runs.append(_timed(_interpret, all_jobs)[0])
        compiled_runs.append(_timed(_compiled, all_jobs)[0])
    per_program = {}
    for job in all_jobs:
        ref = min(_timed(_interpret, [job])[0] for _ in range(3))
        got = min(_timed(_compiled, [job])[0] for _ in range(3))
        per_program[job.name] = {"interpreted_s": ref, "compiled_s": got}
    interp_s, compiled_s = statistics.median(interp_runs), statistics.median(compiled_runs)
    typecheck_s = sum(_timed(check_program, job.program)[0] for job in all_jobs)
    return {
        "programs": len(all_jobs), "pairs": sum(len(job.inputs) for job in all_jobs),
        "repeats": repeats, "interpreted_s": interp_s, "compiled_s": compiled_s,
        "speedup": interp_s / compiled_s, "mismatches": mismatches,
        "compile_s": compile_s, "typecheck_s": typecheck_s,
        "end_to_end_speedup": (interp_s + typecheck_s) / (compiled_s + typecheck_s + compile_s),
        "numba_warmup_s": max(0.0, first_sweep_s - compiled_s),
        **stamp(), "per_program": per_program,
    }


def table(result: dict[str, Any], top: int = 15) -> str:
    """A readable table: the slowest programs, then the totals."""
    lines = [f"{'program':28} {'interpreted ms':>15} {'compiled ms':>12} {'speedup':>8}"]
    rows = sorted(result["per_program"].items(), key=lambda kv: -kv[1]["interpreted_s"])
    for name, row in rows[:top]:
        lines.append(f"{name:28} {row['interpreted_s'] * 1e3:15.2f} "
                     f"{row['compiled_s'] * 1e3:12.2f} "
                     f"{row['interpreted_s'] / row['compiled_s']:7.1f}x")
    lines.append(f"{'all ' + str(result['programs']) + ' programs':28} "
                 f"{result['interpreted_s'] * 1e3:15.1f} {result['compiled_s'] * 1e3:12.1f} "
                 f"{result['speedup']:7.1f}x   ({result['pairs']} pairs, median of "
                 f"{result['repeats']} repeats, {result['mismatches']} mismatches)")
    lines.append(f"lowering {result['compile_s'] * 1e3:.1f} ms, type checking "
                 f"{result['typecheck_s'] * 1e3:.1f} ms; end to end (check + interpret vs "
                 f"check + lower + run) {result['end_to_end_speedup']:.1f}x")
    lines.append(f"numba warm-up (first compiled sweep minus steady state): "
                 f"{result['numba_warmup_s']:.2f} s")
    lines.append(stamp_line(result))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser(__doc__, limit_help="use only the first N programs").parse_args(argv)
    result = measure(args.repeats, args.limit)
    report(result, table(result), args.json)
    return 1 if result["mismatches"] else 0


if __name__ == "__main__":
    sys.exit(main())
