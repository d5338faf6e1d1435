"""Time the transduction machinery on the tiny random model: answer tokens/s, scoring across
views, and test-time training steps/s and peak memory, for both TTT presets.

The model is built here (`synth.models.tiny.build_tiny_model`; nothing is downloaded), so the
figures measure the machinery on this machine, not answer quality. The task is
`examples/3c9b0459.json`. `--device cuda` runs the same on a GPU where one is lent.

`--presets` instead compares the two TTT presets (`mit`, `roadmap`) on toy tasks generated
here (colour swaps, flips, a transpose; 3x3 grids): per preset and task, the leave-one-out
answer loss before and after training and whether the greedy answer to the test input is
exact, before and after. It is a TINY-MODEL TOY MEASUREMENT: a ~0.2 M-parameter random model
that knows nothing, on toy tasks; it compares the recipes' learning speed at this scale and
says nothing about an 8 B model on ARC.

    python benchmarks/bench_transduction.py --json runs/bench_transduction.json
    python benchmarks/bench_transduction.py --presets \
        --json benchmarks/results/transduction-presets.json
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`
from benchmarks.common import parser, report, stamp, stamp_line  # noqa: E402  (first)

import os  # noqa: E402
import resource  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from synth.data.augment import forward_challenge, views  # noqa: E402
from synth.data.task import Challenge, Example, Grid, load_task_file  # noqa: E402
from synth.models.base import GenerateParams  # noqa: E402
from synth.models.gridtext import grid_to_text, parse_grid_text  # noqa: E402
from synth.models.prompts import transduction_prompt  # noqa: E402
from synth.models.spec import ModelSpec  # noqa: E402
from synth.models.ttt import PRESETS, leave_one_out, tuned  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TASK = REPO / "examples" / "3c9b0459.json"
TOY_NOTE = ("TINY-MODEL TOY MEASUREMENT: a ~0.2 M-parameter random Llama (synth.models.tiny) "
            "trained per task from nothing, on generated 3x3 toy tasks; it compares the TTT "
            "recipes at this scale only and says nothing about 8 B models on ARC")
TOY_RULES: dict[str, Callable[[Grid], Grid]] = {
    "swap-1-2": lambda g: np.where(g == 1, 2, np.where(g == 2, 1, g)).astype(np.uint8),
    "flip-lr": lambda g: g[:, ::-1].copy(),
    "flip-ud": lambda g: g[::-1, :].copy(),
    "transpose": lambda g: g.T.copy(),
    "recolour-3-to-4": lambda g: np.where(g == 3, 4, g).astype(np.uint8),
    "rotate-180": lambda g: g[::-1, ::-1].copy(),
}


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (MiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def answer_figures(backend: Any, prompts: list[str], max_new_tokens: int) -> dict[str, Any]:
    """Greedy answers for every view's prompt: tokens/s and seconds per answer."""
    started = time.perf_counter()
    samples = backend.generate(prompts, GenerateParams(n=1, temperature=0.0,
                                                       max_new_tokens=max_new_tokens))
    seconds = time.perf_counter() - started
    tokens = sum(s.tokens for row in samples for s in row)
    return {"answers": len(prompts), "tokens": tokens, "seconds": round(seconds, 3),
            "tokens_per_s": round(tokens / seconds, 1), "s_per_answer": round(seconds / len(prompts), 3)}


def score_figures(backend: Any, prompts: list[str], answer: str) -> dict[str, Any]:
    """Scoring one candidate under every view (the product of experts)."""
    started = time.perf_counter()
    for prompt in prompts:
        backend.score(prompt, [answer])
    seconds = time.perf_counter() - started
    return {"views": len(prompts), "seconds": round(seconds, 3),
            "ms_per_view": round(1000 * seconds / len(prompts), 1)}


