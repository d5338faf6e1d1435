"""The vllm backend: a local model in vLLM's offline engine, on a GPU
(`pip install 'synth-arc[gpu]'`).

- The engine: `vllm.LLM(model, enable_prefix_caching=True, enable_lora=..., seed=...)`. Every
  sample of a task shares one long prompt (the DSL reference, worked examples, the task), which
  prefix caching computes once.
- Sampling: `SamplingParams(n, temperature, max_tokens, stop, seed, logprobs=1)`; a sample's
  summed log-probability is vLLM's `cumulative_logprob`.
- Constrained decoding: `structured_outputs=StructuredOutputsParams(grammar=...)` with the Lark
  decoding grammar (`synth.models.grammar`), read by vLLM's `guidance` structured-output
  backend (vLLM 0.12 removed the old `guided_*` fields).
- A LoRA adapter (`adapter` in the models file): one `LoRARequest(name, id, path)` passed to
  every `generate`. `use_adapter(path)` switches to another adapter folder (a per-task one
  from test-time training, served by synth's model server) without reloading the base: each
  folder gets its own `LoRARequest` id, and LoRA is enabled (at the rank of the member's `ttt`
  preset) for every member with `adapter` or `ttt` set.
- Scores: the prompt's and the continuation's token ids go in as one prompt with
  `prompt_logprobs`, and the continuation's token log-probabilities are summed.

Usually loaded once by synth's model server (`synth.models.server`), which batches the
requests of every `synth eval` worker into few `generate` calls.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from synth.models.base import GenerateParams, ModelError, ModelUnavailable, Sample, Usage
from synth.models.spec import ModelSpec
from synth.models.ttt import PRESETS

LORA_RANKS = (8, 16, 32, 64, 128, 256, 320, 512)
LORA_ID = 1
STRUCTURED_BACKEND = "guidance"


def first_line(err: Exception) -> str:
    """The first line of an error's message, or its type's name when it has none."""
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def lora_rank(adapter: Path) -> int:
    """The smallest LoRA rank vLLM supports that holds the adapter's rank (`r`)."""
    try:
        rank = int(json.loads((adapter / "adapter_config.json").read_text()).get("r", 16))
    except (OSError, ValueError, TypeError, AttributeError):
        rank = 16
    return next((r for r in LORA_RANKS if r >= rank), LORA_RANKS[-1])


class VLLMBackend:
    """A member whose model runs in this process's vLLM engine."""

    def __init__(self, spec: ModelSpec, seed: int = 0) -> None:
        try:
            import vllm
            from vllm.lora.request import LoRARequest
            from vllm.sampling_params import StructuredOutputsParams
        except ImportError:
            raise ModelUnavailable("the vllm backend needs the 'vllm' package: "
                                   "pip install 'synth-arc[gpu]'",
                                   field=f"model {spec.name}") from None
        self.spec, self.name, self.usage = spec, spec.name, Usage()
        self._sampling_params = vllm.SamplingParams
        self._structured = StructuredOutputsParams
        adapter = Path(spec.adapter).expanduser() if spec.adapter else None
        lora = adapter is not None or spec.ttt is not None
        options: dict[str, Any] = {"model": spec.model, "enable_prefix_caching": True,
                                   "enable_lora": lora, "seed": seed,
                                   "structured_outputs_config": {"backend": STRUCTURED_BACKEND}}
        if lora:
            ranks = [lora_rank(adapter)] if adapter is not None else []
            ranks += [PRESETS[spec.ttt].rank] if spec.ttt is not None else []
            options["max_lora_rank"] = next(r for r in LORA_RANKS if r >= max(ranks))
        try:
            self.llm = vllm.LLM(**options)
        except (RuntimeError, ValueError, OSError) as err:
            raise ModelUnavailable(f"vLLM could not load {spec.model}: {first_line(err)}",
                                   field=f"model {spec.name}") from None
        self._lora_request = LoRARequest
        self.base_lora = (LoRARequest(f"{spec.name}-adapter", LORA_ID, str(adapter))
                          if adapter is not None else None)
        self.lora = self.base_lora
        self._lora_ids: dict[str, int] = {}

    def use_adapter(self, path: str | None) -> None:
        """Answer with the LoRA adapter folder `path` from now on (None: the member's own
        adapter, if any); each folder keeps one request id, so vLLM loads it once."""
        if path is None:
            self.lora = self.base_lora
            return
        lora_id = self._lora_ids.setdefault(path, LORA_ID + 1 + len(self._lora_ids))
        self.lora = self._lora_request(f"{self.name}-{Path(path).name}", lora_id, path)

    def sampling(self, params: GenerateParams) -> Any:
        """vLLM's SamplingParams for synth's GenerateParams."""
        structured = (self._structured(grammar=params.grammar)
                      if params.grammar is not None else None)
        return self._sampling_params(n=params.n, temperature=params.temperature,
                                     max_tokens=params.max_new_tokens,
                                     stop=list(params.stop) or None, seed=params.seed,
                                     logprobs=1, structured_outputs=structured)

    def _run(self, prompts: list[Any], sampling: Any) -> list[Any]:
        try:
            return self.llm.generate(prompts, sampling, lora_request=self.lora, use_tqdm=False)
        except (RuntimeError, ValueError) as err:
            raise ModelError(f"{self.name}: vLLM failed: {first_line(err)}") from None

    def generate(self, prompts: Sequence[str], params: GenerateParams) -> list[list[Sample]]:
        """`params.n` samples per prompt, in one engine call for all prompts."""
        outputs = self._run(list(prompts), self.sampling(params))
        results = []
        for output in outputs:
            samples = [Sample(c.text, c.cumulative_logprob, len(c.token_ids))
                       for c in output.outputs]
            self.usage.add(self.spec.model, len(output.prompt_token_ids or ()),
                           sum(s.tokens for s in samples), 0.0)
            results.append(samples)
        return results

    def score(self, prompt: str, continuations: Sequence[str]) -> list[float]:
        """Summed log-probability of each continuation's tokens after the prompt's tokens."""
        tokenizer = self.llm.get_tokenizer()
        head = list(tokenizer.encode(prompt))
        requests = [{"prompt_token_ids": head + list(tokenizer.encode(c,
                                                                      add_special_tokens=False))}
                    for c in continuations]
        outputs = self._run(requests, self._sampling_params(max_tokens=1, temperature=0.0,
                                                            prompt_logprobs=1))
        scores = []
        for request, output in zip(requests, outputs):
            ids = request["prompt_token_ids"]
            total = 0.0
            for position in range(max(1, len(head)), len(ids)):
                total += output.prompt_logprobs[position][ids[position]].logprob
            self.usage.add(self.spec.model, len(ids), 0, 0.0)
            scores.append(total)
        return scores
