"""Closure census: which arc1 training tasks the native closure alone solves at a fixed work.

    python benchmarks/closure_census.py --applications 1000000 --json census.json
    python benchmarks/closure_census.py --compare before.json after.json

Per task (every arc1 training task, or the first `--limit`, or those of `--ids`) the closure
proposer's closure (`synth.proposers.closure.task_closure`: the task's `task_table`, train and
test inputs as roots, the last depth kept shaped like the outputs) is expanded to depth 3 for
at most `--applications` transform applications (each on every example; the proposer's
reproducible mode counts `NATIVE_CALLS_PER_EVALUATION` of them as one evaluation). A task is
solved when some match (exact, or after one consistent colour map, as the proposer finishes
it with `map_colors`), among the first `MAX_EXACT` exact and `MAX_MAPPED` mapped ones the
proposer would take, also gives every test output. Kernels equal their DSL templates
(property-tested), so the closure's own test values are the programs' outputs. The JSON holds
the solved ids, each with its program; `--compare` prints the tasks gained and lost between
two such files.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`
from benchmarks.common import selected_tasks, stamp  # noqa: E402  (first)

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from dsl.primitives.color import map_colors  # noqa: E402
from native.closure import EXACT, Closure  # noqa: E402
from synth.analysis.features import analyse  # noqa: E402
from synth.data.task import Task  # noqa: E402
from synth.proposers.closure import MAX_DEPTH, MAX_EXACT, MAX_MAPPED, task_closure  # noqa: E402
from synth.search.closure import Transform, path_expr  # noqa: E402
from synth.search.finishing import color_mapping  # noqa: E402
from synth.search.program import program_text  # noqa: E402

DATASET = "arc1:train"


def solving_program(task: Task, table: tuple[Transform, ...], closure: Closure,
                    matches: list[tuple[int, int]]) -> str | None:
    """The program of the first match whose test values are the task's test outputs."""
    n = len(task.train)
    challenge = task.challenge()
    for node, kind in matches:
        values = closure.grids(node)
        tests = values[n:]
        suffix = ""
        if kind != EXACT:
            changes = color_mapping(tuple(values[:n]), challenge)
            if changes is None:
                continue
            sources = sorted(changes)
            targets = [changes[s] for s in sources]
            tests = [map_colors(t, sources, targets) for t in tests]
            suffix = f"  # map_colors {sources} -> {targets}"
        if all(np.array_equal(t, ex.output) for t, ex in zip(tests, task.test)):
            return program_text(path_expr(table, closure.path(node))) + suffix
    return None


def census_task(task: Task, applications: int) -> dict[str, Any]:
    """Run the closure of one task and say whether a match solves it."""
    challenge = task.challenge()
    start = time.process_time()
    table, closure = task_closure(challenge, analyse(challenge))
    exact: list[tuple[int, int]] = []
    mapped: list[tuple[int, int]] = []
    for found in closure.run(MAX_DEPTH, applications, lambda: False):
        for node, kind in found:
            bucket, cap = (exact, MAX_EXACT) if kind == EXACT else (mapped, MAX_MAPPED)
            if len(bucket) < cap:
                bucket.append((node, kind))
    program = solving_program(task, table, closure, exact + mapped)
    return {"solved": program is not None, "program": program, "rows": len(table),
            "values": closure.n_nodes, "depth_completed": closure.depth_completed(),
            "exact": len(exact), "mapped": len(mapped),
            "cpu_s": round(time.process_time() - start, 3)}


def compare(before_path: str, after_path: str) -> None:
    """Print the tasks solved by one census and not the other."""
    before = json.loads(Path(before_path).read_text())["solved"]
    after = json.loads(Path(after_path).read_text())["solved"]
    print(f"before {len(before)}  after {len(after)}")
    for name, ids in (("gained", sorted(set(after) - set(before))),
                      ("lost", sorted(set(before) - set(after)))):
        print(f"{name} {len(ids)}: {' '.join(ids)}")


def main(argv: list[str] | None = None) -> int:
    """Run the census (or compare two) and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--ids", default=None, help="file of task ids (default: all)")
    parser.add_argument("--json", default=None)
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.compare:
        compare(*args.compare)
        return 0
    results: dict[str, dict[str, Any]] = {}
    for task_id, task in selected_tasks(DATASET, args.ids, args.offset, args.limit):
        results[task_id] = census_task(task, args.applications)
        if not args.quiet:
            r = results[task_id]
            print(f"{task_id} {'SOLVED' if r['solved'] else '-'} rows={r['rows']} "
                  f"depth={r['depth_completed']} cpu={r['cpu_s']}s {r['program'] or ''}",
                  file=sys.stderr, flush=True)
    solved = {k: v["program"] for k, v in results.items() if v["solved"]}
    summary = {"dataset": DATASET, "applications": args.applications, "tasks": len(results),
               "solved_count": len(solved), "solved": solved,
               "cpu_s": round(sum(r["cpu_s"] for r in results.values()), 1),
               "per_task": results, **stamp()}
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1))
    print(f"closure census: {len(solved)}/{len(results)} tasks solved at "
          f"{args.applications} applications, {summary['cpu_s']} CPU s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
