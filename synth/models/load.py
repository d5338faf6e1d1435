"""Loading a member of the models file: its backend, or one line saying why it cannot load.

Each backend module is imported only when a member uses it, so the plain install never
imports torch, vllm or an API client. `unavailable` answers "can this member load here?"
without loading anything (for `synth models list`). Where `SYNTH_MODEL_SERVER` holds the base
URL of synth's model server (`synth eval` sets it for its workers), a local member
(transformers, vllm) is reached through that server instead of being loaded: the process
never loads weights.
"""
from __future__ import annotations

import importlib.util
import os
from dataclasses import replace
from pathlib import Path

from synth.models.base import Backend, ModelUnavailable
from synth.models.spec import ModelSpec

EXTRA_OF_BACKEND = {"transformers": "neural", "vllm": "gpu", "openai": "api",
                    "anthropic": "api", "gemini": "api", "server": "api"}
PACKAGES_OF_BACKEND = {"transformers": ("torch", "transformers"), "vllm": ("vllm",),
                       "openai": ("openai",), "server": ("openai",),
                       "anthropic": ("anthropic",), "gemini": ("google.genai",)}
LOCAL_BACKENDS = ("transformers", "vllm")
SERVER_VAR = "SYNTH_MODEL_SERVER"


def missing_extra(spec: ModelSpec, package: str) -> ModelUnavailable:
    """The error for a backend whose package is not installed."""
    extra = EXTRA_OF_BACKEND[spec.backend]
    return ModelUnavailable(f"the {spec.backend} backend needs the '{package}' package: "
                            f"pip install 'synth-arc[{extra}]'", field=f"model {spec.name}")


def _installed(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is not None
    except ModuleNotFoundError:
        return False


def unavailable(spec: ModelSpec) -> str | None:
    """Why the member cannot load here (one line), or None when it should."""
    missing = next((p for p in PACKAGES_OF_BACKEND[spec.backend] if not _installed(p)), None)
    if missing is not None:
        return missing_extra(spec, missing).reason
    if spec.backend in LOCAL_BACKENDS:
        path = Path(spec.model).expanduser()
        looks_local = spec.model.startswith((".", "/", "~")) or path.exists()
        if looks_local and not (path / "config.json").is_file():
            return f"no weights at {path} (a folder with config.json is expected)"
        if not looks_local and not hub_cached(spec.model):
            return (f"weights of {spec.model} are not in the local hub cache and cannot be "
                    f"downloaded here; put them in a folder and name its path")
        if spec.adapter and not (Path(spec.adapter).expanduser() / "adapter_config.json"
                                 ).is_file():
            return f"no LoRA adapter at {spec.adapter} (adapter_config.json expected)"
    if spec.api_key_env and not os.environ.get(spec.api_key_env):
        return f"the API key variable {spec.api_key_env} is not set"
    if spec.backend == "server" and not spec.base_url:
        return "a server member needs base_url"
    return None


def hub_cached(model_id: str) -> bool:
    """Whether a hub model's config is in the local Hugging Face cache."""
    if not _installed("huggingface_hub"):
        return False
    from huggingface_hub import try_to_load_from_cache

    return isinstance(try_to_load_from_cache(model_id, "config.json"), str)


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
