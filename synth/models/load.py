"""Loading a member of the models file: its backend, or one line saying why it cannot load.

Each backend module is imported only when a member uses it, so the plain install never
imports torch, vllm or an API client. `unavailable` answers "can this member load here?"
without loading anything (for `synth models list`). Where `SYNTH_MODEL_SERVER` holds the base
URL of synth's model server (`synth eval` sets it for its workers), a local member
(transformers, vllm) is reached through that server instead of being loaded: the process
never loads weights.
"""
from __future__ import annotations

import os
from dataclasses import replace

from synth.models.availability import LOCAL_BACKENDS, missing_extra, unavailable
from synth.models.base import Backend, ModelUnavailable
from synth.models.spec import ModelSpec

__all__ = ["LOCAL_BACKENDS", "SERVER_VAR", "load_backend", "missing_extra", "served_spec",
           "unavailable"]

SERVER_VAR = "SYNTH_MODEL_SERVER"


def served_spec(spec: ModelSpec, url: str) -> ModelSpec:
    """The `server` member that reaches a local member through synth's model server at `url`
    (the server knows the member by its name, and holds its adapter)."""
    return replace(spec, backend="server", base_url=url, model=spec.name, api_key_env=None,
                   adapter=None, price_in=0.0, price_out=0.0)


def _served_backend(spec: ModelSpec) -> Backend:
    """An OpenAIBackend for a member synth's model server holds. No disk cache: its key holds
    the server's URL, whose port changes with every run, so an entry would never be read."""
    reason = unavailable(spec)
    if reason is not None:
        raise ModelUnavailable(reason, field=f"model {spec.name}")
    from synth.models.cache import ModelCache
    from synth.models.http import OpenAIBackend

    return OpenAIBackend(spec, cache=ModelCache(None))


def load_backend(spec: ModelSpec) -> Backend:
    """The loaded backend of a member; ModelUnavailable names what is missing. A local member
    goes through synth's model server when `SYNTH_MODEL_SERVER` is set."""
    reason = unavailable(spec)
    if reason is not None:
        raise ModelUnavailable(reason, field=f"model {spec.name}")
    url = os.environ.get(SERVER_VAR)
    if url and spec.backend in LOCAL_BACKENDS:
        return _served_backend(served_spec(spec, url))
    if spec.backend in ("openai", "server"):
        from synth.models.http import OpenAIBackend

        return OpenAIBackend(spec)
    if spec.backend == "anthropic":
        from synth.models.http import AnthropicBackend

        return AnthropicBackend(spec)
    if spec.backend == "gemini":
        from synth.models.http import GeminiBackend

        return GeminiBackend(spec)
    if spec.backend == "transformers":
        from synth.models.local import TransformersBackend

        return TransformersBackend(spec)
    from synth.models.vllm_backend import VLLMBackend

    return VLLMBackend(spec)
