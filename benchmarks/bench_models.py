"""Time the transformers backend on the tiny random model (CPU): free vs grammar-constrained
sampling, llguidance's share, and what the llm proposer spends on each sample.

The model is built here (`synth.models.tiny.build_tiny_model`, a random Llama with a DSL
tokenizer; nothing is downloaded), so the figures measure the machinery, not a model: how
many samples are programs the DSL parser reads (free sampling from a random model: almost
none; constrained: all), samples/s and ms per generated token for both, llguidance's mask
time per masked token, the completion search, and `synth.proposers.llm.program_candidate`
(parse, type-check, run on the task's inputs) per sample. `--prompt task` (the default) is
the proposer's own prompt for `examples/3c9b0459.json` (DSL reference and task, ~8000 tokens
of the tiny tokenizer: the key/value cache then dominates every step); `--prompt short` is
its last line alone, where the model costs least and the grammar's share shows most.

    python benchmarks/bench_models.py --json runs/bench_models.json
    python benchmarks/bench_models.py --prompt short --json runs/bench_models_short.json
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`
from benchmarks.common import parser, report, stamp, stamp_line  # noqa: E402  (first)

import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from typing import Any  # noqa: E402

from dsl.errors import DSLError, DSLParseError, DSLTypeError  # noqa: E402
from dsl.parser import parse_program  # noqa: E402
from dsl.registry import default_registry  # noqa: E402
from synth.data.task import Challenge, load_task_file  # noqa: E402
from synth.models.base import GenerateParams, Sample  # noqa: E402
from synth.models.grammar import decoding_grammar  # noqa: E402
from synth.models.prompts import dsl_reference, extract_program, program_prompt  # noqa: E402
from synth.models.spec import ModelSpec  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TASK = REPO / "examples" / "3c9b0459.json"


def _parses(text: str) -> bool:
    try:
        parse_program(extract_program(text))
    except DSLParseError:
        return False
    return True


def _outcome(result: Any) -> str:
    if not isinstance(result, DSLError):
        return "candidate"
    if isinstance(result, DSLParseError):
        return "parse_error"
    return "type_error" if isinstance(result, DSLTypeError) else "run_error"


def proposer_overhead(samples: Sequence[Sample], task: Challenge) -> dict[str, Any]:
    """`program_candidate` on every sample: ms per sample and what each one became."""
    from synth.proposers.llm import program_candidate

    program_candidate(samples[0].text, task, "llm:tiny", "warm-up", 1.0)  # first-use costs
    outcomes: Counter[str] = Counter()
    start = time.perf_counter()
    for sample in samples:
        outcomes[_outcome(program_candidate(sample.text, task, "llm:tiny", "bench", 1.0))] += 1
    seconds = time.perf_counter() - start
    return {"ms_per_sample": 1000 * seconds / len(samples), "outcomes": dict(outcomes)}


def sampling(backend: Any, prompt: str, params: GenerateParams, task: Challenge
             ) -> dict[str, Any]:
    """One generate call of `params.n` samples: validity, speed, llguidance's share."""
    decoder = backend.grammar_decoder() if params.grammar else None
    before = dict(decoder.stats) if decoder else {}
    start = time.perf_counter()
    (samples,) = backend.generate([prompt], params)
    seconds = time.perf_counter() - start
    tokens = sum(s.tokens for s in samples)
    out: dict[str, Any] = {
        "samples": len(samples), "valid": sum(_parses(s.text) for s in samples) / len(samples),
        "seconds": seconds, "samples_per_s": len(samples) / seconds, "tokens": tokens,
        "ms_per_token": 1000 * seconds / tokens,
        "mean_tokens": tokens / len(samples),
        "proposer": proposer_overhead(samples, task),
    }
    if decoder is not None:
        delta = {k: decoder.stats[k] - before[k] for k in before}
        out["masked_tokens"] = delta["masks"]
        out["mask_ms_per_token"] = 1000 * delta["mask_s"] / max(delta["masks"], 1)
        out["mask_share"] = delta["mask_s"] / seconds
        out["completion_searches"] = delta["searches"]
        out["search_ms_per_call"] = 1000 * delta["search_s"] / max(delta["searches"], 1)
        out["search_share"] = delta["search_s"] / seconds
        out["forced_completions"] = delta["forced_completions"]
        out["unfinished"] = delta["unfinished"]
    return out


