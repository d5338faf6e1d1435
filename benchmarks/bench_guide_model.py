"""Held-out synthetic figures of a guide file: the model against its frequency prior.

Generates N synthetic tasks with a seed the guide was not trained on (real arc1/arc2 training
inputs and structured grids, as `synth data generate`), drops those whose program text falls in
the training side of the hash split only when --validation-only is given, and reports binary
cross-entropy, mean average precision and recall@k of the true primitives for the guide and for
the prior it stores, plus the numpy time per task.

With --golden the tasks are real instead: the arc1:train tasks of the golden library outside the
benchmark samples (`--exclude`, by default the 80-task and the tune40 samples), labelled with the
primitives of their golden programs. The guide never trains on these; the figure is a quick
real-task proxy for comparing guide variants (`--augmentations` colour-permuted views, ensemble
files), not a search result.

    python benchmarks/bench_guide_model.py --n 1000 --seed 90210 --json runs/bench_guide.json
    python benchmarks/bench_guide_model.py --golden --augmentations 8
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`
from benchmarks.common import parser, report, stamp, stamp_line  # noqa: E402  (first)

import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator, Sequence  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from dsl.registry import default_registry  # noqa: E402
from synth.data.task import load_task_file  # noqa: E402
from synth.learn.generate import GenerateConfig, generate, primitive_counts  # noqa: E402
from synth.data.datasets import load_dataset, read_id_list  # noqa: E402
from synth.data.golden import DEFAULT_LIBRARY  # noqa: E402
from synth.learn.guide import DEFAULT_AUGMENTATIONS, SHIPPED_GUIDE, Guide  # noqa: E402
from synth.proposers.guidance import library_counts  # noqa: E402
from synth.learn.train_guide import evaluate, is_validation  # noqa: E402

SAMPLES = Path(__file__).resolve().parent / "samples"
DEFAULT_EXCLUDE = (SAMPLES / "arc1-train-every5.txt", SAMPLES / "arc1-train-tune40.txt")


Tables = tuple[np.ndarray, np.ndarray, np.ndarray, float]
Labelled = Iterator[tuple[list[tuple[np.ndarray, np.ndarray]], set[str]]]


def scored(guide: Guide, labelled: Labelled) -> Tables:
    """(model probabilities, prior probabilities, labels, seconds per task) over tasks given as
    (train pairs, the primitives their program uses)."""
    names = default_registry().names()
    prior = guide.prior_probabilities()
    model_rows, labels, seconds = [], [], 0.0
    for train, truth in labelled:
        start = time.perf_counter()
        table = guide.primitive_probabilities(train)
        seconds += time.perf_counter() - start
        model_rows.append([table[n] for n in names])
        labels.append([float(n in truth) for n in names])
    model = np.array(model_rows)
    return (model, np.broadcast_to([prior[n] for n in names], model.shape), np.array(labels),
            seconds / max(1, len(model_rows)))


def synthetic_tasks(data: Path, validation_only: bool) -> Labelled:
    """The generated tasks of a folder (only the validation split when asked), labelled."""
    registry = default_registry()
    for program in sorted((data / "programs").glob("*.dsl")):
        if validation_only and not is_validation(program.read_text(encoding="utf-8")):
            continue
        task = load_task_file(data / "tasks" / f"{program.stem}.json")
        yield ([(e.input, e.output) for e in task.train],
               set(primitive_counts([program], registry)))


def golden_tasks(exclude: Sequence[Path]) -> Labelled:
    """The arc1:train tasks with a golden program, less the ids listed in `exclude`, labelled
    with the primitives of their golden programs."""
    left_out = {task_id for path in exclude for task_id in read_id_list(path)}
    tasks = {task.id: task for task in load_dataset("arc1:train").tasks()}
    for stem, counts in library_counts((DEFAULT_LIBRARY,)):
        if stem in left_out or stem not in tasks or not counts:
            continue
        yield [(e.input, e.output) for e in tasks[stem].train], set(counts)


def main() -> None:
    """Generate the held-out tasks, score guide and prior, print (and optionally write)."""
    args_parser = parser(__doc__, "unused")
    args_parser.add_argument("--n", type=int, default=500, help="held-out tasks to generate")
    args_parser.add_argument("--seed", type=int, default=90210)
    args_parser.add_argument("--guide", type=Path, default=SHIPPED_GUIDE)
    args_parser.add_argument("--validation-only", action="store_true",
                             help="keep only programs on the validation side of the hash split")
    args_parser.add_argument("--augmentations", type=int, default=DEFAULT_AUGMENTATIONS,
                             help="views of each task (default: the guide's default)")
    args_parser.add_argument("--golden", action="store_true",
                             help="score on the golden library's arc1:train tasks instead")
    args_parser.add_argument("--exclude", type=Path, nargs="*", default=list(DEFAULT_EXCLUDE),
                             help="id lists whose tasks --golden leaves out")
    args = args_parser.parse_args()
    guide = Guide.load(args.guide, augmentations=args.augmentations)
    if args.golden:
        model, prior, labels, per_task = scored(guide, golden_tasks(args.exclude))
        what = "golden-program arc1:train tasks outside the samples"
    else:
        with tempfile.TemporaryDirectory() as tmp:
            generate(GenerateConfig(n=args.n, seed=args.seed), Path(tmp))
            model, prior, labels, per_task = scored(guide, synthetic_tasks(Path(tmp),
                                                                       args.validation_only))
        what = f"held-out synthetic tasks (seed {args.seed})"
    result: dict[str, Any] = {**stamp(), "guide": str(args.guide), "n": len(labels),
                              "seed": args.seed, "golden": args.golden,
                              "augmentations": guide.augmentations, "members": len(guide.members),
                              "model": evaluate(model, labels), "prior": evaluate(prior, labels),
                              "ms_per_task": 1000 * per_task}
    lines = [f"guide {args.guide} ({len(guide.members)} networks, {guide.augmentations} views) "
             f"on {len(labels)} {what}"]
    for name in ("model", "prior"):
        lines.append(f"  {name:<6} " + "  ".join(f"{k} {v:.4f}" for k, v in result[name].items()))
    lines += [f"  numpy forward: {result['ms_per_task']:.2f} ms per task", stamp_line(result)]
    report(result, "\n".join(lines), args.json)


if __name__ == "__main__":
    main()
