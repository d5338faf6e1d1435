"""VLLMBackend, REQUEST-SHAPE TESTS ONLY: vLLM cannot run on this machine (no GPU), so each test
injects a small stand-in `vllm` package into `sys.modules` that records the objects the backend
builds (engine options, SamplingParams, StructuredOutputsParams, LoRARequest, prompts) and
answers with canned outputs. They check what synth asks vLLM for, not what vLLM does."""
from __future__ import annotations

import json
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from synth.models.base import GenerateParams, ModelError, ModelUnavailable
from synth.models.spec import ModelSpec
from synth.models.vllm_backend import VLLMBackend, lora_rank


@dataclass
class Record:
    """What the stand-in engine received."""

    options: dict[str, Any] = field(default_factory=dict)
    calls: list[tuple[Any, Any, Any]] = field(default_factory=list)


class FakeSamplingParams:
    """Keeps its keyword arguments as attributes (vLLM's fields have the same names)."""

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        for key, value in kwargs.items():
            setattr(self, key, value)


class FakeStructuredOutputsParams:
    def __init__(self, grammar: str | None = None, **kwargs: Any) -> None:
        self.grammar = grammar
        self.kwargs = kwargs


class FakeLoRARequest:
    def __init__(self, lora_name: str, lora_int_id: int, lora_path: str) -> None:
        self.lora_name, self.lora_int_id, self.lora_path = lora_name, lora_int_id, lora_path


class CharTokenizer:
    """One token per character; a BOS id 1 when special tokens are added."""

    def encode(self, text: str, add_special_tokens: bool = True) -> list[int]:
        return ([1] if add_special_tokens else []) + [ord(c) for c in text]


def fake_vllm(record: Record, fail: Exception | None = None) -> dict[str, types.ModuleType]:
    """The stand-in `vllm`, `vllm.sampling_params`, `vllm.lora` and `vllm.lora.request`."""

    class LLM:
        def __init__(self, **options: Any) -> None:
            record.options = options

        def get_tokenizer(self) -> CharTokenizer:
            return CharTokenizer()

        def generate(self, prompts: list[Any], sampling: Any, *, lora_request: Any = None,
                     use_tqdm: bool = True) -> list[Any]:
            record.calls.append((prompts, sampling, lora_request))
            if fail is not None:
                raise fail
            if getattr(sampling, "prompt_logprobs", None):
                return [_scored(p["prompt_token_ids"]) for p in prompts]
            return [types.SimpleNamespace(
                prompt_token_ids=[1] * len(p),
                outputs=[types.SimpleNamespace(text=f"{p}#{k}", token_ids=[7] * (k + 2),
                                               cumulative_logprob=-0.5 * (k + 1))
                         for k in range(sampling.n)]) for p in prompts]

    vllm = types.ModuleType("vllm")
    vllm.LLM, vllm.SamplingParams = LLM, FakeSamplingParams
    sampling_params = types.ModuleType("vllm.sampling_params")
    sampling_params.SamplingParams = FakeSamplingParams
    sampling_params.StructuredOutputsParams = FakeStructuredOutputsParams
    lora = types.ModuleType("vllm.lora")
    request = types.ModuleType("vllm.lora.request")
    request.LoRARequest = FakeLoRARequest
    return {"vllm": vllm, "vllm.sampling_params": sampling_params, "vllm.lora": lora,
            "vllm.lora.request": request}


def _scored(ids: list[int]) -> Any:
    """Prompt log-probabilities: token at position i has -i/100 (None for the first)."""
    entries = [None] + [{tok: types.SimpleNamespace(logprob=-i / 100), -1: None}
                        for i, tok in enumerate(ids) if i > 0]
    return types.SimpleNamespace(prompt_token_ids=ids, prompt_logprobs=entries, outputs=[])


@pytest.fixture
def record(monkeypatch: pytest.MonkeyPatch) -> Record:
    found = Record()
    for name, module in fake_vllm(found).items():
        monkeypatch.setitem(sys.modules, name, module)
    return found


@pytest.fixture
def adapter(tmp_path: Path) -> Path:
    folder = tmp_path / "task-lora"
    folder.mkdir()
    (folder / "adapter_config.json").write_text(json.dumps({"r": 48}))
    return folder


