"""Target-size census: which arc1 training tasks predict an output size their inputs do not
have, and which the closure proposer alone reaches with and without its target-size stage.

    python benchmarks/target_size_census.py --work-limit 10000 --json census.json

Per task (every arc1 training task, or those of `--ids`): the size rule
`synth.search.target_size.target_size` picks (none, same, constant, transposed, scaled, or law:
the Z3 size laws where no rule holds and the shapes change), and whether some train output's
shape differs from its input's. With `--work-limit`, the closure
proposer runs twice under a reproducible budget of that many evaluations, its target-size
stage off then on; a task counts as reached by an arm when one of the arm's candidates gives
every test output. Training tasks only: this chooses what the search keeps.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`

import argparse  # noqa: E402
import json  # noqa: E402
from collections import Counter  # noqa: E402
from typing import Any  # noqa: E402

from dataclasses import replace  # noqa: E402

import numpy as np  # noqa: E402

from synth.analysis.features import TaskAnalysis, analyse  # noqa: E402
from synth.analysis.laws import infer_laws  # noqa: E402
from synth.data.datasets import load_dataset  # noqa: E402
from synth.data.task import Challenge, Task  # noqa: E402
from synth.proposers.base import Budget, Pool  # noqa: E402
from synth.proposers.closure import ClosureProposer  # noqa: E402
from synth.search.target_size import FUNCTION_NAMES, FUNCTIONS, target_size  # noqa: E402

DATASET = "arc1:train"


def analysed(challenge: Challenge) -> TaskAnalysis:
    """The task's analysis with its Z3 laws, as the loop gives it in reproducible mode."""
    analysis = analyse(challenge)
    return replace(analysis, laws=infer_laws(challenge, analysis.background, deterministic=True))


def reached(task: Task, functions: tuple[int, ...], work_limit: int) -> str | None:
    """The first program of the closure proposer (with these target-size functions; none:
    the stage off) that gives every test output, or None."""
    challenge = task.challenge()
    proposer = ClosureProposer(size_functions=functions)
    budget = Budget.from_seconds(600, work_limit)
    for candidate in proposer.propose(challenge, analysed(challenge), budget, Pool()):
        outputs = getattr(candidate, "test_outputs", ())
        if len(outputs) == len(task.test) and all(
                o is not None and np.array_equal(o, ex.output)
                for o, ex in zip(outputs, task.test)):
            return candidate.program
    return None


def laws_predict(task: Task) -> bool:
    """Whether Z3 laws (`synth.analysis.laws`) give a unique output height and width for every
    test input."""
    challenge = task.challenge()
    laws = infer_laws(challenge, analyse(challenge).background, deterministic=True)
    return all(laws.predicted(target, i) is not None for target in ("out_h", "out_w")
               for i in range(len(challenge.test_inputs)))


def census(task: Task, work_limit: int | None, functions: tuple[int, ...] = FUNCTIONS
           ) -> dict[str, Any]:
    """One task's row: its size rule, whether shapes change, and what each arm reached."""
    challenge = task.challenge()
    size = target_size(challenge, analysed(challenge))
    row: dict[str, Any] = {
        "rule": size.rule if size is not None else "none",
        "shape_changes": any(ex.input.shape != ex.output.shape for ex in task.train)}
    if work_limit is not None:
        row["before"] = reached(task, (), work_limit)
        row["after"] = reached(task, functions, work_limit)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", help="file of task ids, one a line (default: every task)")
    parser.add_argument("--work-limit", type=int, help="run the closure at this many evaluations")
    parser.add_argument("--changing-only", action="store_true",
                        help="run the closure only on tasks whose shapes change to a "
                        "predicted size (elsewhere the two arms differ only by leftovers)")
    parser.add_argument("--functions",
                        default=",".join(n for n, k in FUNCTION_NAMES.items() if k in FUNCTIONS),
                        help="target-size functions of the 'after' arm, comma-separated, of "
                             f"{','.join(FUNCTION_NAMES)}")
    parser.add_argument("--laws", action="store_true",
                        help="also count the tasks whose shapes change, with no size rule "
                             "nor law target size, that Z3 size laws predict (deterministic "
                             "queries)")
    parser.add_argument("--json", help="write the rows here")
    args = parser.parse_args()
    tasks = load_dataset(DATASET).tasks()
    if args.ids:
        wanted = set(Path(args.ids).read_text().split())
        tasks = [t for t in tasks if t.id in wanted]
    functions = tuple(FUNCTION_NAMES[name] for name in args.functions.split(","))
    rows = {}
    for task in tasks:
        rows[task.id] = census(task, None)
        if not args.changing_only or (rows[task.id]["shape_changes"]
                                      and rows[task.id]["rule"] != "none"):
            rows[task.id] = census(task, args.work_limit, functions)
    kinds = Counter((r["rule"], r["shape_changes"]) for r in rows.values())
    print("tasks by (size rule, shapes change):", dict(sorted(kinds.items())))
    ran = [r for r in rows.values() if "before" in r]
    if ran:
        before = {t for t, r in rows.items() if r.get("before")}
        after = {t for t, r in rows.items() if r.get("after")}
        print(f"closure reached: before {len(before)}, after {len(after)} of {len(ran)} run; "
              f"gained {sorted(after - before)}, lost {sorted(before - after)}")
    if args.laws:
        by_id = {t.id: t for t in tasks}
        unruled = [t for t, r in rows.items() if r["shape_changes"] and r["rule"] == "none"]
        lawful = [t for t in unruled if laws_predict(by_id[t])]
        print(f"shapes change, no size rule: {len(unruled)}; Z3 laws predict every test "
              f"output's size: {len(lawful)} {sorted(lawful)}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
