"""`synth voter train | eval`: fit the meta-voter on training-set runs, and compare its
order with the heuristic's on recorded runs (see `synth.select.voter`).

`add_voter_parser` only builds the argument parser; `synth.select.voter` (xgboost, the datasets) is
imported when a command runs."""
from __future__ import annotations

import argparse
from typing import Any


def add_voter_parser(sub: argparse._SubParsersAction) -> None:
    """Add `voter train` and `voter eval` to the `synth` subcommands."""
    voter = sub.add_parser("voter", help="train and evaluate the meta-voter on recorded runs")
    voter_sub = voter.add_subparsers(dest="voter_command", required=True, metavar="SUBCOMMAND")
    train = voter_sub.add_parser("train", help="fit the voter on training-set run folders")
    train.add_argument("runs", nargs="+", metavar="RUN_DIR",
                       help="`synth eval --out` folders of training-set runs")
    train.add_argument("--out", required=True, metavar="FILE", help="the voter JSON to write")
    train.add_argument("--seed", type=int, default=0)
    ev = voter_sub.add_parser("eval", help="score_task and ranking gap: heuristic vs voter")
    ev.add_argument("runs", nargs="+", metavar="RUN_DIR", help="`synth eval --out` folders")
    ev.add_argument("--voter", required=True, metavar="FILE", help="a `voter train` file")


def cmd_train(runs: list[str], out: str, seed: int) -> int:
    """Train, write the voter file and print a summary."""
    from synth.select.voter import PROPOSER_PREFIX, train_voter

    meta = train_voter(runs, out, seed=seed)
    training = meta["training"]
    proposer_columns = [n.removeprefix(PROPOSER_PREFIX) for n in meta["features"]
                        if n.startswith(PROPOSER_PREFIX)]
    print(f"voter trained on {len(runs)} run(s): {training['rows']} alternatives of "
          f"{training['tasks']} tasks, {training['positives']} right; training accuracy "
          f"{training['train_accuracy']:.3f} -> {out}")
    print(f"{len(meta['features'])} features; proposer columns: {', '.join(proposer_columns)}")
    return 0


def _line(name: str, figures: dict[str, Any], voted: dict[str, Any]) -> str:
    return (f"{name}: {figures['n_tasks']} tasks, {figures['any_correct']} with a right "
            f"verified alternative; score_task heuristic {figures['score_task']:.4f} "
            f"(gap {figures['ranking_gap']}), voter {voted['score_task']:.4f} "
            f"(gap {voted['ranking_gap']})")


def cmd_eval(runs: list[str], voter_path: str) -> int:
    """Print replayed score_task and ranking gap, heuristic order vs voter order, per run."""
    from synth.select.voter import Voter, heuristic_order, load_runs, order_figures

    voter = Voter.load(voter_path)
    all_tasks, heuristic, voted = [], [], []
    for run in load_runs(runs):
        tasks = list(run.tasks)
        h = [heuristic_order(rt.alternatives) for rt in tasks]
        v = [voter.order(rt.task, rt.alternatives) for rt in tasks]
        print(_line(str(run.path), order_figures(tasks, h), order_figures(tasks, v)))
        all_tasks += tasks
        heuristic += h
        voted += v
    if len(runs) > 1:
        print(_line("all runs", order_figures(all_tasks, heuristic),
                    order_figures(all_tasks, voted)))
    print("(replayed from the recorded alternatives: an identity fill-in counts as wrong)")
    return 0


def cmd_voter(args: argparse.Namespace) -> int:
    """Dispatch `synth voter SUBCOMMAND`."""
    if args.voter_command == "train":
        return cmd_train(args.runs, args.out, args.seed)
    return cmd_eval(args.runs, args.voter)
