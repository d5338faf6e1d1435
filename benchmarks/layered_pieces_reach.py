"""Reach of output by pieces (synth.search.pieces) over the arc1 training tasks.

For every training task (or those of `--ids`; `--same-shape`: only those whose outputs keep
their input's shape), the enumerative proposer and then the closure proposer run alone at a
fixed work limit (reproducible mode; the defaults are about their shares of 60000 with the
library off); whenever a stage composes the output by pieces, the line says whether that
program is right on every test output, and whether the stage's other verified programs
already were (so a piece answer is new reach only where they were not). `--dump` saves the
values each pieces step is offered, for studying composition rules offline. Training tasks
only. Run it with PYTHONPATH set to a frozen clone to measure that clone's pieces. Usage:
python benchmarks/layered_pieces_reach.py [--work 40000] [--closure-work 2000] [--ids FILE]
    [--same-shape] [--dump DIR] [--stages enumerative,closure]
"""
from __future__ import annotations

import argparse
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from native.closure import Closure
from synth.analysis.features import TaskAnalysis, analyse
from synth.data.datasets import load_dataset, read_id_list
from synth.data.task import Challenge, Task
from synth.proposers.base import Budget, Pool, ProgramCandidate
from synth.proposers.closure import ClosureProposer, shaped_nodes
from synth.proposers.enumerative import EnumerativeProposer
from synth.search.enumerate import Enumerator
from synth.search.options import Node
from synth.search.pieces import piece_limit, pieces_allowance
from synth.select.verify import verified


def dump(path: Path | None, values: list[Sequence[np.ndarray]], allowance: int) -> None:
    """Save the values a pieces step was offered (every example's grids, padded with 255 into
    one stack per example, and their shapes) and how many it could pay for, for offline
    study."""
    if path is None or not values:
        return
    stacks: dict[str, np.ndarray] = {}
    for e in range(len(values[0])):
        shapes = np.array([v[e].shape for v in values], dtype=np.int64)
        stack = np.full((len(values), *shapes.max(axis=0)), 255, dtype=np.uint8)
        for k, v in enumerate(values):
            stack[k, :v[e].shape[0], :v[e].shape[1]] = v[e]
        stacks[f"e{e}"], stacks[f"s{e}"] = stack, shapes
    np.savez_compressed(path, allowance=allowance, **stacks)


class TracedEnumerative(EnumerativeProposer):
    """The enumerative proposer, remembering the programs its pieces step yields."""

    pieces: list[ProgramCandidate]
    dump_to: Path | None = None

    def by_pieces(self, shaped: list[Node], task: Challenge, analysis: TaskAnalysis,
                  enumerator: Enumerator, budget: Budget) -> Iterator[Any]:
        work_left = None if budget.work_limit is None else \
            budget.work_limit - budget.meter.spent - enumerator.stats.evaluations
        dump(self.dump_to, [node.values for node in shaped],
             pieces_allowance(work_left, budget.remaining()))
        for candidate in super().by_pieces(shaped, task, analysis, enumerator, budget):
            self.pieces.append(candidate)
            yield candidate


class TracedClosure(ClosureProposer):
    """The closure proposer, remembering the programs its pieces step yields."""

    pieces: list[ProgramCandidate]
    dump_to: Path | None = None

    def by_pieces(self, task: Challenge, analysis: TaskAnalysis, closure: Closure,
                  table: tuple, size: Any, budget: Budget) -> Iterator[Any]:
        targets = [ex.output for ex in task.train]
        work_left = None if budget.work_limit is None else \
            budget.work_limit - budget.meter.spent - self.pending(closure)
        nodes = shaped_nodes(closure, [t.shape for t in targets], piece_limit(targets))
        dump(self.dump_to, [closure.grids(int(node)) for node in nodes],
             pieces_allowance(work_left, budget.remaining()))
        for candidate in super().by_pieces(task, analysis, closure, table, size, budget):
            self.pieces.append(candidate)
            yield candidate


def right_on_test(candidate: ProgramCandidate, task: Task) -> bool:
    """Whether every test output of the candidate is the task's."""
    return all(g is not None and np.array_equal(g, ex.output)
               for g, ex in zip(candidate.test_outputs, task.test))


def same_shape(task: Task) -> bool:
    """Whether every output, train and test, is shaped like its input."""
    return all(ex.output is not None and ex.output.shape == ex.input.shape
               for ex in task.train + task.test)


def stage(proposer: Any, task: Task, work: int, dump_to: Path | None) -> tuple[str, str]:
    """(pieces, others) for one stage: 'right'/'WRONG'/'-' for its pieces program and
    'right'/'wrong'/'-' for its first other verified program."""
    proposer.pieces = []
    proposer.dump_to = dump_to
    challenge = task.challenge()
    found = [c for c in proposer.propose(challenge, analyse(challenge),
                                         Budget.from_seconds(600, work_limit=work), Pool())
             if isinstance(c, ProgramCandidate) and verified(c, challenge)]
    others = [c for c in found if all(c is not p for p in proposer.pieces)]
    pieces = "-" if not proposer.pieces else \
        "right" if right_on_test(proposer.pieces[0], task) else "WRONG"
    other = "-" if not others else "right" if right_on_test(others[0], task) else "wrong"
    return pieces, other


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=int, default=40_000,
                        help="the enumerative stage's work limit (evaluations)")
    parser.add_argument("--closure-work", type=int, default=2_000,
                        help="the closure stage's work limit (evaluations)")
    parser.add_argument("--ids", help="a file of task ids (default: every training task)")
    parser.add_argument("--same-shape", action="store_true",
                        help="only the tasks whose outputs keep their input's shape")
    parser.add_argument("--dump", type=Path, help="a folder to save the values each pieces "
                        "step is offered (ID-STAGE.npz)")
    parser.add_argument("--stages", default="enumerative,closure",
                        help="the stages to run, comma-separated (enumerative, closure)")
    args = parser.parse_args()
    tasks = [t for t in load_dataset("arc1:train").entries.values() if isinstance(t, Task)]
    if args.ids:
        wanted = set(read_id_list(args.ids))
        tasks = [t for t in tasks if t.id in wanted]
    counts: dict[str, int] = {}
    if args.same_shape:
        tasks = [t for t in tasks if same_shape(t)]
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
    for task in sorted(tasks, key=lambda t: t.id):
        start = time.monotonic()
        results = {name: stage(proposer, task, work,
                               args.dump / f"{task.id}-{name}.npz" if args.dump else None)
                   for name, proposer, work in (
                       ("enumerative", TracedEnumerative(), args.work),
                       ("closure", TracedClosure(), args.closure_work))
                   if name in args.stages.split(",")}
        new = any(p == "right" for p, _ in results.values()) and \
            not any(o == "right" for _, o in results.values())
        wrong = any(p == "WRONG" for p, _ in results.values())
        counts["tasks"] = counts.get("tasks", 0) + 1
        counts["new"] = counts.get("new", 0) + new
        counts["wrong"] = counts.get("wrong", 0) + wrong
        print(task.id, " ".join(f"{name}:pieces={p},others={o}"
                                for name, (p, o) in results.items()),
              "NEW" if new else "", "WRONG" if wrong else "",
              f"{time.monotonic() - start:.1f}s", flush=True)
    print(f"tasks: {counts.get('tasks', 0)}; right by pieces alone: "
          f"{counts.get('new', 0)}; a wrong pieces program: {counts.get('wrong', 0)}")


if __name__ == "__main__":
    main()