def largest_task_tokens(backend: Any) -> dict[str, Any]:
    """The token count of the largest arc1 task (training and evaluation) as transduction
    text, and whether the tokenizer spends one token per cell."""
    from synth.data.datasets import load_dataset
    from synth.models.gridtext import tokens_per_cell

    def encode(text: str) -> list[int]:
        return backend.tokenizer(text, add_special_tokens=False)["input_ids"]

    largest = max((t for spec in ("arc1:train", "arc1:eval")
                   for t in load_dataset(spec).tasks()),
                  key=lambda t: len(transduction_prompt(t.challenge(), 0)))
    text = transduction_prompt(largest.challenge(), 0)
    return {"task": largest.id, "characters": len(text), "tokens": len(encode(text)),
            "one_token_per_cell": tokens_per_cell(encode)}


def ttt_figures(backend: Any, task: Any, augs: list, preset: str, seconds: float
                ) -> dict[str, Any]:
    """One test-time training run: steps/s, loss before/after, peak memory."""
    with tuned(backend, task, augs, preset, seed=0, seconds=seconds) as run:
        pass
    return {"preset": preset, "examples": len(leave_one_out(task, augs)), "steps": run.steps,
            "seconds": run.seconds, "steps_per_s": round(run.steps / run.seconds, 2)
            if run.seconds else 0.0, "loss_before": run.loss_before,
            "loss_after": run.loss_after, "cut_short": run.cut_short,
            "peak_rss_mb": peak_rss_mb()}


def toy_task(name: str, rule: Callable[[Grid], Grid], pairs: int, seed: int
             ) -> tuple[Challenge, Grid]:
    """A toy task (`pairs` train pairs and one test input, 3x3 grids of colours 0-4) and its
    test output."""
    rng = np.random.default_rng(seed)
    grids = [rng.integers(0, 5, size=(3, 3)).astype(np.uint8) for _ in range(pairs + 1)]
    train = tuple(Example(g, rule(g)) for g in grids[:pairs])
    return Challenge(name, train, (grids[-1],)), rule(grids[-1])


def greedy_exact(backend: Any, task: Challenge, truth: Grid) -> bool:
    """Whether the greedy answer to the test input (identity view) is the right grid."""
    (sample,), = backend.generate([transduction_prompt(task, 0)],
                                  GenerateParams(n=1, temperature=0.0,
                                                 max_new_tokens=truth.size + truth.shape[0] + 2,
                                                 stop=("\n\n", "input:")))
    grid = parse_grid_text(sample.text)
    return isinstance(grid, np.ndarray) and grid.shape == truth.shape and bool(
        (grid == truth).all())


def preset_figures(backend: Any, tasks: list[tuple[Challenge, Grid]], preset: str,
                   n_views: int, seconds: float) -> dict[str, Any]:
    """One preset over the toy tasks: per task the loss drop and exact match before/after."""
    rows = []
    for task, truth in tasks:
        augs = views(task, n_views, seed=0)
        before = greedy_exact(backend, task, truth)
        with tuned(backend, task, augs, preset, seed=0, seconds=seconds) as run:
            after = greedy_exact(backend, task, truth)
        rows.append({"task": task.id, "loss_before": run.loss_before,
                     "loss_after": run.loss_after, "steps": run.steps, "seconds": run.seconds,
                     "cut_short": run.cut_short, "exact_before": before, "exact_after": after})
    n = len(rows)
    return {"preset": preset, **{k: v for k, v in vars(PRESETS[preset]).items()},
            "mean_loss_before": round(sum(r["loss_before"] for r in rows) / n, 4),
            "mean_loss_after": round(sum(r["loss_after"] for r in rows) / n, 4),
            "mean_loss_drop": round(sum(r["loss_before"] - r["loss_after"] for r in rows) / n,
                                    4),
            "exact_before": sum(r["exact_before"] for r in rows),
            "exact_after": sum(r["exact_after"] for r in rows), "tasks": n,
            "seconds": round(sum(r["seconds"] for r in rows), 2), "per_task": rows}


