"""Guided versus unguided search: the same tasks and budget, with and without the guide.

    python benchmarks/bench_guide.py arc1:train --ids benchmarks/samples/arc1-train-every5.txt \
        --time-limit 30 --workers 2 --out runs/bench-guide \
        --json benchmarks/results/guide-arc1-train-every5.json

Runs `synth eval` once per arm (resumable: each arm has its own folder under --out) with the
library proposer off by default (`--proposers enumerative,sketch,beam`), so memorised programs
do not hide the effect. Arms: `unguided` (`--cost-model uniform --guide none`), `pcfg`
(`--cost-model pcfg`, the golden library's primitive counts, leave-one-out) and `guided`
(`--guide FILE` over uniform costs, the shipped guide by default); `--arms` picks some. Reports
each arm's score and solved tasks, and for the tasks two arms both solve with the enumerator,
the nodes built before its first verified program (median ratio). Arms run one after another,
so on a quiet machine they get the same CPU; with `--work-limit` the comparison does not
depend on the machine's load at all.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import replace
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`

from benchmarks.bench_search import summarise  # noqa: E402
from benchmarks.common import stamp  # noqa: E402
from synth.data.options import add_flags, from_flags  # noqa: E402
from synth.learn.guide import SHIPPED_GUIDE  # noqa: E402
from synth.run.config import EvalConfig  # noqa: E402
from synth.run.evaluate import run_eval  # noqa: E402

NO_LIBRARY = "enumerative,sketch,beam"
ARMS = ("unguided", "pcfg", "guided")


def arm_search(name: str, guide: str) -> dict[str, str | None]:
    """The search options an arm sets."""
    return {"unguided": {"cost_model": "uniform", "guide": None},
            "pcfg": {"cost_model": "pcfg", "guide": None},
            "guided": {"cost_model": "uniform", "guide": guide}}[name]


def first_solution_nodes(out_dir: Path) -> dict[str, int]:
    """Per solved task, the nodes the enumerator built before its first verified program."""
    found = {}
    for line in (out_dir / "records.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        stage = record.get("extras", {}).get("stats", {}).get("stages", {}).get("enumerative", {})
        if record["record"]["score"] == 1.0 and stage.get("nodes_to_first") is not None:
            found[record["id"]] = stage["nodes_to_first"]
    return found


def compare_nodes(base: dict[str, int], other: dict[str, int]) -> dict[str, float | int]:
    """Tasks both arms solved by enumeration, and the median node ratio base / other."""
    both = sorted(set(base) & set(other))
    ratios = [base[t] / max(1, other[t]) for t in both]
    return {"tasks": len(both), "median_ratio": round(statistics.median(ratios), 3)
            if ratios else None}


def main(argv: list[str] | None = None) -> int:
    """Run the arms and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset")
    add_flags(parser, EvalConfig)
    parser.set_defaults(workers=2, out_dir=Path("runs/bench-guide"), proposers=NO_LIBRARY)
    parser.add_argument("--arms", default=",".join(ARMS),
                        help=f"comma-separated arms to run ({', '.join(ARMS)})")
    parser.add_argument("--guide-file", default=str(SHIPPED_GUIDE),
                        help="the guide the `guided` arm uses (default: the shipped one)")
    parser.add_argument("--json", dest="json_out", help="write the summary here")
    args = parser.parse_args(argv)
    base = from_flags(EvalConfig, args, dataset=args.dataset, progress=sys.stderr.isatty())
    arms = [a for a in args.arms.split(",") if a]
    unknown = [a for a in arms if a not in ARMS]
    if unknown:
        parser.error(f"unknown arm(s) {', '.join(unknown)}; choose from {', '.join(ARMS)}")
    result: dict = {"dataset": args.dataset, "proposers": base.solve.proposers, "arms": {}}
    nodes = {}
    for arm in arms:
        search = replace(base.solve.search, **arm_search(arm, args.guide_file))
        config = replace(base, out_dir=base.out_dir / arm,
                         solve=replace(base.solve, search=search))
        summary = summarise(config.out_dir, run_eval(config))
        nodes[arm] = first_solution_nodes(config.out_dir)
        result["arms"][arm] = {key: summary[key] for key in (
            "n_tasks", "score_task", "score_output", "solved_by_proposer", "status",
            "time_s", "peak_rss_mb")} | {"solved_by_enumeration": sorted(nodes[arm])}
    if "unguided" in nodes:
        result["nodes_to_first_vs_unguided"] = {
            arm: compare_nodes(nodes["unguided"], nodes[arm]) for arm in arms if arm != "unguided"}
    result.update(stamp())
    if args.json_out:
        Path(args.json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json_out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    for arm, figures in result["arms"].items():
        print(f"{arm:<9} score {figures['score_task']:.4f}  solved "
              f"{round(figures['score_task'] * figures['n_tasks'], 1)} / {figures['n_tasks']}  "
              f"by {figures['solved_by_proposer']}")
    for arm, figures in result.get("nodes_to_first_vs_unguided", {}).items():
        print(f"nodes to first program, unguided / {arm}: median {figures['median_ratio']} "
              f"over {figures['tasks']} tasks both solved")
    return 0


if __name__ == "__main__":
    sys.exit(main())