def measure(samples: int, max_new_tokens: int, seed: int, prompt_kind: str = "task"
            ) -> dict[str, Any]:
    """The benchmark figures as a JSON-ready dict."""
    import torch

    from synth.models.local import TransformersBackend
    from synth.models.tiny import TinyConfig, build_tiny_model

    torch.set_num_threads(1)
    task = load_task_file(TASK).challenge()
    prompt = program_prompt(task, dsl_reference(default_registry()), [])
    if prompt_kind == "short":
        prompt = prompt.splitlines(keepends=True)[-1]
    grammar = decoding_grammar(default_registry())
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        folder = build_tiny_model(Path(tmp) / "tiny", TinyConfig(seed=seed))
        build_s = time.perf_counter() - start
        start = time.perf_counter()
        backend = TransformersBackend(ModelSpec("tiny", "transformers", str(folder),
                                                device="cpu"))
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        backend.grammar_decoder().matcher(grammar)
        grammar_setup_s = time.perf_counter() - start
        prompt_tokens = len(backend.tokenizer(prompt).input_ids)
        common = {"n": samples, "temperature": 1.0, "max_new_tokens": max_new_tokens,
                  "seed": seed}
        free = sampling(backend, prompt, GenerateParams(**common), task)
        constrained = sampling(backend, prompt, GenerateParams(**common, grammar=grammar), task)
        parameters = sum(p.numel() for p in backend.model.parameters())
    return {"model": {"parameters": parameters, "vocab": len(backend.tokenizer),
                      "build_s": build_s, "load_s": load_s},
            "grammar_setup_s": grammar_setup_s, "prompt": prompt_kind,
            "prompt_tokens": prompt_tokens,
            "samples": samples, "max_new_tokens": max_new_tokens, "seed": seed,
            "unconstrained": free, "constrained": constrained, **stamp()}


def table(result: dict[str, Any]) -> str:
    """A readable summary."""
    lines = [f"tiny random Llama ({result['model']['parameters']:,} parameters, vocab "
             f"{result['model']['vocab']}) on CPU; {result['prompt']} prompt, "
             f"{result['prompt_tokens']} tokens; "
             f"{result['samples']} samples, max_new_tokens {result['max_new_tokens']}",
             f"{'':14} {'valid':>6} {'samples/s':>10} {'ms/token':>9} {'tokens':>7} "
             f"{'proposer ms/sample':>19}"]
    for name in ("unconstrained", "constrained"):
        row = result[name]
        lines.append(f"{name:14} {row['valid']:6.1%} {row['samples_per_s']:10.1f} "
                     f"{row['ms_per_token']:9.3f} {row['mean_tokens']:7.1f} "
                     f"{row['proposer']['ms_per_sample']:19.3f}")
    con = result["constrained"]
    lines += [
        f"llguidance mask: {con['mask_ms_per_token']:.3f} ms per masked token "
        f"({con['mask_share']:.0%} of constrained time); grammar setup "
        f"{result['grammar_setup_s']:.2f} s",
        f"completion search: {con['completion_searches']} calls, "
        f"{con['search_ms_per_call']:.3f} ms each ({con['search_share']:.0%}); forced "
        f"completions {con['forced_completions']}, unfinished {con['unfinished']}",
        f"proposer outcomes (constrained): {con['proposer']['outcomes']}",
        stamp_line(result)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the summary and optionally write JSON."""
    args_parser = parser(__doc__, "not used by this benchmark")
    args_parser.add_argument("--samples", type=int, default=200)
    args_parser.add_argument("--max-new-tokens", type=int, default=64)
    args_parser.add_argument("--seed", type=int, default=0)
    args_parser.add_argument("--prompt", choices=("task", "short"), default="task")
    args = args_parser.parse_args(argv)
    result = measure(args.samples, args.max_new_tokens, args.seed, args.prompt)
    report(result, table(result), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