def compare_presets(args: Any) -> int:
    """`--presets`: both TTT presets on the toy tasks (see the module docstring)."""
    from synth.models.local import TransformersBackend
    from synth.models.tiny import build_tiny_model

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SYNTH_TTT_CACHE"] = str(Path(tmp) / "ttt")
        folder = build_tiny_model(Path(tmp) / "tiny")
        backend = TransformersBackend(ModelSpec("tiny", "transformers", str(folder),
                                                role="transduction", device=args.device))
        rules = list(TOY_RULES.items())[:args.limit or len(TOY_RULES)]
        tasks = [toy_task(name, rule, 3, seed) for seed, (name, rule) in enumerate(rules)]
        n_views = args.views
        result = {"note": TOY_NOTE, "device": args.device, "views": n_views,
                  "train_pairs": 3, "ttt_seconds": args.ttt_seconds,
                  "presets": [preset_figures(backend, tasks, p, n_views, args.ttt_seconds)
                              for p in PRESETS], **stamp()}
    lines = [TOY_NOTE]
    lines += [f"{r['preset']} (rank {r['rank']}, alpha {r['alpha']}, lr {r['lr']:g}, "
              f"{r['epochs']} epochs): loss {r['mean_loss_before']} -> {r['mean_loss_after']} "
              f"(drop {r['mean_loss_drop']}), exact {r['exact_before']}/{r['tasks']} -> "
              f"{r['exact_after']}/{r['tasks']}, {r['seconds']} s" for r in result["presets"]]
    report(result, "\n".join(lines + [stamp_line(result)]), args.json)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    args_parser = parser(__doc__ or "", "augmented views, or with --presets toy tasks "
                                        "(default 8 views, all toy tasks)")
    args_parser.add_argument("--device", default="cpu", choices=("cpu", "cuda", "auto"))
    args_parser.add_argument("--ttt-seconds", type=float, default=60.0)
    args_parser.add_argument("--presets", action="store_true",
                             help="compare the TTT presets on toy tasks (tiny model)")
    args_parser.add_argument("--views", type=int, default=4,
                             help="augmented views per toy task with --presets")
    args = args_parser.parse_args(argv)
    if args.presets:
        return compare_presets(args)
    from synth.models.local import TransformersBackend
    from synth.models.tiny import build_tiny_model

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SYNTH_TTT_CACHE"] = str(Path(tmp) / "ttt")
        folder = build_tiny_model(Path(tmp) / "tiny")
        backend = TransformersBackend(ModelSpec("tiny", "transformers", str(folder),
                                                role="transduction", device=args.device))
        task = load_task_file(TASK).challenge()
        augs = views(task, args.limit or 8, seed=0)
        prompts = [transduction_prompt(forward_challenge(a, task), 0) for a in augs]
        answer = grid_to_text(task.train[0].output) + "\n"
        result = {"task": TASK.name, "device": args.device, "views": len(augs),
                  "answer": answer_figures(backend, prompts, 16),
                  "score": score_figures(backend, prompts, answer),
                  "largest_task": largest_task_tokens(backend),
                  "ttt": [ttt_figures(backend, task, augs, p, args.ttt_seconds)
                          for p in PRESETS], **stamp()}
    lines = [f"answers: {result['answer']['tokens_per_s']} tokens/s, "
             f"{result['answer']['s_per_answer']} s per answer ({len(augs)} views)",
             f"scoring: {result['score']['ms_per_view']} ms per view",
             "largest arc1 task {task}: {characters} characters, {tokens} tokens; one token "
             "per cell: {one_token_per_cell}".format(**result["largest_task"])]
    lines += [f"ttt {r['preset']}: {r['steps']} steps in {r['seconds']} s "
              f"({r['steps_per_s']}/s), loss {r['loss_before']} -> {r['loss_after']}, "
              f"peak RSS {r['peak_rss_mb']} MiB" + (" (cut short)" if r["cut_short"] else "")
              for r in result["ttt"]]
    report(result, "\n".join(lines + [stamp_line(result)]), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
