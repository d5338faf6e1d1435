"""The transformers backend on the tiny random model: samples, seeds, stop strings, scores,
LoRA adapters, constrained decoding that always gives a program, and clear load errors."""
from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("llguidance")

from dsl.parser import parse_program  # noqa: E402
from dsl.registry import default_registry  # noqa: E402
from synth.models.base import GenerateParams, ModelUnavailable  # noqa: E402
from synth.models.grammar import decoding_grammar  # noqa: E402
from synth.models.local import TransformersBackend  # noqa: E402
from synth.models.spec import ModelSpec  # noqa: E402

PROMPTS = ["Task:\ninput:\n12\n34\noutput:\n21\n43\nA program that solves it:\n",
           "A program:\n"]
FIXED = "solve(I: Grid) -> Grid:\n    O = rot90(I)\n"


def spec(folder: Path | str, **fields: object) -> ModelSpec:
    return ModelSpec("tiny", "transformers", str(folder), device="cpu", **fields)


@pytest.fixture(scope="module")
def backend(tiny_model_dir: Path) -> TransformersBackend:
    return TransformersBackend(spec(tiny_model_dir))


def manual_logprobs(backend: TransformersBackend, ids: list[int]) -> torch.Tensor:
    """log-softmax of the model's next-token logits at every position of one sequence."""
    with torch.inference_mode():
        logits = backend.model(input_ids=torch.tensor([ids])).logits[0].float()
    return torch.log_softmax(logits, dim=-1)


def test_generate_gives_n_samples_per_prompt_with_logprobs_and_tokens(backend) -> None:
    before = backend.usage.requests
    out = backend.generate(PROMPTS, GenerateParams(n=3, temperature=1.0, max_new_tokens=12))
    assert [len(samples) for samples in out] == [3, 3]
    flat = [s for samples in out for s in samples]
    assert all(1 <= s.tokens <= 12 and math.isfinite(s.logprob) and s.logprob < 0
               for s in flat)
    assert backend.usage.requests == before + 2
    assert backend.usage.cost_usd == 0.0


def test_the_same_seed_gives_the_same_samples(backend) -> None:
    params = GenerateParams(n=4, temperature=1.0, max_new_tokens=16, seed=7)
    first = backend.generate(PROMPTS, params)
    assert backend.generate(PROMPTS, params) == first
    other = backend.generate(PROMPTS, GenerateParams(n=4, temperature=1.0, max_new_tokens=16,
                                                     seed=8))
    assert other != first


def test_greedy_logprob_is_the_models_own(backend) -> None:
    """Temperature 0 picks the argmax at each step; the summed log-probability matches a
    plain forward pass (batched prompts of different lengths: left padding, the cache)."""
    out = backend.generate(PROMPTS, GenerateParams(n=2, temperature=0.0, max_new_tokens=3))
    for prompt, (a, b) in zip(PROMPTS, out):
        assert a == b
        ids = backend.tokenizer(prompt).input_ids
        total = 0.0
        for _ in range(a.tokens):
            logp = manual_logprobs(backend, ids)[-1]
            token = int(logp.argmax())
            total += float(logp[token])
            ids.append(token)
        assert a.logprob == pytest.approx(total, abs=1e-4)


def test_stop_strings_cut_the_text(backend) -> None:
    grammar = f'start: "{FIXED.encode("unicode_escape").decode()}"'
    full = backend.generate([PROMPTS[1]], GenerateParams(n=1, max_new_tokens=64,
                                                         grammar=grammar))[0][0]
    assert full.text == FIXED
    (cut,) = backend.generate([PROMPTS[1]], GenerateParams(n=1, max_new_tokens=64,
                                                           grammar=grammar, stop=("Grid",)))[0]
    assert cut.text == "solve(I: "
    assert cut.tokens < full.tokens


def test_score_is_the_sum_of_the_continuations_token_logprobs(backend) -> None:
    prompt = PROMPTS[0]
    continuations = [FIXED, "    O = I\n", "x", ""]
    scores = backend.score(prompt, continuations)
    head = backend.tokenizer(prompt).input_ids
    for text, got in zip(continuations, scores):
        tail = backend.tokenizer(text, add_special_tokens=False).input_ids
        logp = manual_logprobs(backend, head + tail)
        want = sum(float(logp[len(head) - 1 + i, t]) for i, t in enumerate(tail))
        assert got == pytest.approx(want, abs=1e-4)
    assert scores[-1] == 0.0


def test_constrained_samples_are_all_programs(backend) -> None:
    """200 samples under the DSL grammar with a short token limit: every one parses, the
    ones that would have run out of tokens are completed within the limit."""
    grammar = decoding_grammar(default_registry())
    stats = backend.grammar_decoder().stats
    unfinished_before = stats["unfinished"]
    params = GenerateParams(n=100, temperature=1.0, max_new_tokens=48, grammar=grammar,
                            seed=3)
    samples = [s for per_prompt in backend.generate(PROMPTS, params) for s in per_prompt]
    assert len(samples) == 200
    for sample in samples:
        parse_program(sample.text)
        assert sample.text.startswith("solve(I: Grid) -> Grid:\n")
        assert sample.tokens <= 48
    assert stats["unfinished"] == unfinished_before
    assert len({s.text for s in samples}) > 150


def test_a_lora_adapter_is_merged_in(backend, tiny_model_dir: Path, tmp_path: Path) -> None:
    peft = pytest.importorskip("peft")
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir, local_files_only=True)
    torch.manual_seed(0)
    config = peft.LoraConfig(r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    peft.get_peft_model(base, config).save_pretrained(tmp_path / "adapter")
    tuned = TransformersBackend(spec(tiny_model_dir, adapter=str(tmp_path / "adapter")))
    assert tuned.score(PROMPTS[0], [FIXED]) != pytest.approx(backend.score(PROMPTS[0], [FIXED]))


def test_a_missing_folder_is_unavailable_naming_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelUnavailable, match="no-such-model"):
        TransformersBackend(spec(missing))


def test_a_hub_id_outside_the_local_cache_is_never_downloaded() -> None:
    with pytest.raises(ModelUnavailable, match="no-such-org/no-such-model"):
        TransformersBackend(spec("no-such-org/no-such-model"))


def test_a_missing_extra_is_named(tiny_model_dir: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(ModelUnavailable, match=r"synth-arc\[neural\]"):
        TransformersBackend(spec(tiny_model_dir))