def test_request_shape_engine_sampling_grammar_and_lora(record: Record, adapter: Path) -> None:
    spec = ModelSpec("qwen", "vllm", "/weights/qwen", adapter=str(adapter))
    backend = VLLMBackend(spec, seed=5)
    assert record.options == {"model": "/weights/qwen", "enable_prefix_caching": True,
                              "enable_lora": True, "seed": 5, "max_lora_rank": 64,
                              "structured_outputs_config": {"backend": "guidance"}}
    params = GenerateParams(n=3, temperature=0.4, max_new_tokens=50, stop=("\n\n",),
                            grammar='start: "x"', seed=11)
    results = backend.generate(["p1", "p2"], params)
    (prompts, sampling, lora), = record.calls
    assert prompts == ["p1", "p2"], "all prompts in one engine call"
    assert sampling.kwargs == {"n": 3, "temperature": 0.4, "max_tokens": 50, "stop": ["\n\n"],
                               "seed": 11, "logprobs": 1,
                               "structured_outputs": sampling.structured_outputs}
    assert isinstance(sampling.structured_outputs, FakeStructuredOutputsParams)
    assert sampling.structured_outputs.grammar == 'start: "x"'
    assert (lora.lora_name, lora.lora_int_id, lora.lora_path) == ("qwen-adapter", 1,
                                                                  str(adapter))
    assert [[s.text for s in r] for r in results] == [["p1#0", "p1#1", "p1#2"],
                                                      ["p2#0", "p2#1", "p2#2"]]
    assert results[0][1].logprob == -1.0 and results[0][1].tokens == 3
    assert backend.usage.requests == 2 and backend.usage.completion_tokens == 2 * (2 + 3 + 4)


def test_request_shape_without_grammar_or_adapter(record: Record) -> None:
    backend = VLLMBackend(ModelSpec("plain", "vllm", "org/model"))
    assert record.options["enable_lora"] is False and "max_lora_rank" not in record.options
    backend.generate(["p"], GenerateParams(n=1, stop=()))
    (_, sampling, lora), = record.calls
    assert sampling.structured_outputs is None and sampling.stop is None and lora is None


def test_request_shape_of_scores(record: Record) -> None:
    backend = VLLMBackend(ModelSpec("plain", "vllm", "org/model"))
    scores = backend.score("ab", ["c", "de"])
    (requests, sampling, _), = record.calls
    assert [r["prompt_token_ids"] for r in requests] == [[1, 97, 98, 99],
                                                         [1, 97, 98, 100, 101]]
    assert sampling.kwargs == {"max_tokens": 1, "temperature": 0.0, "prompt_logprobs": 1}
    assert scores == pytest.approx([-0.03, -0.03 - 0.04]), "continuation positions only"


def test_engine_errors_are_one_line_model_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, module in fake_vllm(Record(), fail=ValueError("grammar is bad\nat line 3")).items():
        monkeypatch.setitem(sys.modules, name, module)
    backend = VLLMBackend(ModelSpec("plain", "vllm", "org/model"))
    with pytest.raises(ModelError, match="plain: vLLM failed: grammar is bad$"):
        backend.generate(["p"], GenerateParams())


def test_missing_vllm_names_the_gpu_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "vllm", None)
    with pytest.raises(ModelUnavailable, match=r"pip install 'synth-arc\[gpu\]'"):
        VLLMBackend(ModelSpec("qwen", "vllm", "org/model"))


def test_lora_rank_rounds_up_to_a_supported_rank(tmp_path: Path) -> None:
    (tmp_path / "adapter_config.json").write_text(json.dumps({"r": 8}))
    assert lora_rank(tmp_path) == 8
    (tmp_path / "adapter_config.json").write_text(json.dumps({"r": 100}))
    assert lora_rank(tmp_path) == 128
    assert lora_rank(tmp_path / "missing") == 16


def test_request_shape_of_per_task_adapters(record: Record, adapter: Path, tmp_path: Path
                                            ) -> None:
    """A `ttt` member gets LoRA at its preset's rank; `use_adapter` sends each task adapter
    as its own LoRARequest (a stable id per folder) without a new engine, and None goes back
    to the member's own adapter."""
    backend = VLLMBackend(ModelSpec("qwen", "vllm", "/w", adapter=str(adapter), ttt="mit"))
    assert record.options["enable_lora"] is True and record.options["max_lora_rank"] == 128
    engine = backend.llm
    task_a, task_b = str(tmp_path / "a"), str(tmp_path / "b")
    for path in (task_a, task_b, task_a, None):
        backend.use_adapter(path)
        backend.generate(["p"], GenerateParams())
    sent = [(lora.lora_name, lora.lora_int_id, lora.lora_path) for _, _, lora in record.calls]
    assert sent == [("qwen-a", 2, task_a), ("qwen-b", 3, task_b), ("qwen-a", 2, task_a),
                    ("qwen-adapter", 1, str(adapter))]
    assert backend.llm is engine
    VLLMBackend(ModelSpec("t", "vllm", "/w", ttt="roadmap"))
    assert record.options["enable_lora"] is True and record.options["max_lora_rank"] == 64
