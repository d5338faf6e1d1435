"""How often the Z3 laws predict a test output's size, how often they are right, and how often
the invariant checks would wrongly reject the true test output.

    python benchmarks/bench_laws.py arc1:train --json runs/bench_laws.json

For every task: infer laws and invariants from the train pairs (`synth.analysis.invariants`), then
compare with the known test outputs: size predictions made / correct, and per invariant how
often the true answer violates it (a false alarm: the filter would demote a right answer).
Writes JSON (--json) and prints a table.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.common import parser, report, stamp, stamp_line  # noqa: E402  (first)

from synth.data.datasets import load_dataset  # noqa: E402
from synth.analysis.invariants import CHECKS, check_outputs, infer_invariants  # noqa: E402
from synth.data.task import Task  # noqa: E402


def task_figures(task: Task, timeout_ms: int) -> dict:
    """Size predictions and invariant outcomes on one task's known test outputs."""
    challenge = task.challenge()
    inv = infer_invariants(challenge, timeout_ms)
    truths = [ex.output for ex in task.test]
    predicted = [(shape, truth) for shape, truth in zip(inv.shapes, truths) if shape is not None]
    checks = check_outputs(inv, challenge, truths)
    return {"tests": len(truths), "predicted": len(predicted),
            "right": sum(shape == truth.shape for shape, truth in predicted),
            "checks": checks, "seconds": inv.laws.seconds,
            "timeouts": sum(s == "timeout" for s in inv.laws.status.values())}


def main() -> int:
    """Run the benchmark."""
    args_parser = parser(__doc__, "only the first N tasks (sorted ids)")
    args_parser.add_argument("dataset", nargs="?", default="arc1:train")
    args_parser.add_argument("--z3-timeout", type=int, default=300, metavar="MS")
    args = args_parser.parse_args()
    dataset = load_dataset(args.dataset)
    ids = sorted(i for i, t in dataset.entries.items()
                 if isinstance(t, Task) and t.has_test_outputs)[:args.limit]
    start = time.monotonic()
    rows = [task_figures(dataset.entries[i], args.z3_timeout) for i in ids]
    tests = sum(r["tests"] for r in rows)
    predicted = sum(r["predicted"] for r in rows)
    right = sum(r["right"] for r in rows)
    invariants = {name: {"known": sum(r["checks"][name] is not None for r in rows),
                         "false_alarms": sum(r["checks"][name] is False for r in rows)}
                  for name in CHECKS}
    seconds = sorted(r["seconds"] for r in rows)
    result = {"dataset": dataset.name, "data_version": dataset.version, "tasks": len(ids),
              "test_outputs": tests, "size_predicted": predicted, "size_right": right,
              "invariants": invariants, "z3_timeouts": sum(r["timeouts"] for r in rows),
              "z3_timeout_ms": args.z3_timeout, "seconds_p50": seconds[len(seconds) // 2],
              "seconds_max": seconds[-1], "wall_s": round(time.monotonic() - start, 1),
              **stamp()}
    lines = [f"{dataset.name}: {len(ids)} tasks, {tests} test outputs",
             f"size law predicts {predicted}/{tests} test shapes, {right} right "
             f"({right / max(predicted, 1):.1%} precision)",
             *(f"invariant {name:<9} known on {v['known']} tasks, violated by the true "
               f"answer on {v['false_alarms']}" for name, v in invariants.items()),
             f"z3 timeouts {result['z3_timeouts']} (of {3 * len(ids)} targets); laws p50 "
             f"{result['seconds_p50']:.3f} s, max {result['seconds_max']:.3f} s per task",
             stamp_line(result)]
    report(result, "\n".join(lines), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
