"""Where the search spends its time: cProfile over `synth.run.solve.solve_task` on sample tasks.

    python benchmarks/profile_search.py --ids benchmarks/samples/arc1-train-every5.txt \
        --limit 8 --time-limit 8 --json runs/profile_search.json

Reports the share of profiled time spent in each proposer stage, in primitive evaluation,
in value hashing (observational equivalence) and the most expensive functions by own time.
"""
from __future__ import annotations

import cProfile
import pstats
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`

from benchmarks.common import parser, report, stamp, stamp_line  # noqa: E402
from synth.data.datasets import load_dataset, read_id_list  # noqa: E402
from synth.run.config import SolveConfig  # noqa: E402
from synth.run.solve import solve_task  # noqa: E402

SECTIONS = {  # label -> (file suffix, function name) whose cumulative time is reported
    "library proposer": ("proposers/library.py", "propose"),
    "enumerative proposer": ("proposers/enumerative.py", "propose"),
    "beam proposer": ("proposers/beam.py", "propose"),
    "primitive evaluation (enumerator calls)": ("search/enumerate.py", "call"),
    "value hashing (value_key)": ("dsl/values.py", "value_key"),
    "beam scorer (closeness)": ("search/closeness.py", "closeness"),
    "compiled plans (library)": ("dsl/compile.py", "run_compiled"),
}


def cumulative(stats: pstats.Stats, suffix: str, name: str) -> float:
    """Cumulative seconds of the function `name` defined in a file ending with `suffix`."""
    return sum(row[3] for (path, _, func), row in stats.stats.items()  # type: ignore[attr-defined]
               if path.endswith(suffix) and func == name)


def main(argv: list[str] | None = None) -> int:
    """Profile the search and print the breakdown."""
    args_parser = parser(__doc__ or "", "tasks to profile (default 8)")
    args_parser.add_argument("--dataset", default="arc1:train")
    args_parser.add_argument("--ids", default="benchmarks/samples/arc1-train-every5.txt")
    args_parser.add_argument("--time-limit", type=float, default=8.0)
    args = args_parser.parse_args(argv)
    entries = load_dataset(args.dataset).entries
    ids = read_id_list(args.ids)[:args.limit or 8]
    profile = cProfile.Profile()
    profile.enable()
    for task_id in ids:
        solve_task(entries[task_id].challenge(), SolveConfig(time_limit=args.time_limit))
    profile.disable()
    stats = pstats.Stats(profile)
    total = stats.total_tt  # type: ignore[attr-defined]
    shares = {label: round(cumulative(stats, *where) / total, 3)
              for label, where in SECTIONS.items()}
    own = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:10]  # type: ignore[attr-defined]
    top = [{"function": f"{Path(path).name}:{func}", "own_s": round(row[2], 3)}
           for (path, _, func), row in own]
    result = {"tasks": ids, "time_limit": args.time_limit, "profiled_s": round(total, 2),
              "share": shares, "top_own_time": top, **stamp()}
    lines = [f"{label:<42} {share:6.1%}" for label, share in shares.items()]
    lines += ["", "most own time:"] + [f"  {t['function']:<40} {t['own_s']:8.2f} s" for t in top]
    lines += [f"profiled {total:.1f} s over {len(ids)} tasks at {args.time_limit:g} s each",
              stamp_line(result)]
    report(result, "\n".join(lines), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
