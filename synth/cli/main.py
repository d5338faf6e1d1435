"""The `synth` command line: solve, eval, show (and the DSL/REPL commands as they land).

Exit codes: 0 ok, 2 bad input (the message names the file and the field), 1 internal error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType

from synth import __version__
from synth.data.errors import InputError
from synth.cli.voter_commands import add_voter_parser, cmd_voter


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="synth", description="ARC-AGI program synthesis.")
    parser.add_argument("--version", action="version", version=f"synth {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    solve = sub.add_parser("solve", help="solve one task and print two attempts")
    solve.add_argument("task", metavar="TASK.json", help="a task JSON file, or DATASET:ID "
                                                        "(e.g. arc1:eval:00576224)")
    solve.add_argument("--beam", type=_positive_int, default=100, help="beam width (default 100)")
    solve.add_argument("--time-limit", type=_positive_float, default=30.0, metavar="S",
                       help="wall-clock budget in seconds (default 30)")
    solve.add_argument("--solver", default=None, help="solver name (default: the best available)")
    solve.add_argument("--seed", type=int, default=0)
    _add_ranking_options(solve)
    solve.add_argument("--out", metavar="FILE", help="write a Kaggle submission.json entry")
    solve.add_argument("--json", action="store_true", help="print a JSON result instead")

    ev = sub.add_parser("eval", help="evaluate a solver over a dataset (resumable)")
    ev.add_argument("dataset", metavar="DATASET",
                    help="arc1:train, arc1:eval, arc2:train, arc2:eval, a folder of task JSONs, "
                         "or a Kaggle *_challenges.json")
    ev.add_argument("--ids", metavar="FILE", help="only these task ids (one per line)")
    ev.add_argument("--limit", type=_positive_int, metavar="N", help="only the first N tasks")
    ev.add_argument("--time-limit", type=_positive_float, default=30.0, metavar="S",
                    help="per-task wall-clock limit in seconds (default 30)")
    ev.add_argument("--memory-limit", type=_positive_int, default=4096, metavar="MB",
                    help="per-task address-space limit in MiB (default 4096)")
    ev.add_argument("--workers", type=_positive_int, default=1, metavar="N")
    ev.add_argument("--out", metavar="DIR", default="runs/latest",
                    help="output folder; rerunning on it resumes (default runs/latest)")
    ev.add_argument("--solver", default=None, help="solver name (default: the best available)")
    ev.add_argument("--beam", type=_positive_int, default=100)
    ev.add_argument("--seed", type=int, default=0)
    _add_ranking_options(ev)
    ev.add_argument("--no-progress", action="store_true", help="no progress bar")

    show = sub.add_parser("show", help="render a task in the terminal or as PNG/SVG")
    show.add_argument("task", metavar="TASK", help="a task JSON file, or DATASET:ID "
                                                   "(e.g. arc1:train:007bbfb7)")
    show.add_argument("--png", metavar="FILE", help="write a PNG image")
    show.add_argument("--svg", metavar="FILE", help="write an SVG image")
    _add_dsl_parser(sub)
    add_voter_parser(sub)
    repl = sub.add_parser("repl", help="author DSL programs and primitives interactively")
    repl.add_argument("task", nargs="?", metavar="TASK", help="task JSON or DATASET:ID")
    repl.add_argument("--prims", action="append", default=[], metavar="FILE",
                      help="load user definitions (default: ~/.config/synth/prims.dsl if present)")
    return parser


def _add_ranking_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--agreement", type=_positive_int, default=3, metavar="N",
                        help="stop once N distinct verified programs agree on the test outputs "
                             "(default 3)")
    parser.add_argument("--z3", action=argparse.BooleanOptionalAction, default=True,
                        help="Z3 laws, invariant checks and sketch hole filling (default on)")
    parser.add_argument("--z3-timeout", type=_positive_int, default=300, metavar="MS",
                        help="time box of each Z3 query in milliseconds (default 300)")
    parser.add_argument("--voter", metavar="FILE",
                        help="rank verified candidates with this meta-voter (synth voter train)")


def _checked_voter(path: str | None) -> str | None:
    """The voter path after loading it once, so a bad file fails before any search."""
    if path is not None:
        from synth.select.voter import Voter

        Voter.load(path)
    return path


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
    from synth.data.datasets import load_task_ref
    from rich.console import Console

    from synth.cli.render import grid_rich
    from synth.run.solvers import DEFAULT_SOLVER, SolveConfig, get_solver
    from synth.data.submission import submission_entry

    task = load_task_ref(args.task)
    solver = get_solver(args.solver or DEFAULT_SOLVER)
    config = SolveConfig(time_limit=args.time_limit, beam=args.beam, seed=args.seed,
                         agreement=args.agreement, z3=args.z3, z3_timeout_ms=args.z3_timeout,
                         voter=_checked_voter(args.voter))
    solution = solver(task, config)
    entry = submission_entry(solution.attempts)
    if args.out:
        from synth.data.submission import write_json_atomic
        write_json_atomic(Path(args.out), {task.id: entry})
    if args.json:
        print(json.dumps({"task": task.id, "attempts": entry, "program": solution.program,
                          "proposer": solution.proposer, "candidates": solution.candidates,
                          "stats": solution.stats}))
        return 0
    print(f"task {task.id}: {len(task.train)} train pairs, {len(task.test)} test inputs")
    if solution.program:
        print(f"program found by {solution.proposer}:")
        print("  " + solution.program.rstrip().replace("\n", "\n  "))
    else:
        print("no verified program: the attempts are fallbacks (closest partial matches, "
              "else the input)")
    print(_stats_line(solution.stats))
    console = Console(highlight=False)
    for i, (a1, a2) in enumerate(solution.attempts):
        print(f"\ntest {i}: attempt_1 {a1.shape[0]}x{a1.shape[1]}")
        console.print(grid_rich(a1))
        print(f"test {i}: attempt_2 {a2.shape[0]}x{a2.shape[1]}")
        console.print(grid_rich(a2))
        truth = task.test[i].output
        if truth is not None:
            from synth.data.scoring import output_correct
            ok = output_correct((a1, a2), truth)
            print(f"test {i}: {'correct' if ok else 'wrong'} (pass@2 against the known output)")
    if args.out:
        print(f"\nwrote {args.out}")
    return 0


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
    from synth.run.evaluate import EvalConfig, run_eval

    config = EvalConfig(dataset=args.dataset, ids_file=args.ids, limit=args.limit,
                        time_limit=args.time_limit, memory_mb=args.memory_limit,
                        workers=args.workers, out_dir=Path(args.out), solver=args.solver,
                        beam=args.beam, seed=args.seed, agreement=args.agreement, z3=args.z3,
                        z3_timeout_ms=args.z3_timeout, voter=_checked_voter(args.voter),
                        progress=not args.no_progress)
    results = run_eval(config)
    print(f"{results['dataset']}: score_task {results['score_task']:.4f}, "
          f"score_output {results['score_output']:.4f} over {results['n_tasks']} tasks "
          f"-> {args.out}/results.json, submission.json, report.html")
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
                             "dsl": _cmd_dsl, "repl": _cmd_repl, "voter": cmd_voter})


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `synth` console script; returns the process exit code."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("NUMBA_NUM_THREADS", "1")
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as err:
        print(f"synth: error: {err.message}", file=sys.stderr)
        return 2
    except KeyError as err:
        print(f"synth: error: {err.args[0]}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("synth: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
