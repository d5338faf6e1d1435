"""`synth train`: training commands, one subcommand per row of `SUBCOMMANDS`.

`synth train proposer` fine-tunes a LoRA adapter that writes DSL programs
(`synth.learn.train_proposer`). A new subcommand is one `Subcommand(name, help, arguments,
run)` row: `add_train_parser` registers every row, and `cmd_train` runs the chosen one. Only
the argument parsers are built here; the training modules (and torch) are imported when a
command runs.
"""
from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from synth.cli.guide_command import add_guide_arguments, run_train_guide
from synth.data.errors import InputError


@dataclass(frozen=True)
class Subcommand:
    """One `synth train` subcommand: its name, help line, arguments and runner."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _proposer_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", required=True, metavar="DIR",
                        help="the base model's folder (transformers weights and tokenizer)")
    parser.add_argument("--data", required=True, metavar="DIR",
                        help="a `synth data generate` folder (index.json, tasks/, programs/)")
    parser.add_argument("--out", required=True, metavar="ADAPTER",
                        help="where to save the LoRA adapter (use it as `adapter` in a "
                             "models file)")
    parser.add_argument("--rank", type=int, default=64, help="LoRA rank (default 64)")
    parser.add_argument("--alpha", type=int, help="LoRA alpha (default: the rank)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lr", type=float, default=2e-4, help="AdamW learning rate")
    parser.add_argument("--seed", type=int, default=0,
                        help="the validation split and the example order")
    parser.add_argument("--validation", type=float, default=0.1,
                        help="share of the tasks held out for validation (at least one)")
    parser.add_argument("--reference", choices=("full", "none"), default="full",
                        help="the prompt's DSL reference (the llm proposer's prompts have it)")
    parser.add_argument("--max-prompt-chars", type=int,
                        help="keep only each prompt's last characters (small models)")
    parser.add_argument("--max-new-tokens", type=int, default=256,
                        help="validation replies")
    parser.add_argument("--head", action="store_true",
                        help="also train the output layer in full (small models)")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")


def cmd_train_proposer(args: argparse.Namespace) -> int:
    """Train, then print the run's figures as one JSON line."""
    from synth.learn.train_proposer import TrainConfig, train_proposer

    for flag, value, low in (("--rank", args.rank, 1), ("--epochs", args.epochs, 1),
                             ("--max-new-tokens", args.max_new_tokens, 1)):
        if value < low:
            raise InputError(f"{flag} must be at least {low}, got {value}", field=flag)
    if not 0 < args.validation < 1:
        raise InputError(f"--validation must be in (0, 1), got {args.validation}",
                         field="--validation")
    config = TrainConfig(base=Path(args.base), data=Path(args.data), out=Path(args.out),
                         rank=args.rank, alpha=args.alpha, epochs=args.epochs, lr=args.lr,
                         seed=args.seed, validation=args.validation, reference=args.reference,
                         max_prompt_chars=args.max_prompt_chars,
                         max_new_tokens=args.max_new_tokens, device=args.device,
                         head=args.head)
    print(json.dumps(train_proposer(config).as_json()))
    return 0


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("proposer", "fine-tune a LoRA adapter that writes DSL programs, on "
                           "`synth data generate` tasks", _proposer_arguments,
               cmd_train_proposer),
    Subcommand("guide", "train the primitive guide (which primitives a task's program "
                        "calls) on `synth data generate` tasks", add_guide_arguments,
               run_train_guide),
)


def add_train_parser(sub: argparse._SubParsersAction) -> None:
    """Add `train` and every row of `SUBCOMMANDS` to the `synth` subcommands."""
    train = sub.add_parser("train", help="train synth's own models: the primitive guide, a LoRA program proposer")
    train_sub = train.add_subparsers(dest="train_command", required=True, metavar="SUBCOMMAND")
    for entry in SUBCOMMANDS:
        parser = train_sub.add_parser(entry.name, help=entry.help)
        entry.arguments(parser)
        parser.set_defaults(train_run=entry.run)


def cmd_train(args: argparse.Namespace) -> int:
    """Dispatch `synth train SUBCOMMAND`."""
    return args.train_run(args)
