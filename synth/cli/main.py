"""The `synth` command line: solve, eval, show, dsl, voter, models, data, train, repl.

Exit codes: 0 ok, 1 internal error, 2 bad input (one line on stderr naming the file and the
field), 3 a check ran and failed (`synth dsl check --task`, `synth dsl verify`).
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType
from typing import NoReturn

from synth import __version__
from synth.cli.data_commands import add_data_parser, cmd_data
from synth.cli.models_commands import add_models_parser, cmd_models
from synth.cli.train_commands import add_train_parser, cmd_train
from synth.cli.voter_commands import add_voter_parser, cmd_voter
from synth.data.errors import InputError
from synth.data.golden import library_scope
from synth.data.options import add_flags, from_flags
from synth.data.scoring import output_correct
from synth.data.task import Task, plural
from synth.models.spec import load_models_file
from synth.proposers.library import Library, load_library
from synth.proposers.registry import parse_plan
from synth.run.config import EvalConfig, SolveConfig, Solution
from synth.run.solvers import compile_kernels, resolve_solver


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (and exit 2), not the whole usage."""

    def error(self, message: str) -> NoReturn:
        """Print `synth solve: error: MESSAGE (see synth solve --help)` and exit 2."""
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand; solve and eval flags come from the
    configuration dataclasses (`synth.run.config`)."""
    parser = OneLineParser(prog="synth", description="ARC-AGI program synthesis.")
    parser.add_argument("--version", action="version", version=f"synth {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=OneLineParser)

    solve = sub.add_parser("solve", help="solve one task and print two attempts")
    solve.add_argument("task", metavar="TASK", help="a task JSON file, or DATASET:ID "
                                                    "(e.g. arc1:eval:00576224)")
    add_flags(solve, SolveConfig)
    solve.add_argument("--out", metavar="FILE", help="write a Kaggle submission.json entry")
    solve.add_argument("--json", action="store_true", help="print a JSON result instead")

    ev = sub.add_parser("eval", help="evaluate a solver over a dataset (resumable)")
    ev.add_argument("dataset", metavar="DATASET",
                    help="arc1:train, arc1:eval, arc2:train, arc2:eval, a folder of task JSONs, "
                         "or a Kaggle *_challenges.json")
    add_flags(ev, EvalConfig)
    ev.add_argument("--no-progress", action="store_true", help="no progress bar")

    show = sub.add_parser("show", help="render a task in the terminal or as PNG/SVG")
    show.add_argument("task", metavar="TASK", help="a task JSON file, or DATASET:ID "
                                                   "(e.g. arc1:train:007bbfb7)")
    show.add_argument("--png", metavar="FILE", help="write a PNG image")
    show.add_argument("--svg", metavar="FILE", help="write an SVG image")
    _add_dsl_parser(sub)
    add_voter_parser(sub)
    add_models_parser(sub)
    add_data_parser(sub)
    add_train_parser(sub)
    repl = sub.add_parser("repl", help="author DSL programs and primitives interactively")
    repl.add_argument("task", nargs="?", metavar="TASK", help="task JSON or DATASET:ID")
    repl.add_argument("--prims", action="append", default=[], metavar="FILE",
                      help="load user definitions (default: ~/.config/synth/prims.dsl if present)")
    return parser


def _warn_unparseable(library: Library) -> None:
    """One stderr line when golden programs failed to parse (they are not used)."""
    if library.unparseable:
        n = len(library.unparseable)
        print(f"synth: warning: {plural(n, 'library program')} failed to parse and "
              f"{'is' if n == 1 else 'are'} not used; first: {library.unparseable[0]}",
              file=sys.stderr)


def checked_solve_config(args: argparse.Namespace) -> SolveConfig:
    """The SolveConfig of the parsed flags, checked before any search: the solver and the
    proposers exist, the library folders are training folders, a voter file loads."""
    config = from_flags(SolveConfig, args)
    resolve_solver(config.solver)
    parse_plan(config.proposers)
    if "library" in config.proposers:
        _warn_unparseable(load_library(library_scope(config.search.library)))
    if config.search.models is not None:
        load_models_file(config.search.models)
    if config.voter is not None:
        from synth.select.voter import Voter

        Voter.load(config.voter)
    return config


def _add_dsl_parser(sub: argparse._SubParsersAction) -> None:
    dsl = sub.add_parser("dsl", help="inspect primitives and check DSL programs")
    dsl_sub = dsl.add_subparsers(dest="dsl_command", required=True, metavar="SUBCOMMAND")
    lst = dsl_sub.add_parser("list", help="list primitives (name, family, signature, doc)")
    lst.add_argument("--json", action="store_true")
    lst.add_argument("--family", help="only this family")
    check = dsl_sub.add_parser("check", help="parse, type-check and optionally run a program")
    check.add_argument("file", metavar="FILE.dsl")
    check.add_argument("--task", metavar="TASK", help="task JSON or DATASET:ID to run it on")
    fmt = dsl_sub.add_parser("fmt", help="print (or --write) a program in canonical form")
    fmt.add_argument("files", nargs="+", metavar="FILE.dsl")
    fmt.add_argument("--write", action="store_true", help="rewrite the files in place")
    verify = dsl_sub.add_parser("verify", help="check that library programs solve their tasks")
    verify.add_argument("folder", nargs="?", metavar="DIR",
                        help="default: the shipped library/arc1-train")
    verify.add_argument("-v", "--verbose", action="store_true", help="list every program")


def _cmd_dsl(args: argparse.Namespace) -> int:
    from synth.cli import dsl_commands

    if args.dsl_command == "list":
        return dsl_commands.cmd_list(args.json, args.family)
    if args.dsl_command == "check":
        return dsl_commands.cmd_check(args.file, args.task)
    if args.dsl_command == "fmt":
        return dsl_commands.cmd_fmt(args.files, args.write)
    return dsl_commands.cmd_verify(args.folder, args.verbose)


def _cmd_solve(args: argparse.Namespace) -> int:
    from native import kernels_cached
    from synth.data.datasets import load_task_ref
    from synth.data.submission import submission_entry, write_json_atomic

    task = load_task_ref(args.task)
    config = checked_solve_config(args)
    solver = resolve_solver(config.solver)
    if not kernels_cached():
        print("synth: compiling the numba kernels (first run only, about a minute; not counted "
              "in the time limit)...", file=sys.stderr, flush=True)
        compile_kernels()
    solution = solver(task.challenge(), config)
    entry = submission_entry(solution.attempts)
    correct = [output_correct(pair, ex.output) for pair, ex in zip(solution.attempts, task.test)]
    if args.out:
        write_json_atomic(Path(args.out), {task.id: entry})
    if args.json:
        print(json.dumps({"task": task.id, "attempts": entry, "program": solution.program,
                          "proposer": solution.proposer, "candidates": solution.candidates,
                          "correct": correct, "stats": solution.stats}))
        return 0
    _print_solution(task, solution, correct)
    if args.out:
        print(f"\nwrote {args.out}")
    return 0


def _print_solution(task: Task, solution: Solution, correct: list[bool | None]) -> None:
    from rich.console import Console

    from synth.cli.render import grid_rich

    print(f"task {task.id}: {len(task.train)} train pairs, {len(task.test)} test inputs")
    if solution.program:
        print(f"program found by {solution.proposer}:")
        print("  " + solution.program.rstrip().replace("\n", "\n  "))
    elif solution.proposer:
        print(f"no verified program: attempt_1 is a grid answer from {solution.proposer}")
    else:
        print("no verified program: the attempts are fallbacks (closest partial matches, "
              "else the input)")
    print(_stats_line(solution.stats))
    console = Console(highlight=False)
    for i, ((a1, a2), ok) in enumerate(zip(solution.attempts, correct)):
        print(f"\ntest {i}: attempt_1 {a1.shape[0]}x{a1.shape[1]}")
        console.print(grid_rich(a1))
        print(f"test {i}: attempt_2 {a2.shape[0]}x{a2.shape[1]}")
        console.print(grid_rich(a2))
        if ok is not None:
            print(f"test {i}: {'correct' if ok else 'wrong'} (pass@2 against the known output)")


def _stats_line(stats: dict) -> str:
    """One line summarising search stats (time, verified, per-stage nodes)."""
    parts = [f"{stats.get('seconds', 0):.2f} s", f"{stats.get('verified', 0)} verified"]
    for name, stage in stats.get("stages", {}).items():
        detail = f"{stage.get('seconds', 0):.2f} s"
        if "nodes" in stage:
            detail += f", {stage['nodes']} values, depth {stage['level_reached']}, " \
                      f"{stage['values_per_s']}/s"
        if "tried" in stage:
            detail += f", {stage['tried']} programs tried"
        if "filled" in stage:
            detail += f", {stage['sketches']} sketches, {stage['filled']} filled"
        parts.append(f"{name}: {detail}")
    line = "search: " + "; ".join(parts)
    if "laws" in stats:
        line += f"\nlaws (Z3, {stats.get('z3_s', 0):.2f} s): " + "; ".join(stats["laws"].values())
    if "agreement" in stats:
        line += f"\nagreement: {stats['agreement']} distinct verified programs in the best group"
    return line


def _cmd_eval(args: argparse.Namespace) -> int:
    from synth.run.evaluate import run_eval

    config = from_flags(EvalConfig, args, dataset=args.dataset, progress=not args.no_progress,
                        solve=checked_solve_config(args))
    results = run_eval(config)
    print(f"{results['dataset']}: score_task {results['score_task']:.4f}, "
          f"score_output {results['score_output']:.4f} over {results['n_tasks']} tasks "
          f"-> {config.out_dir}/results.json, submission.json, report.html")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from synth.data.datasets import load_task_ref
    from synth.cli.render import print_task, task_png, task_svg

    task = load_task_ref(args.task)
    if args.png:
        task_png(task, Path(args.png))
        print(f"wrote {args.png}")
    if args.svg:
        task_svg(task, Path(args.svg))
        print(f"wrote {args.svg}")
    if not (args.png or args.svg):
        print_task(task)
    return 0


def _cmd_repl(args: argparse.Namespace) -> int:
    from synth.cli.repl import DEFAULT_PRIMS_FILE, run_repl

    files = [Path(p) for p in args.prims]
    if not files and DEFAULT_PRIMS_FILE.is_file():
        files = [DEFAULT_PRIMS_FILE]
    return run_repl(args.task, files)


COMMANDS = MappingProxyType({"solve": _cmd_solve, "eval": _cmd_eval, "show": _cmd_show,
                             "dsl": _cmd_dsl, "repl": _cmd_repl, "voter": cmd_voter,
                             "models": cmd_models, "data": cmd_data,
                             "train": cmd_train})


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `synth` console script; returns the process exit code."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `synth ... | head` ends quietly
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("NUMBA_NUM_THREADS", "1")
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as err:
        print(f"synth: error: {err.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("synth: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
