"""Reach of the closure on the colour view: training tasks it makes right, at a fixed work.

    python benchmarks/closure_views_reach.py --work 2600 --json reach.json
    python benchmarks/closure_views_reach.py --work 2600 --view-share 0.3 --ids ids.txt
    python benchmarks/closure_views_reach.py --work 9000 --dataset arc2:train --ids IDS

Per task (every task of `--dataset`, a training set: `arc1:train` by default, or `arc2:train`
with `--ids benchmarks/samples/arc2-train-new.txt`; or the first `--limit`, or those of `--ids`)
the closure proposer (`synth.proposers.closure.ClosureProposer`: closure, colour map, target
sizes, pieces) runs twice under a reproducible budget of `--work` evaluations: on the plain task
alone (`views=()`, the arm before), and as it runs in the search, the plain task first and then,
when it differs, the colour-normalised view with `--view-share` of the budget (the arm after).
The default work, 2600 evaluations, is about what the closure stage gets in a library-off search
at `--work-limit 60000`. A task is *right* when some candidate the proposer yields gives every
test output, *wrong* when it yields candidates (all right on the train pairs) and none does. The
summary counts each arm's right and wrong tasks, the tasks the view makes right (gained), right
before and not after (lost), and wrong after that were not wrong before (newly wrong); the JSON
holds every task's figures and the programs of the gained.
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

from synth.analysis.features import analyse  # noqa: E402
from synth.data.task import Task  # noqa: E402
from synth.proposers.base import Budget, Pool, ProgramCandidate  # noqa: E402
from synth.proposers.closure import VIEW_SHARE, ClosureProposer  # noqa: E402
from synth.search.normalise import COLOR_VIEW  # noqa: E402

DATASET = "arc1:train"
TRAINING_SETS = ("arc1:train", "arc2:train")  # development data only: never an evaluation set
SAFETY_S = 600.0   # the wall-clock net of each run; the work limit decides where it stops


def run_arm(task: Task, proposer: ClosureProposer, work: int) -> dict[str, Any]:
    """One proposer's candidates on `task` under `work` evaluations: right, wrong, first
    right program, the work spent and the CPU seconds."""
    challenge = task.challenge()
    budget = Budget.from_seconds(SAFETY_S, work)
    start = time.process_time()
    candidates = [c for c in proposer.propose(challenge, analyse(challenge), budget, Pool())
                  if isinstance(c, ProgramCandidate)]
    right = [c for c in candidates
             if all(o is not None and np.array_equal(o, ex.output)
                    for o, ex in zip(c.test_outputs, task.test))]
    return {"right": bool(right), "wrong": bool(candidates) and not right,
            "candidates": len(candidates), "from_view": sum(c.origin == COLOR_VIEW
                                                            for c in candidates),
            "program": right[0].program if right else None, "spent": budget.meter.spent,
            "cpu_s": round(time.process_time() - start, 3)}


def reach_task(task: Task, work: int, view_share: float) -> dict[str, Any]:
    """Both arms on one task."""
    before = run_arm(task, ClosureProposer(views=()), work)
    after = run_arm(task, ClosureProposer(views=(COLOR_VIEW,), view_share=view_share), work)
    return {"before": before, "after": after}


def summary(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Counts of each arm and the tasks gained, lost and newly wrong."""
    def ids(arm: str, key: str) -> set[str]:
        return {k for k, v in results.items() if v[arm][key]}

    right_before, right_after = ids("before", "right"), ids("after", "right")
    wrong_before, wrong_after = ids("before", "wrong"), ids("after", "wrong")
    return {"right_before": len(right_before), "right_after": len(right_after),
            "wrong_before": len(wrong_before), "wrong_after": len(wrong_after),
            "gained": sorted(right_after - right_before),
            "lost": sorted(right_before - right_after),
            "newly_wrong": sorted(wrong_after - wrong_before),
            "gained_programs": {k: results[k]["after"]["program"]
                                for k in sorted(right_after - right_before)}}


def main(argv: list[str] | None = None) -> int:
    """Run both arms over the tasks and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=int, default=2600)
    parser.add_argument("--dataset", default=DATASET, choices=TRAINING_SETS)
    parser.add_argument("--view-share", type=float, default=VIEW_SHARE)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--ids", default=None, help="file of task ids (default: all)")
    parser.add_argument("--json", default=None)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    results: dict[str, dict[str, Any]] = {}
    for task_id, task in selected_tasks(args.dataset, args.ids, args.offset, args.limit):
        results[task_id] = reach_task(task, args.work, args.view_share)
        if not args.quiet:
            b, a = results[task_id]["before"], results[task_id]["after"]
            marks = "".join("R" if r["right"] else "W" if r["wrong"] else "-" for r in (b, a))
            print(f"{task_id} {marks} view={a['from_view']} cpu={b['cpu_s']}+{a['cpu_s']}s",
                  file=sys.stderr, flush=True)
    counts = summary(results)
    report = {"dataset": args.dataset, "work": args.work, "view_share": args.view_share,
              "tasks": len(results), **counts, "per_task": results, **stamp()}
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    print(f"closure on the colour view, work {args.work}, view share {args.view_share}: "
          f"right {counts['right_before']} -> {counts['right_after']}, wrong "
          f"{counts['wrong_before']} -> {counts['wrong_after']} over {len(results)} tasks")
    for key in ("gained", "lost", "newly_wrong"):
        print(f"{key} {len(counts[key])}: {' '.join(counts[key])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
