"""`synth data generate`: synthetic tasks from the DSL (see `synth.learn.generate`).

`add_data_parser` only builds the argument parser; `synth.learn.generate` is imported when the
command runs."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from synth.data.errors import InputError


def add_data_parser(sub: argparse._SubParsersAction) -> None:
    """Add `data generate` to the `synth` subcommands."""
    data = sub.add_parser("data", help="synthetic training data")
    data_sub = data.add_subparsers(dest="data_command", required=True, metavar="SUBCOMMAND")
    gen = data_sub.add_parser("generate", help="sample DSL programs into gated ARC tasks")
    gen.add_argument("--n", type=int, required=True, help="how many tasks to write")
    gen.add_argument("--out", required=True, metavar="DIR",
                     help="writes DIR/tasks/ID.json, DIR/programs/ID.dsl, DIR/index.json")
    gen.add_argument("--seed", type=int, default=0)
    gen.add_argument("--temperature", type=float, default=1.0,
                     help="flattens the golden-library primitive weights (higher: flatter)")
    gen.add_argument("--max-length", type=int, default=4, help="most statements per program")
    gen.add_argument("--vocabulary", choices=("golden", "enumerator"), default="golden",
                     help="golden: primitives weighted by the golden library; enumerator: "
                          "primitives the enumerator never builds scaled down, the others "
                          "lifted to a floor weight")
    gen.add_argument("--max-tries", type=int, help="candidate programs at most "
                                                   "(default 400 per task)")
    gen.add_argument("--no-progress", action="store_true", help="no progress bar")


def cmd_generate(args: argparse.Namespace) -> int:
    """Generate, write, and print the run's figures as one JSON line."""
    from synth.learn.generate import GenerateConfig, generate

    if args.n < 1:
        raise InputError(f"--n must be at least 1, got {args.n}", field="--n")
    if args.temperature <= 0:
        raise InputError(f"--temperature must be positive, got {args.temperature}",
                         field="--temperature")
    if args.max_length < 1:
        raise InputError(f"--max-length must be at least 1, got {args.max_length}",
                         field="--max-length")
    config = GenerateConfig(n=args.n, seed=args.seed, temperature=args.temperature,
                            max_length=args.max_length, max_tries=args.max_tries,
                            vocabulary=args.vocabulary)
    stats = generate(config, Path(args.out), progress=not args.no_progress)
    print(json.dumps(stats.as_json()))
    if stats.kept < args.n:
        print(f"synth: only {stats.kept} of {args.n} tasks passed the gates in "
              f"{stats.tried} tries")
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    """Dispatch `synth data SUBCOMMAND`."""
    return cmd_generate(args)
