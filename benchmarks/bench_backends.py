"""Tasks per minute of `synth eval` on the process backend and on a local Ray cluster, on the
same tasks with the same budget and workers; the Ray overhead in %.

    python benchmarks/bench_backends.py --json benchmarks/results/backends.json

Runs the same evaluation (default: the first 12 tasks of
`benchmarks/samples/arc1-train-every5.txt`, `--time-limit 5`, `--workers 2`) once per backend
into fresh folders, timing each whole run as a user sees it: the process backend's warm-up
in the parent, and for Ray the local cluster's start (timed again on its own, `ray_start_s`)
and each worker's warm-up. Then the Ray run once more on a cluster already started and warmed
up (`ray-warm`: one task per worker first, untimed), which leaves Ray's per-task cost alone,
as in a long run (the process run still counts its parent's warm-up). Says whether the
backends gave the same statuses (in wall-clock mode a task near its limit on a busy machine
may not), and reports tasks per minute, mean task time, score_task, statuses and the
overhead of Ray over the process backend
(`ray_overhead_pct`: how much longer the Ray run took; `ray_warm_overhead_pct`: the same for
the warm run). Needs the `ray` extra.
"""
from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.common import parser, report, stamp, stamp_line  # noqa: E402  (first)

from synth.run.config import EvalConfig, SolveConfig  # noqa: E402
from synth.run.evaluate import run_eval  # noqa: E402
from synth.run.ray_backend import cluster  # noqa: E402

SAMPLE = Path(__file__).resolve().parent / "samples" / "arc1-train-every5.txt"
BACKENDS = ("process", "ray")


def timed_run(config: EvalConfig) -> dict[str, Any]:
    """One evaluation: wall seconds, tasks per minute, score and statuses."""
    started = time.monotonic()
    results = run_eval(config)
    wall = time.monotonic() - started
    tasks = results["tasks"].values()
    return {"wall_s": round(wall, 2), "tasks_per_min": round(60 * results["n_tasks"] / wall, 2),
            "score_task": results["score_task"],
            "task_time_s_mean": round(sum(t["time_s"] for t in tasks) / len(tasks), 3),
            "status": dict(Counter(t["status"] for t in tasks)),
            "statuses": {i: t["status"] for i, t in results["tasks"].items()}}


def warm_ray_run(config: EvalConfig) -> dict[str, Any]:
    """`timed_run` on a local cluster whose workers already ran (and warmed up on) one task
    each."""
    with cluster(None, config.workers):
        run_eval(replace(config, out_dir=config.out_dir.with_name("ray-warm-up"),
                         limit=config.workers))
        return timed_run(config)


def ray_start_s(workers: int) -> float:
    """Seconds to start and stop the local Ray cluster the backend starts."""
    started = time.monotonic()
    with cluster(None, workers):
        pass
    return round(time.monotonic() - started, 2)


def table(result: dict[str, Any]) -> str:
    """The printed summary."""
    rows = [f"{name:<9} {r['wall_s']:>8.1f} s {r['tasks_per_min']:>8.2f} tasks/min  "
            f"score_task {r['score_task']:.3f}  {r['status']}"
            for name, r in result["backends"].items()]
    return "\n".join([f"{result['n_tasks']} tasks of {result['dataset']}, --time-limit "
                      f"{result['time_limit']:g}, --workers {result['workers']}",
                      *rows,
                      f"ray overhead {result['ray_overhead_pct']:+.1f} % (cluster start "
                      f"{result['ray_start_s']:.1f} s), on a warm cluster "
                      f"{result['ray_warm_overhead_pct']:+.1f} %; same statuses: "
                      f"{result['same_statuses']}",
                      stamp_line(result)])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark."""
    args_parser = parser(__doc__, "tasks to run (default 12)")
    args_parser.add_argument("--dataset", default="arc1:train")
    args_parser.add_argument("--ids", default=str(SAMPLE), help="task ids, one per line")
    args_parser.add_argument("--time-limit", type=float, default=5.0)
    args_parser.add_argument("--workers", type=int, default=2)
    args_parser.add_argument("--solver", default="search")
    args = args_parser.parse_args(argv)
    limit = args.limit or 12
    runs: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-backends-") as tmp:
        for backend in BACKENDS:
            config = EvalConfig(dataset=args.dataset, ids_file=args.ids, limit=limit,
                                workers=args.workers, out_dir=Path(tmp) / backend,
                                backend=backend, progress=False,
                                solve=SolveConfig(solver=args.solver,
                                                  time_limit=args.time_limit))
            runs[backend] = timed_run(config)
        runs["ray-warm"] = warm_ray_run(replace(config, out_dir=Path(tmp) / "ray-warm"))
    statuses = {name: run.pop("statuses") for name, run in runs.items()}
    overhead = {name: round(100 * (runs[name]["wall_s"] / runs["process"]["wall_s"] - 1), 1)
                for name in ("ray", "ray-warm")}
    result = {"dataset": args.dataset, "ids": Path(args.ids).name, "n_tasks": limit,
              "time_limit": args.time_limit, "workers": args.workers, "solver": args.solver,
              "backends": runs, "ray_overhead_pct": overhead["ray"],
              "ray_warm_overhead_pct": overhead["ray-warm"],
              "ray_start_s": ray_start_s(args.workers),
              "same_statuses": statuses["process"] == statuses["ray"] == statuses["ray-warm"],
              **stamp()}
    report(result, table(result), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
