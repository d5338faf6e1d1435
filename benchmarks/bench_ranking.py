"""Ranking figures replayed from recorded alternatives: heuristic, invariant filter, meta-voter.

    python benchmarks/bench_ranking.py runs/train-a runs/train-b --folds 5 --json out.json
    python benchmarks/bench_ranking.py runs/arc1-eval-full --voter voter.json

Reads `synth eval` run folders (config.json, records.jsonl with `extras.alternatives`) and,
per run, replays four orders of each task's alternatives: (0) no voting: verified
alternatives by description length alone (shortest program first, then prior), support
ignored; (a) the recorded heuristic order (self-consistency voting: support first),
(b) the invariant filter (verified alternatives that violate a `synth.analysis.invariants`
check moved after the consistent ones), (c) the meta-voter: on training-set runs cross-validated by task
over `--folds` folds pooled across the runs (a task id of one dataset stays in one fold; the
voter trained on the other folds orders the held-out one), on evaluation-set runs (or with
`--folds 0`) the `--voter FILE` given, else not shown. Figures: tasks, tasks with a right
verified alternative, replayed score_task (pass@2 with the first two alternatives; an identity
fill-in counts as wrong, so it can sit below the recorded score) and the ranking gap (tasks
with a right verified alternative scoring below 1). Writes JSON (--json; `features`: the
cross-validated voter's columns, `voter_features`: the file's) and prints a table.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`
from benchmarks.common import report, stamp, stamp_line  # noqa: E402  (first)

import argparse  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from synth.data.errors import InputError  # noqa: E402
from synth.select.voter import (Checks, RecordedRun, RecordedTask, Row, Voter,  # noqa: E402
                                all_correct, alternative_checks, feature_matrix, feature_names,
                                fit_model, heuristic_order, invariant_checks, invariant_order,
                                is_evaluation_run, load_runs, order_figures, predict,
                                task_features, voted_order)

Order = list[int]


class Prepared:
    """A run's tasks with, for those that have a verified alternative, checks and named
    feature rows (one per alternative)."""

    def __init__(self, run: RecordedRun) -> None:
        self.run = run
        self.tasks: list[RecordedTask] = list(run.tasks)
        self.checks: list[list[Checks] | None] = []
        self.rows: list[list[Row] | None] = []
        for rt in self.tasks:
            checks = alternative_checks(rt.task, rt.alternatives, invariant_checks,
                                        rt.outputs) if rt.votable else None
            self.checks.append(checks)
            self.rows.append(None if checks is None else
                             task_features(rt.task, rt.alternatives, checks))

    @property
    def training(self) -> bool:
        """A training-set run (cross-validation allowed)."""
        return not is_evaluation_run(self.run.config)


def fold_of(keys: Sequence[str], folds: int, seed: int) -> dict[str, int]:
    """Each distinct task key's fold, balanced, from a seeded permutation of the sorted keys."""
    unique = sorted(set(keys))
    permutation = np.random.default_rng(seed).permutation(len(unique))
    return {unique[j]: rank % folds for rank, j in enumerate(permutation)}


def cross_validated(prepared: Sequence[Prepared], folds: int, seed: int
                    ) -> tuple[dict[tuple[int, int], Order], int, tuple[str, ...]]:
    """Voter orders of every votable task, each from a model fitted on the other folds;
    keyed by (run index, task index); also the number of folds that could not be fitted
    (one label only) and kept the heuristic order, and the feature columns (`feature_names`
    of all the runs' rows, the same for every fold)."""
    names = feature_names(row for p in prepared for rows in p.rows if rows for row in rows)
    items = [(r, k, p.tasks[k], feature_matrix(rows, names)) for r, p in enumerate(prepared)
             for k, rows in enumerate(p.rows) if rows is not None]
    if len({rt.key for _, _, rt, _ in items}) < folds:
        raise InputError(f"{folds} folds need at least {folds} tasks with a verified "
                         f"alternative", field="--folds")
    fold = fold_of([rt.key for _, _, rt, _ in items], folds, seed)
    orders: dict[tuple[int, int], Order] = {}
    unfitted = 0
    for f in range(folds):
        train = [(rt, x) for _, _, rt, x in items if fold[rt.key] != f]
        x = np.concatenate([x for _, x in train])
        y = np.array([all_correct(a) for rt, _ in train for a in rt.alternatives],
                     dtype=np.float32)
        try:
            booster = fit_model(x, y, names, seed)
        except InputError:
            booster = None
            unfitted += 1
        for r, k, rt, rows in items:
            if fold[rt.key] == f:
                orders[(r, k)] = heuristic_order(rt.alternatives) if booster is None else \
                    voted_order(rt.alternatives, predict(booster, rows, names))
    return orders, unfitted, names


