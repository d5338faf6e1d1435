"""`synth train guide`: train the primitive guide on a `synth data generate` folder (see
`synth.learn.train_guide`), with a progress bar and the held-out synthetic validation loss per
epoch, then compare the model with the frequency prior on the validation split.

`add_guide_arguments` only builds the argument parser; torch and the trainer are imported when
the command runs (`run_train_guide`)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from synth.data.errors import InputError


def add_guide_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of `synth train guide`."""
    parser.add_argument("--data", required=True, nargs="+", metavar="DIR",
                        help="`synth data generate` folders (tasks/, programs/, index.json)")
    parser.add_argument("--out", required=True, metavar="FILE",
                        help="the guide weights to write (.npz; models/guide/guide.npz ships)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=12, help="most epochs (default 12)")
    parser.add_argument("--minutes", type=float, default=40.0,
                        help="training time cap in minutes (default 40; loading not counted)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def _check(args: argparse.Namespace) -> None:
    for data in map(Path, args.data):
        if not (data / "index.json").is_file():
            raise InputError("not a `synth data generate` folder (no index.json)",
                             file=str(data))
    if args.epochs < 1:
        raise InputError(f"--epochs must be at least 1, got {args.epochs}", field="--epochs")
    if args.minutes <= 0:
        raise InputError(f"--minutes must be positive, got {args.minutes}", field="--minutes")


class _Bar:
    """A rich bar for loading and each epoch on a terminal; nothing otherwise."""

    def __init__(self, enabled: bool) -> None:
        self._bar: Any = None
        self._task: Any = None
        if enabled and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn)
            self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=Console(stderr=True), transient=True)
            self._bar.start()

    def start(self, description: str, total: int | None) -> None:
        if self._bar is not None:
            if self._task is not None:
                self._bar.remove_task(self._task)
            self._task = self._bar.add_task(description, total=total)

    def advance(self, done: int | None = None, total: int | None = None) -> None:
        if self._bar is not None and self._task is not None:
            if done is None:
                self._bar.advance(self._task)
            else:
                self._bar.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def _figures(name: str, figures: dict[str, float]) -> str:
    return f"{name:<6} " + "  ".join(f"{k} {v:.4f}" for k, v in figures.items())


def run_train_guide(args: argparse.Namespace) -> int:
    """Train, export and print per-epoch validation loss and the final model-vs-prior table."""
    _check(args)
    from synth.learn.train_guide import TrainConfig, run, task_ids

    data = [Path(d) for d in args.data]
    config = TrainConfig(seed=args.seed, epochs=args.epochs, minutes=args.minutes)
    bar = _Bar(not args.no_progress)
    state = {"epoch": 1, "bar": 0}

    def on_batch(done: int, total: int) -> None:
        if state["bar"] != state["epoch"]:
            bar.start(f"epoch {state['epoch']}", total)
            state["bar"] = state["epoch"]
        bar.advance(done, total)

    def on_epoch(row: dict[str, float]) -> None:
        print(f"epoch {int(row['epoch'])}: train bce {row['train_bce']:.4f}  validation bce "
              f"{row['validation_bce']:.4f}  validation map {row['validation_map']:.4f}  "
              f"({row['seconds']:.0f} s)", flush=True)
        state["epoch"] += 1

    try:
        bar.start("loading tasks", sum(len(task_ids(d)) for d in data))
        result = run(data, Path(args.out), config, on_load=bar.advance,
                     on_batch=on_batch, on_epoch=on_epoch)
    except ValueError as err:
        raise InputError(str(err)) from err
    finally:
        bar.close()
    print(f"trained on {result.n_train} tasks, validated on {result.n_validation}; "
          f"{result.epochs} epochs in {result.seconds:.0f} s, best epoch {result.best_epoch} "
          f"-> {args.out}")
    print(_figures("model", result.model))
    print(_figures("prior", result.prior))
    return 0
