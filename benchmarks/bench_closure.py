"""Native closure throughput: distinct values per second and depth completed on sample tasks.

    python benchmarks/bench_closure.py --limit 20 --seconds 10 --applications 200000 \
        --compare 20000 --json benchmarks/results/closure.json

Per task (the closure proposer's table and roots, `synth.proposers.closure.task_closure`: the
task's `task_table`, the train and test inputs as roots), `native.closure` expands the
closure breadth-first to `--depth` for at most `--seconds` of wall clock and reports the
distinct values and transform applications per second, the depth completed and whether a
value matched every train output (exact, or after one colour map). `--applications N` adds
a fixed-work pass (N applications, CPU time), and `--compare N` runs the enumerator's own
fixed-work pass (`bench_enumerate.counted_run`, N evaluations) on the same task, so the
ratio of native applications to enumerator evaluations per CPU-second can be read off: the
closure proposer's `NATIVE_CALLS_PER_EVALUATION`. The fixed-work pass also records a digest
of the values it found (hash, parent and transform of each, in order), so a faster closure can
be checked to enumerate exactly what a slower one did, and both passes count the values
shaped like the train outputs (`shaped`: those a match or a piece can use).
`--shaped-last-depth` builds the closures with `Closure.shaped_last_depth` (the last depth
keeps only such values), so the two ways can be compared on the same work: equal `shaped`
counts, fewer values. An untimed run on the first task first loads (or compiles) the numba
kernels.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`
from benchmarks.common import report, stamp, stamp_line  # noqa: E402  (first)

import hashlib  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from benchmarks.bench_enumerate import (DATASET, counted_run, progress_printer,  # noqa: E402
                                        sample_parser, sample_tasks, summary)
from native.closure import EXACT, Closure  # noqa: E402
from synth.analysis.features import analyse  # noqa: E402
from synth.data.task import Challenge  # noqa: E402
from synth.proposers.closure import task_closure  # noqa: E402

RATES = ("values_per_s", "values_per_cpu_s", "applications_per_s", "depth_completed",
         "shaped_per_cpu_s")
WORK_RATES = ("applications_per_cpu_s", "values_per_cpu_s", "shaped_per_cpu_s")


def closure_for(task: Challenge, shaped_last_depth: bool = False) -> Closure:
    """The closure proposer's closure of a task (`task_closure`: its table and roots), its
    last depth kept whole unless `shaped_last_depth` (the proposer's setting)."""
    return task_closure(task, analyse(task), shaped_last_depth)[1]


def shaped_values(closure: Closure, task: Challenge) -> int:
    """The closure's values shaped like the task's train outputs on every train example."""
    n = closure.n_nodes
    shaped = np.ones(n, dtype=bool)
    for e, example in enumerate(task.train):
        shaped &= (closure.heights[:n, e] == example.output.shape[0]) & \
                  (closure.widths[:n, e] == example.output.shape[1])
    return int(shaped.sum())


def timed_run(task: Challenge, seconds: float, depth: int, shaped_last_depth: bool = False
              ) -> dict[str, Any]:
    """Expand for `seconds` of wall clock (or until `depth` is done)."""
    closure = closure_for(task, shaped_last_depth)
    start, cpu_start = time.monotonic(), time.process_time()
    deadline = start + seconds
    kinds: set[int] = set()
    for found in closure.run(depth, 2 ** 62, lambda: time.monotonic() > deadline):
        kinds.update(kind for _, kind in found)
    wall = max(time.monotonic() - start, 1e-9)
    cpu = max(time.process_time() - cpu_start, 1e-9)
    shaped = shaped_values(closure, task)
    return {"values": closure.n_nodes, "applications": closure.calls, "seconds": round(wall, 3),
            "cpu_s": round(cpu, 3), "values_per_s": round(closure.n_nodes / wall, 1),
            "values_per_cpu_s": round(closure.n_nodes / cpu, 1), "shaped": shaped,
            "shaped_per_cpu_s": round(shaped / cpu, 1),
            "applications_per_s": round(closure.calls / wall, 1),
            "depth_completed": closure.depth_completed(),
            "match": "exact" if EXACT in kinds else ("mapped" if kinds else "")}


def counted_closure(task: Challenge, applications: int, depth: int,
                    shaped_last_depth: bool = False) -> dict[str, Any]:
    """Expand until `applications` transform applications; CPU time and rates."""
    closure = closure_for(task, shaped_last_depth)
    start = time.process_time()
    for _ in closure.run(depth, applications, lambda: False):
        pass
    cpu = max(time.process_time() - start, 1e-9)
    shaped = shaped_values(closure, task)
    return {"values": closure.n_nodes, "applications": closure.calls, "cpu_s": round(cpu, 3),
            "applications_per_cpu_s": round(closure.calls / cpu, 1),
            "values_per_cpu_s": round(closure.n_nodes / cpu, 1), "shaped": shaped,
            "shaped_per_cpu_s": round(shaped / cpu, 1), "digest": digest(closure)}


def digest(closure: Closure) -> str:
    """A short digest of what a closure enumerated: every value's hash, parent and transform
    in discovery order (equal digests: the same values found the same way)."""
    n = closure.n_nodes
    parts = (closure.hashes[:n], closure.parents[:n], closure.via[:n])
    return hashlib.blake2b(b"".join(p.tobytes() for p in parts), digest_size=8).hexdigest()


def table(result: dict[str, Any]) -> str:
    """The per-task figures and the summary as text."""
    lines = [f"{'task':<10} {'values':>9} {'values/s':>10} {'val/cpu-s':>10} {'apps/s':>10} "
             f"{'depth':>5} {'match':>6} {'apps/cpu-s':>11} {'ratio':>7}"]
    for task_id, row in result["tasks"].items():
        work = row.get("work", {})
        ratio = row.get("ratio")
        lines.append(f"{task_id:<10} {row['values']:>9} {row['values_per_s']:>10.0f} "
                     f"{row['values_per_cpu_s']:>10.0f} {row['applications_per_s']:>10.0f} "
                     f"{row['depth_completed']:>5} {row['match']:>6} "
                     f"{work.get('applications_per_cpu_s', 0):>11.0f} "
                     f"{ratio if ratio is not None else '-':>7}")
    for name in ("median", "mean"):
        figures = [f"{key} {result['summary'][key][name]}" for key in result["summary"]]
        lines.append(f"{name}: " + ", ".join(figures))
    lines.append(f"tasks with a match: exact {result['exact']}, colour-mapped {result['mapped']}"
                 f" (of {result['n_tasks']})")
    lines.append(stamp_line(result))
    return "\n".join(lines)


def bench(tasks: dict[str, Challenge], seconds: float, depth: int, applications: int,
          compare: int, progress: Callable[[str], None], shaped_last_depth: bool = False
          ) -> dict[str, Any]:
    """The passes over the tasks, per-task figures and their summary."""
    for task in list(tasks.values())[:1]:  # load (or compile) the numba kernels
        counted_closure(task, 1000, depth, shaped_last_depth)
    rows: dict[str, dict[str, Any]] = {}
    for task_id, task in tasks.items():
        row = timed_run(task, seconds, depth, shaped_last_depth)
        if applications:
            row["work"] = counted_closure(task, applications, depth, shaped_last_depth)
        if compare:
            row["enumerator"] = counted_run(task, compare)
            if applications:
                row["ratio"] = round(row["work"]["applications_per_cpu_s"]
                                     / row["enumerator"]["evaluations_per_cpu_s"], 1)
        rows[task_id] = row
        progress(f"{task_id}: {row}")
    figures = summary(list(rows.values()), RATES)
    if applications:
        figures |= summary([r["work"] for r in rows.values()], WORK_RATES)
    if applications and compare:
        figures |= summary(list(rows.values()), ("ratio",))
    if compare:
        figures |= summary([r["enumerator"] for r in rows.values()], ("evaluations_per_cpu_s",))
    return {"dataset": DATASET, "seconds": seconds, "depth": depth,
            "applications": applications, "compare": compare,
            "shaped_last_depth": shaped_last_depth, "n_tasks": len(rows),
            "exact": sum(r["match"] == "exact" for r in rows.values()),
            "mapped": sum(r["match"] == "mapped" for r in rows.values()),
            "summary": figures, "tasks": rows}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    args_parser = sample_parser(__doc__ or "")
    args_parser.add_argument("--depth", type=int, default=3,
                             help="closure depth (default 3, the proposer's)")
    args_parser.add_argument("--applications", type=int, default=0,
                             help="also a fixed-work pass of this many applications per task")
    args_parser.add_argument("--compare", type=int, default=0,
                             help="also the enumerator's fixed-work pass (evaluations)")
    args_parser.add_argument("--shaped-last-depth", action="store_true",
                             help="keep only values shaped like the outputs at the last depth")
    args = args_parser.parse_args(argv)
    result = bench(sample_tasks(args), args.seconds, args.depth, args.applications,
                   args.compare, progress_printer(args.quiet), args.shaped_last_depth)
    result.update(stamp())
    report(result, table(result), args.json)
    return 0

if __name__ == "__main__":
    sys.exit(main())