def shortest_order(alternatives: Sequence[dict[str, Any]]) -> Order:
    """No voting: verified alternatives by cost, then prior (ties: recorded order), then the
    unverified ones in the recorded order."""
    verified = [i for i, a in enumerate(alternatives) if a.get("verified")]
    rest = [i for i, a in enumerate(alternatives) if not a.get("verified")]
    return sorted(verified, key=lambda i: (alternatives[i].get("cost", 0),
                                           -alternatives[i].get("prior", 0.0), i)) + rest


def file_orders(p: Prepared, voter: Voter) -> list[Order]:
    """Orders of a run's tasks by a trained voter (with the checks already computed)."""
    return [voter.order(rt.task, rt.alternatives, checks) if checks is not None
            else heuristic_order(rt.alternatives) for rt, checks in zip(p.tasks, p.checks)]


def run_figures(p: Prepared, voter: list[Order] | None, source: str | None) -> dict[str, Any]:
    """The JSON figures of one run."""
    heuristic = order_figures(p.tasks, [heuristic_order(rt.alternatives) for rt in p.tasks])
    shortest = order_figures(p.tasks, [shortest_order(rt.alternatives) for rt in p.tasks])
    invariant = order_figures(p.tasks, [
        invariant_order(rt.alternatives, checks) if checks is not None
        else heuristic_order(rt.alternatives) for rt, checks in zip(p.tasks, p.checks)])
    keep = ("score_task", "ranking_gap")
    return {"run": str(p.run.path), "dataset": p.run.dataset,
            "time_limit": p.run.config.get("time_limit"), "n_tasks": heuristic["n_tasks"],
            "votable": sum(rt.votable for rt in p.tasks), "any_correct": heuristic["any_correct"],
            "no_voting": {k: shortest[k] for k in keep},
            "heuristic": {k: heuristic[k] for k in keep},
            "invariant_filter": {k: invariant[k] for k in keep},
            "voter": None if voter is None else
            {k: order_figures(p.tasks, voter)[k] for k in keep}, "voter_source": source}


def _cell(figures: dict[str, Any] | None) -> str:
    return "-" if figures is None else f"{figures['score_task']:.4f} / {figures['ranking_gap']}"


def table(result: dict[str, Any]) -> str:
    """The printed table: per run, score_task / ranking gap under each order."""
    header = ("run", "tasks", "verified", "right", "no voting", "voting", "invariant filter",
              "voter", "voter from")
    rows = [header] + [(r["run"], str(r["n_tasks"]), str(r["votable"]), str(r["any_correct"]),
                        _cell(r["no_voting"]), _cell(r["heuristic"]),
                        _cell(r["invariant_filter"]), _cell(r["voter"]),
                        r["voter_source"] or "-") for r in result["runs"]]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    note = ("score_task / ranking gap, replayed from the recorded alternatives (identity "
            "fill-ins count as wrong); verified: tasks with a verified alternative; right: "
            "tasks with a right verified one")
    return "\n".join(lines + [note, stamp_line(result)])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", metavar="RUN_DIR")
    parser.add_argument("--folds", type=int, default=5,
                        help="cross-validation folds on training-set runs (0: none)")
    parser.add_argument("--voter", metavar="FILE", help="a `synth voter train` file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    args = parser.parse_args(argv)
    try:
        prepared = [Prepared(run) for run in load_runs(args.runs)]
        voter = Voter.load(args.voter) if args.voter else None
        training = [p for p in prepared if p.training]
        cv: dict[tuple[int, int], Order] = {}
        unfitted = 0
        names: tuple[str, ...] = ()
        if args.folds >= 2 and training:
            cv, unfitted, names = cross_validated(training, args.folds, args.seed)
    except InputError as err:
        print(f"bench_ranking: error: {err.message}", file=sys.stderr)
        return 2
    runs = []
    for p in prepared:
        if p.training and args.folds >= 2:
            r = training.index(p)
            orders = [cv.get((r, k), heuristic_order(rt.alternatives))
                      for k, rt in enumerate(p.tasks)]
            runs.append(run_figures(p, orders, f"{args.folds}-fold cv"))
        elif voter is not None:
            runs.append(run_figures(p, file_orders(p, voter), "file"))
        else:
            runs.append(run_figures(p, None, None))
    result = {"runs": runs, "folds": args.folds, "seed": args.seed, "voter_file": args.voter,
              "unfitted_folds": unfitted, "features": list(names),
              "voter_features": None if voter is None else list(voter.features), **stamp()}
    report(result, table(result), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
