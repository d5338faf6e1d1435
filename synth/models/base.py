"""The model layer's one protocol: a backend generates samples and scores continuations.

Every backend (local transformers, vLLM, HTTP APIs, synth's own model server) implements
`Backend`: `generate` returns, per prompt, `n` samples each with its text, the summed token
log-probability (None where the backend cannot say) and the tokens it used; `score` returns
the log-probability of each continuation after a prompt. A backend that cannot start (a
missing extra, weight file, API key or server) raises `ModelUnavailable`, whose message names
what is missing in one line.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from synth.data.errors import InputError


class ModelUnavailable(InputError):
    """A model cannot be used here: the message names the missing extra, weights, key or
    server (`pip install 'synth-arc[neural]'`, the path, the variable, the URL)."""


class ModelError(Exception):
    """A request failed while running (retries exhausted, a malformed answer, a server that
    went away); the message is one line and never holds an API key. The caller skips that
    request and goes on."""


@dataclass(frozen=True)
class Sample:
    """One generated continuation."""

    text: str
    logprob: float | None = None
    tokens: int = 0


@dataclass(frozen=True)
class GenerateParams:
    """How to sample: `n` per prompt, temperature, length, stop strings, an optional Lark
    grammar the output must follow (constrained decoding), and the seed. With
    `dfs_threshold` set, a backend that supports it (transformers) decodes depth-first
    instead (`synth.models.dfs`): every complete sequence of probability >= the threshold,
    at most `n`, most probable first (temperature and seed do not matter then)."""

    n: int = 1
    temperature: float = 0.7
    max_new_tokens: int = 512
    stop: tuple[str, ...] = ()
    grammar: str | None = None
    seed: int = 0
    dfs_threshold: float | None = None

    def key(self) -> dict[str, Any]:
        """The parameters as a JSON-able mapping (part of a cache key)."""
        return {"n": self.n, "temperature": self.temperature,
                "max_new_tokens": self.max_new_tokens, "stop": list(self.stop),
                "grammar": self.grammar, "seed": self.seed,
                **({"dfs_threshold": self.dfs_threshold} if self.dfs_threshold else {})}


@dataclass
class Usage:
    """Tokens and money a backend spent in this process (the per-run ledger)."""

    requests: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    by_model: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, model: str, prompt_tokens: int, completion_tokens: int, cost: float) -> None:
        """Count one request."""
        self.requests += 1
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens
        self.cost_usd += cost
        row = self.by_model.setdefault(model, {"requests": 0, "prompt_tokens": 0,
                                               "completion_tokens": 0, "cost_usd": 0.0})
        row["requests"] += 1
        row["prompt_tokens"] += prompt_tokens
        row["completion_tokens"] += completion_tokens
        row["cost_usd"] += cost

    def as_dict(self) -> dict[str, Any]:
        """JSON-able totals."""
        return {"requests": self.requests, "cached": self.cached,
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens,
                "cost_usd": round(self.cost_usd, 6), "by_model": self.by_model}


@cache
def process_usage() -> Usage:
    """The ledger every backend of this process also adds to (all members together); each
    backend's own `usage` keeps its share."""
    return Usage()


class Backend(Protocol):
    """A loaded model."""

    name: str
    usage: Usage

    def generate(self, prompts: Sequence[str], params: GenerateParams) -> list[list[Sample]]:
        """`params.n` samples for each prompt, in prompt order."""
        ...

    def score(self, prompt: str, continuations: Sequence[str]) -> list[float]:
        """Summed token log-probability of each continuation after the prompt."""
        ...
