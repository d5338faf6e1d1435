"""Synthetic task generation speed: tasks per minute for `synth data generate --n N`.

Each repeat generates N tasks (seed = repeat index) into a fresh temporary folder, then checks
that every written program reproduces its task (as `synth dsl check` does). The figures are
the median tasks per minute over repeats, candidates tried per kept task, and the rejections
by gate. Loading the arc1/arc2 training inputs is timed separately.

    python benchmarks/bench_generate.py --n 50 --json runs/bench_generate.json
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`
from benchmarks.common import parser, report, stamp, stamp_line  # noqa: E402  (first)

import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from typing import Any  # noqa: E402

from synth.data.golden import check_pairs  # noqa: E402
from synth.data.task import load_task_file  # noqa: E402
from synth.learn.generate import GenerateConfig, generate, real_input_sets  # noqa: E402


def _reproduced(out: Path) -> tuple[int, int]:
    """(programs that reproduce their task, programs) under a generate folder."""
    ok = total = 0
    for program in sorted((out / "programs").glob("*.dsl")):
        task = load_task_file(out / "tasks" / f"{program.stem}.json")
        total += 1
        ok += all(p.ok for p in check_pairs(program.read_text(encoding="utf-8"), task))
    return ok, total


def main() -> None:
    """Run the benchmark and print (and optionally write) the figures."""
    args_parser = parser(__doc__, "unused")
    args_parser.add_argument("--n", type=int, default=50, help="tasks per repeat")
    args = args_parser.parse_args()
    start = time.perf_counter()
    inputs = real_input_sets()
    load_s = time.perf_counter() - start
    rates, tries, rejected = [], [], Counter()
    ok = total = 0
    for seed in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            stats = generate(GenerateConfig(n=args.n, seed=seed), Path(tmp), input_sets=inputs)
            rates.append(60 * stats.kept / stats.seconds)
            tries.append(stats.tried / max(1, stats.kept))
            rejected.update(stats.rejected)
            good, count = _reproduced(Path(tmp))
            ok, total = ok + good, total + count
    result: dict[str, Any] = {
        **stamp(), "n": args.n, "repeats": args.repeats, "load_inputs_s": round(load_s, 3),
        "input_sets": len(inputs), "tasks_per_minute_median": round(statistics.median(rates), 1),
        "tasks_per_minute": [round(r, 1) for r in rates],
        "tries_per_task_median": round(statistics.median(tries), 2),
        "rejected": dict(rejected.most_common()), "reproduced": ok, "programs": total}
    table = "\n".join([
        f"synth data generate --n {args.n}, {args.repeats} repeats (seeds 0..{args.repeats - 1})",
        f"  tasks per minute (median): {result['tasks_per_minute_median']}  "
        f"(each: {', '.join(str(r) for r in result['tasks_per_minute'])})",
        f"  candidates per kept task (median): {result['tries_per_task_median']}",
        f"  rejected by gate: {result['rejected']}",
        f"  programs reproducing their task: {ok}/{total}",
        f"  loading {len(inputs)} training input sets: {load_s:.2f} s (not in the rate)",
        stamp_line(result)])
    report(result, table, args.json)


if __name__ == "__main__":
    main()
