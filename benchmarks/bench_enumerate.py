"""Enumerator throughput: distinct values and evaluations per second on sample tasks.

    python benchmarks/bench_enumerate.py --limit 20 --seconds 5 --evaluations 20000 \
        --json benchmarks/results/enumerate.json

Per task (the task's palette, uniform costs, `task_default_domains` of its background, the
default `EnumConfig`), the bottom-up enumerator runs for `--seconds` of wall clock and reports
the distinct values (nodes) and evaluations per second and the last cost level it built in
full. The summary is the median and mean over tasks. Wall-clock rates move with the load of a
shared machine, so `--evaluations N` adds a fixed-work pass: each task stops after N
evaluations, and its CPU time (`time.process_time`) gives evaluations per CPU-second. The
work is the same before and after a speed-up, and a digest of every node's expression and
type, in order, checks that the enumeration did not change (nodes are distinct values, so
the same expressions mean the same deduplication). An untimed pass over the first task
(WARM_UP evaluations) first loads the numba kernels, so that their one-off loading is not
charged to whichever task calls them first.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`
from benchmarks.common import parser, report, stamp, stamp_line  # noqa: E402  (first)

import argparse  # noqa: E402
import hashlib  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from typing import Any  # noqa: E402

from synth.analysis.features import analyse  # noqa: E402
from synth.data.datasets import load_dataset, read_id_list  # noqa: E402
from synth.data.task import Challenge  # noqa: E402
from synth.search.enumerate import Enumerator  # noqa: E402
from synth.search.options import task_default_domains  # noqa: E402

DATASET = "arc1:train"
IDS = "benchmarks/samples/arc1-train-every5.txt"
RATES = ("nodes_per_s", "evaluations_per_s", "levels_done")
WORK_RATES = ("evaluations_per_cpu_s", "nodes_per_cpu_s")
WARM_UP = 20_000   # evaluations of the first task, untimed, before the timed passes


def enumerator(task: Challenge) -> Enumerator:
    """The enumerator the enumerative proposer builds for a task, with uniform costs."""
    analysis = analyse(task)
    return Enumerator(list(task.inputs), sorted(analysis.palette),
                      default_domains=task_default_domains(analysis.background))


def levels_done(enum: Enumerator, stopped_early: bool) -> int:
    """The last cost level built in full: the level reached, less one if the run stopped in
    the middle of it."""
    return enum.stats.level_reached - 1 if stopped_early else enum.stats.level_reached


def timed_run(task: Challenge, seconds: float) -> dict[str, Any]:
    """Enumerate for `seconds` of wall clock; nodes, evaluations, rates and levels done."""
    enum = enumerator(task)
    deadline = time.monotonic() + seconds
    stopped: list[bool] = []

    def expired(_: int) -> bool:
        if time.monotonic() > deadline:
            stopped.append(True)
        return bool(stopped)

    for _ in enum.run(expired):
        pass
    stats = enum.stats
    wall = max(stats.seconds, 1e-9)
    return {"nodes": stats.nodes, "evaluations": stats.evaluations, "seconds": round(wall, 3),
            "nodes_per_s": round(stats.nodes / wall, 1),
            "evaluations_per_s": round(stats.evaluations / wall, 1),
            "levels_done": levels_done(enum, bool(stopped))}


def counted_run(task: Challenge, evaluations: int) -> dict[str, Any]:
    """Enumerate until `evaluations`; CPU time, rates and a digest of the nodes built."""
    enum = enumerator(task)
    digest = hashlib.sha256()
    start = time.process_time()
    for node in enum.run(lambda done: done >= evaluations):
        digest.update(repr((node.expr, node.type)).encode())
    cpu = max(time.process_time() - start, 1e-9)
    stats = enum.stats
    return {"nodes": stats.nodes, "evaluations": stats.evaluations, "cpu_s": round(cpu, 3),
            "evaluations_per_cpu_s": round(stats.evaluations / cpu, 1),
            "nodes_per_cpu_s": round(stats.nodes / cpu, 1),
            "digest": digest.hexdigest()[:16]}


def summary(rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> dict[str, dict[str, float]]:
    """Median and mean over tasks of each figure in `keys`."""
    return {key: {"median": round(statistics.median(r[key] for r in rows), 1),
                  "mean": round(statistics.mean(r[key] for r in rows), 1)} for key in keys}


def table(result: dict[str, Any]) -> str:
    """The per-task figures and the summary as text."""
    lines = [f"{'task':<10} {'nodes/s':>9} {'evals/s':>9} {'level':>5}"
             + (f" {'evals/cpu-s':>12} {'digest':>17}" if result["evaluations"] else "")]
    for task_id, row in result["tasks"].items():
        line = f"{task_id:<10} {row['nodes_per_s']:>9.0f} {row['evaluations_per_s']:>9.0f} " \
               f"{row['levels_done']:>5}"
        if "work" in row:
            line += f" {row['work']['evaluations_per_cpu_s']:>12.0f} {row['work']['digest']:>17}"
        lines.append(line)
    for name in ("median", "mean"):
        figures = [f"{key} {result['summary'][key][name]}" for key in result["summary"]]
        lines.append(f"{name}: " + ", ".join(figures))
    lines.append(stamp_line(result))
    return "\n".join(lines)


def bench(tasks: dict[str, Challenge], seconds: float, evaluations: int,
          progress: Callable[[str], None]) -> dict[str, Any]:
    """Both passes over the tasks, per-task figures and their summary."""
    rows: dict[str, dict[str, Any]] = {}
    for task in list(tasks.values())[:1]:  # load (or compile) the numba kernels it reaches
        counted_run(task, WARM_UP)
    for task_id, task in tasks.items():
        rows[task_id] = timed_run(task, seconds)
        if evaluations:
            rows[task_id]["work"] = counted_run(task, evaluations)
        progress(f"{task_id}: {rows[task_id]}")
    figures = summary(list(rows.values()), RATES)
    if evaluations:
        figures |= summary([r["work"] for r in rows.values()], WORK_RATES)
    return {"dataset": DATASET, "seconds": seconds, "evaluations": evaluations,
            "n_tasks": len(rows), "summary": figures, "tasks": rows}


def sample_parser(doc: str) -> argparse.ArgumentParser:
    """The flags of a per-task throughput benchmark: --ids, --limit, --seconds, --quiet,
    --json."""
    args_parser = parser(doc, "tasks to run (default: every task in --ids)")
    args_parser.add_argument("--ids", default=IDS)
    args_parser.add_argument("--seconds", type=float, default=10.0,
                             help="wall-clock seconds per task (default 10)")
    args_parser.add_argument("--quiet", action="store_true")
    return args_parser


def sample_tasks(args: argparse.Namespace) -> dict[str, Challenge]:
    """The challenges of the sample the flags name, by id."""
    entries = load_dataset(DATASET).entries
    return {task_id: entries[task_id].challenge()
            for task_id in read_id_list(args.ids)[:args.limit]}


def progress_printer(quiet: bool) -> Callable[[str], None]:
    """Where per-task lines go: stderr, or nowhere with --quiet."""
    return (lambda _: None) if quiet else (lambda line: print(line, file=sys.stderr))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    args_parser = sample_parser(__doc__ or "")
    args_parser.add_argument("--evaluations", type=int, default=0,
                             help="also a fixed-work pass of this many evaluations per task")
    args = args_parser.parse_args(argv)
    result = bench(sample_tasks(args), args.seconds, args.evaluations,
                   progress_printer(args.quiet))
    result.update(stamp())
    report(result, table(result), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
