"""Search accuracy and time on a dataset at a fixed budget and seed.

    python benchmarks/bench_search.py arc1:train --ids benchmarks/samples/arc1-train-every5.txt \
        --time-limit 30 --workers 2 --out runs/bench-train --json bench_search.json

Runs `synth eval` (resumable: the same --out continues), then summarises results.json and
records.jsonl: score_task, score_output, solve counts per proposer, status counts, time
percentiles and peak worker memory. Writes JSON (--json) and prints a table.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from synth.data.options import add_flags, from_flags
from synth.run.config import EvalConfig
from synth.run.evaluate import run_eval


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def summarise(out_dir: Path, results: dict) -> dict:
    """Figures from a finished run folder."""
    tasks = results["tasks"]
    extras = {}
    for line in (out_dir / "records.jsonl").read_text().splitlines():
        record = json.loads(line)
        extras[record["id"]] = record.get("extras", {})
    times = [t["time_s"] for t in tasks.values()]
    solved = [tid for tid, t in tasks.items() if t["score"] == 1.0]
    memory = [e.get("peak_rss_mb", 0.0) for e in extras.values() if e]
    return {
        "dataset": results["dataset"], "data_version": results["data_version"],
        "config": results["config"], "n_tasks": results["n_tasks"],
        "score_task": results["score_task"], "score_output": results["score_output"],
        "any_correct": sum(1 for t in tasks.values() if t.get("any_correct")),
        "ranking_gap": results.get("ranking_gap", 0),
        "solved_by_proposer": dict(Counter(tasks[t]["proposer"] or "fallback" for t in solved)),
        "status": dict(Counter(t["status"] for t in tasks.values())),
        "time_s": {"p50": percentile(times, 50), "p90": percentile(times, 90),
                   "max": max(times), "mean": round(statistics.mean(times), 3)},
        "peak_rss_mb": {"max": max(memory, default=0.0),
                        "p50": percentile(memory, 50) if memory else 0.0},
        "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def print_table(summary: dict) -> None:
    """A readable summary."""
    rows = [("dataset", f"{summary['dataset']} ({summary['n_tasks']} tasks)"),
            ("score_task", f"{summary['score_task']:.4f}"),
            ("score_output", f"{summary['score_output']:.4f}"),
            ("found / not chosen", f"{summary['any_correct']} / {summary['ranking_gap']}"),
            ("solved by", ", ".join(f"{k} {v}" for k, v in summary["solved_by_proposer"].items())),
            ("status", ", ".join(f"{k} {v}" for k, v in summary["status"].items())),
            ("time p50/p90/max", "{p50:.2f} / {p90:.2f} / {max:.2f} s".format(**summary["time_s"])),
            ("peak RSS max/p50", "{max:.0f} / {p50:.0f} MiB".format(**summary["peak_rss_mb"])),
            ("machine", summary["machine"])]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (every `synth eval` flag applies; 2 workers by default)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset")
    add_flags(parser, EvalConfig)
    parser.set_defaults(workers=2, out_dir=Path("runs/bench-search"))
    parser.add_argument("--json", dest="json_out", help="write the summary here")
    args = parser.parse_args(argv)
    config = from_flags(EvalConfig, args, dataset=args.dataset, progress=sys.stderr.isatty())
    results = run_eval(config)
    summary = summarise(config.out_dir, results)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(summary, indent=1) + "\n")
    print_table(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
