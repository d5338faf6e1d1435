"""Time the transduction machinery on the tiny random model: answer tokens/s, scoring across
views, and test-time training steps/s and peak memory, for both TTT presets.

The model is built here (`synth.models.tiny.build_tiny_model`; nothing is downloaded), so the
figures measure the machinery on this machine, not answer quality. The task is
`examples/3c9b0459.json`. `--device cuda` runs the same on a GPU where one is lent.

    python benchmarks/bench_transduction.py --json runs/bench_transduction.json
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
from typing import Any  # noqa: E402

from synth.data.augment import forward_challenge, views  # noqa: E402
from synth.data.task import load_task_file  # noqa: E402
from synth.models.base import GenerateParams  # noqa: E402
from synth.models.gridtext import grid_to_text  # noqa: E402
from synth.models.prompts import transduction_prompt  # noqa: E402
from synth.models.spec import ModelSpec  # noqa: E402
from synth.models.ttt import PRESETS, leave_one_out, tuned  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TASK = REPO / "examples" / "3c9b0459.json"


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


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    args_parser = parser(__doc__ or "", "augmented views (default 8)")
    args_parser.add_argument("--device", default="cpu", choices=("cpu", "cuda", "auto"))
    args_parser.add_argument("--ttt-seconds", type=float, default=60.0)
    args = args_parser.parse_args(argv)
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
