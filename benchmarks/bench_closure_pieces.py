"""CPU time of the closure's pieces step per value-cell: values as grids vs gathered.

For each training task of `--ids` (default: the first `--limit` of the arc1:train every-5th
sample), the closure runs to `--work` evaluations; its output-shaped values (as many as
`piece_limit` allows) are then composed (`synth.search.pieces`) twice: taken one grid per
value (`Closure.grids`, then `compose`) and gathered from the pool at once
(`shaped_stacks`, then `compose_stacks`). Prints microseconds per value-cell (values times
train output cells) of each way and their medians, to set against the ~0.03 us a value-cell
that `synth.search.pieces.CELLS_PER_EVALUATION` charges (one evaluation, ~59 us, per 2,000
value-cells). Training tasks only. Usage: python benchmarks/bench_closure_pieces.py [--limit 20]
    [--work 2000] [--ids FILE]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from synth.analysis.features import analyse
from synth.data.datasets import load_dataset, read_id_list
from synth.proposers.closure import shaped_nodes, shaped_stacks, task_closure
from synth.search.pieces import compose, compose_stacks, piece_limit

SAMPLE = "benchmarks/samples/arc1-train-every5.txt"
MIN_VALUES = 100  # tasks with fewer output-shaped values are left out (no timing to speak of)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=20, help="tasks timed")
    parser.add_argument("--work", type=int, default=2_000, help="the closure's evaluations")
    parser.add_argument("--ids", default=SAMPLE, help="a file of training task ids")
    args = parser.parse_args()
    entries = load_dataset("arc1:train").entries
    grids_rates, gathered_rates = [], []
    for task_id in read_id_list(args.ids):
        if len(grids_rates) == args.limit:
            break
        task = entries[task_id].challenge()
        analysis = analyse(task)
        _, closure = task_closure(task, analysis)
        for _ in closure.run(3, args.work * 50, lambda: False):
            pass
        targets = [ex.output for ex in task.train]
        shapes = [t.shape for t in targets]
        nodes = shaped_nodes(closure, shapes, piece_limit(targets))
        if len(nodes) < MIN_VALUES:
            continue
        cells = len(nodes) * sum(t.size for t in targets)
        start = time.process_time()
        values = [closure.grids(int(node))[:len(targets)] for node in nodes]
        first = compose(values, targets, analysis.background, blanks=True)
        middle = time.process_time()
        second = compose_stacks(shaped_stacks(closure, nodes, shapes), targets,
                                analysis.background, blanks=True)
        end = time.process_time()
        assert first == second, task_id
        grids_rates.append((middle - start) / cells * 1e6)
        gathered_rates.append((end - middle) / cells * 1e6)
        print(f"{task_id} values={len(nodes)} grids={grids_rates[-1]:.4f} us "
              f"gathered={gathered_rates[-1]:.4f} us a value-cell", flush=True)
    print(f"median over {len(grids_rates)} tasks: grids {np.median(grids_rates):.4f} us, "
          f"gathered {np.median(gathered_rates):.4f} us a value-cell")


if __name__ == "__main__":
    main()
