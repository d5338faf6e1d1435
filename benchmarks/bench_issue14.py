"""Issue 14's speed measure: distinct values per CPU-second and depth completed in a fixed time,
per task, for several code trees (arms) in one run, interleaved task by task.

    python benchmarks/bench_issue14.py --seconds 10 \
        --arm before=/tmp/V-old:enumerate --arm after=/tmp/V-head:enumerate \
        --arm closure=/tmp/V-head:closure --json benchmarks/results/issue14-speed.json

An arm is `NAME=ROOT:KIND`: a worker process imports synth from ROOT (a frozen clone of a
commit, its kernels built) and runs KIND on each task: `enumerate` (the bottom-up
enumerator as `bench_enumerate.enumerator` builds it: the task's palette, uniform costs, the
default domains of its background) or `closure` (the native closure as `bench_closure`
builds it, depth `--depth`). Each runs `--seconds` of wall clock per task and reports its
distinct values (enumerator nodes, closure values) per CPU-second (`time.process_time`, so a
busy machine slows the rate less than the wall clock) and the depth completed (the enumerator's
last cost level built in full, the closure's last depth built in full). The driver hands each
task to every arm in turn before the next task, so changes of machine load fall on all arms
alike. Each worker first runs an untimed warm-up on the first task (numba kernels load or
compile there). The summary gives each arm's median and mean and, against the first arm, the
median of per-task ratios of distinct values per CPU-second.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`
from benchmarks.common import report, stamp, stamp_line  # noqa: E402  (first)

import ctypes  # noqa: E402
import ctypes.util  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from typing import IO, Any, NamedTuple  # noqa: E402

DATASET = "arc1:train"
IDS = "benchmarks/samples/arc1-train-every5.txt"
KINDS = ("enumerate", "closure")
FIGURES = ("values_per_cpu_s", "depth_completed", "values", "cpu_s")
WARM_UP_EVALUATIONS = 20_000
WARM_UP_APPLICATIONS = 1_000


class Arm(NamedTuple):
    """One measured tree: a name, the root synth is imported from, and what runs."""
    name: str
    root: Path
    kind: str


def parse_arm(text: str) -> Arm:
    """`NAME=ROOT:KIND` as an `Arm`."""
    name, _, rest = text.partition("=")
    root, _, kind = rest.rpartition(":")
    if not name or not root or kind not in KINDS:
        raise ValueError(f"arm {text!r}: expected NAME=ROOT:KIND with KIND in {KINDS}")
    return Arm(name, Path(root).resolve(), kind)


def enumerate_run(task: Any, seconds: float) -> dict[str, Any]:
    """The enumerator (the arm's `bench_enumerate.enumerator`) for `seconds` of wall clock:
    nodes, CPU time, levels done. Not the arm's `timed_run`, which older trees time by the
    wall clock only."""
    from benchmarks.bench_enumerate import enumerator, levels_done
    enum = enumerator(task)
    deadline = time.monotonic() + seconds
    stopped: list[bool] = []

    def expired(_: int) -> bool:
        if time.monotonic() > deadline:
            stopped.append(True)
        return bool(stopped)

    cpu_start = time.process_time()
    for _ in enum.run(expired):
        pass
    cpu = max(time.process_time() - cpu_start, 1e-9)
    level = levels_done(enum, bool(stopped))
    return {"values": enum.stats.nodes, "evaluations": enum.stats.evaluations,
            "cpu_s": round(cpu, 3), "values_per_cpu_s": round(enum.stats.nodes / cpu, 1),
            "evaluations_per_cpu_s": round(enum.stats.evaluations / cpu, 1),
            "depth_completed": level}


def closure_run(task: Any, seconds: float, depth: int) -> dict[str, Any]:
    """The native closure for `seconds` of wall clock (or until `depth` is done)."""
    from benchmarks.bench_closure import timed_run
    row = timed_run(task, seconds, depth)
    return {key: row[key] for key in ("values", "applications", "cpu_s", "values_per_cpu_s",
                                      "depth_completed", "match")}


def warm_up(kind: str, task: Any, depth: int) -> None:
    """Load (or compile) the numba kernels the arm reaches, untimed."""
    if kind == "closure":
        from benchmarks.bench_closure import counted_closure
        counted_closure(task, WARM_UP_APPLICATIONS, depth)
        return
    from benchmarks.bench_enumerate import counted_run
    counted_run(task, WARM_UP_EVALUATIONS)


def release_memory() -> None:
    """Collect garbage and hand the C heap's free pages back to the OS (glibc's
    `malloc_trim`, where there is one), so a worker's peaks do not stack from task to task
    (the older trees have no such helper of their own)."""
    gc.collect()
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        trim = None
    if trim is not None:
        trim(0)


def worker(kind: str, seconds: float, depth: int) -> int:
    """Answer task ids on stdin with one JSON line of figures each on stdout."""
    from synth.data.datasets import load_dataset
    entries = load_dataset(DATASET).entries
    warmed = False
    for line in sys.stdin:
        task = entries[line.strip()].challenge()
        if not warmed:
            warm_up(kind, task, depth)
            warmed = True
        row = enumerate_run(task, seconds) if kind == "enumerate" \
            else closure_run(task, seconds, depth)
        print(json.dumps(row), flush=True)
        release_memory()
    return 0


def start_worker(arm: Arm, seconds: float, depth: int) -> subprocess.Popen[str]:
    """A worker process importing synth from the arm's root (run from /tmp, so the editable
    install's tree is not found first)."""
    env = dict(os.environ, PYTHONPATH=str(arm.root))
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", arm.kind,
               "--seconds", str(seconds), "--depth", str(depth)]
    return subprocess.Popen(command, env=env, cwd="/tmp", text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def ask(process: subprocess.Popen[str], task_id: str) -> dict[str, Any]:
    """One task's figures from a worker."""
    stdin: IO[str] = process.stdin  # type: ignore[assignment]
    stdout: IO[str] = process.stdout  # type: ignore[assignment]
    stdin.write(task_id + "\n")
    stdin.flush()
    return json.loads(stdout.readline())


def summary(arms: list[Arm], rows: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """Each arm's median and mean of `FIGURES`, and its median per-task ratio of distinct
    values per CPU-second to the first arm's."""
    out: dict[str, Any] = {}
    base = arms[0].name
    for arm in arms:
        per_task = [task[arm.name] for task in rows.values()]
        figures = {key: {"median": round(statistics.median(r[key] for r in per_task), 1),
                         "mean": round(statistics.mean(r[key] for r in per_task), 1)}
                   for key in FIGURES}
        ratios = [task[arm.name]["values_per_cpu_s"] / max(task[base]["values_per_cpu_s"], 1e-9)
                  for task in rows.values()]
        figures["ratio_to_" + base] = {"median": round(statistics.median(ratios), 2),
                                       "mean": round(statistics.mean(ratios), 2)}
        out[arm.name] = figures
    return out


def table(result: dict[str, Any]) -> str:
    """Per-task distinct values per CPU-second and depth for each arm, then the summary."""
    names = [arm["name"] for arm in result["arms"]]
    lines = [f"{'task':<10} " + " ".join(f"{name + ' v/cpu-s':>22} {'d':>2}" for name in names)]
    for task_id, row in result["tasks"].items():
        lines.append(f"{task_id:<10} " + " ".join(
            f"{row[name]['values_per_cpu_s']:>22.0f} {row[name]['depth_completed']:>2}"
            for name in names))
    for name, figures in result["summary"].items():
        lines.append(f"{name}: " + ", ".join(f"{key} median {value['median']} mean "
                                              f"{value['mean']}" for key, value in figures.items()))
    lines.append(stamp_line(result))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the arms over the sample (or serve as one arm's worker) and print the table."""
    import argparse
    args_parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    args_parser.add_argument("--arm", action="append", default=[], help="NAME=ROOT:KIND")
    args_parser.add_argument("--ids", default=IDS)
    args_parser.add_argument("--limit", type=int)
    args_parser.add_argument("--seconds", type=float, default=10.0)
    args_parser.add_argument("--depth", type=int, default=3, help="closure depth (default 3)")
    args_parser.add_argument("--json", type=Path)
    args_parser.add_argument("--quiet", action="store_true")
    args_parser.add_argument("--worker", choices=KINDS, help=argparse.SUPPRESS)
    args = args_parser.parse_args(argv)
    if args.worker:
        return worker(args.worker, args.seconds, args.depth)
    arms = [parse_arm(text) for text in args.arm]
    ids = [line.strip() for line in Path(args.ids).read_text().splitlines()
           if line.strip() and not line.startswith("#")][:args.limit]
    processes = {arm.name: start_worker(arm, args.seconds, args.depth) for arm in arms}
    rows: dict[str, dict[str, dict[str, Any]]] = {}
    try:
        for task_id in ids:
            rows[task_id] = {arm.name: ask(processes[arm.name], task_id) for arm in arms}
            if not args.quiet:
                print(f"{task_id}: {json.dumps(rows[task_id])}", file=sys.stderr, flush=True)
    finally:
        for process in processes.values():
            if process.stdin:
                process.stdin.close()
            process.wait()
    result = {"dataset": DATASET, "ids": args.ids, "seconds": args.seconds,
              "closure_depth": args.depth, "n_tasks": len(rows),
              "arms": [{"name": arm.name, "root": str(arm.root), "kind": arm.kind}
                       for arm in arms],
              "summary": summary(arms, rows), "tasks": rows}
    result.update(stamp())
    report(result, table(result), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
