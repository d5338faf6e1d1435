"""Census of the closure's seeds for the enumerator (`synth.proposers.closure_seeds`), per task:
the closure's distinct values, the seeds kept, how many of them the unseeded enumerator does
not build within `--evaluations`, their outermost calls, and the closure's work.

    python benchmarks/closure_seeds_census.py --ids benchmarks/samples/arc1-train-tune40.txt \
        --depth 1 --evaluations 35000 --json benchmarks/results/closure-seeds-census-tune40.json

Measured (2026-12-01, a shared 2-core machine; the enumerator with uniform costs): on the 40-task
tuning sample the depth-1 closure has a median of 127 distinct values per task for about 4.5
evaluations of work; 5,406 seeds in all, of which 788 (median 22 a task) are values the
unseeded enumerator does not build within 35,000 evaluations (levels 1-2), most of them
`outline` (196), `object_rays` (155), `canvas` (133), `fill_mask` (110), `cover` (107) and
`obj_grid` object picks (45); it builds the others within those levels.

A/B of the seeded enumerative stage (`synth eval arc1:train --work-limit 60000 --time-limit 300
--workers 1`, default plan, frozen clones of 4648a83 with and without seeding): tune40 19.5 /
19.5 with depth-1 seeds at cost 1 (none gained, none lost; the stage reaches one cost level
less and loses its own solve of one task, which a later stage still solves) and 19.5 / 19.5
at cost 2; the 30 unsolved icecuber-only training tasks 1.0 / 1.0 at cost 1 and at cost 2.
With depth 2 as well (`SeedConfig(depth=2, extra_cost=1)`: depth-1 values at cost 2, the 32
depth-2 values shaped like the outputs with most cells right at cost 3) the icecuber-only
tasks score 2.0 / 1.0: 6cdd2623 gained, none lost, through an unverified partial (a depth-2
seed, `connect_same` of the least common colour group, 0.98 of the train cells right) that is
right on the test, not through a verified program; tune40 19.5 / 19.5 (none gained, none
lost; the enumerative stage itself verifies a program on 15 tasks against 14: 31aa019c, which
a later stage solves without it). Seeding is off by default
(`EnumerativeProposer.seeds`).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`
from benchmarks.common import report, stamp  # noqa: E402  (first)

import argparse  # noqa: E402
import collections  # noqa: E402
import json  # noqa: E402

from dsl import ast  # noqa: E402
from synth.analysis.features import analyse  # noqa: E402
from synth.data.datasets import load_task_ref  # noqa: E402
from synth.proposers.base import Budget  # noqa: E402
from synth.proposers.closure_seeds import SeedConfig, closure_seeds  # noqa: E402
from synth.search.enumerate import Bank, Enumerator  # noqa: E402
from synth.search.options import task_default_domains, task_hints  # noqa: E402


def census(task_id: str, depth: int, evaluations: int) -> dict:
    """One task's seeds and how many of them the unseeded enumerator does not reach."""
    task = load_task_ref(f"arc1:train:{task_id}").challenge()
    analysis = analyse(task)
    seeds = closure_seeds(task, analysis, SeedConfig(depth=depth), Budget.from_seconds(300))
    enum = Enumerator(list(task.inputs), sorted(analysis.palette),
                      default_domains=task_default_domains(analysis.background),
                      hints=task_hints([(ex.input, ex.output) for ex in task.train],
                                       task.test_inputs, analysis.plausible_shapes))
    for _ in enum.run(lambda done: done >= evaluations):
        pass
    new = [s for s in seeds.nodes if Bank.key(s.type, s.values) not in enum.bank.seen]
    return {"task": task_id, "closure_values": seeds.values, "seeds": len(seeds.nodes),
            "new": len(new), "closure_evaluations": seeds.evaluations,
            "enumerator_level": enum.stats.level_reached, "enumerator_nodes": enum.stats.nodes,
            "new_calls": dict(collections.Counter(
                s.expr.func if isinstance(s.expr, ast.Call) else "?" for s in new))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", default="benchmarks/samples/arc1-train-tune40.txt")
    parser.add_argument("--depth", type=int, default=1)
    parser.add_argument("--evaluations", type=int, default=35_000)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    ids = [line.strip() for line in Path(args.ids).read_text().splitlines()
           if line.strip() and not line.startswith("#")]
    rows = [census(task_id, args.depth, args.evaluations) for task_id in ids]
    calls: collections.Counter = collections.Counter()
    for row in rows:
        calls.update(row["new_calls"])
    summary = {"tasks": len(rows), "seeds": sum(r["seeds"] for r in rows),
               "new": sum(r["new"] for r in rows),
               "closure_evaluations": sum(r["closure_evaluations"] for r in rows),
               "new_calls": dict(calls.most_common())}
    table = "\n".join([json.dumps(row) for row in rows] + [json.dumps(summary)])
    report({**stamp(), "args": vars(args), "summary": summary, "tasks": rows}, table,
           Path(args.json) if args.json else None)


if __name__ == "__main__":
    main()
