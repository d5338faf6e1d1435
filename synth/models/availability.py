"""Whether a member of the models file can load here, without loading it: the packages of
its backend's extra, its weight folder (or local hub cache) and adapter, its API key variable.
`missing_extra` is the one-line error every backend raises for a missing package."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from synth.models.base import ModelUnavailable
from synth.models.spec import ModelSpec

EXTRA_OF_BACKEND = {"transformers": "neural", "vllm": "gpu", "openai": "api",
                    "anthropic": "api", "gemini": "api", "server": "api"}
PACKAGES_OF_BACKEND = {"transformers": ("torch", "transformers"), "vllm": ("vllm",),
                       "openai": ("openai",), "server": ("openai",),
                       "anthropic": ("anthropic",), "gemini": ("google.genai",)}
LOCAL_BACKENDS = ("transformers", "vllm")


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
        problem = weights_problem(spec)
        if problem is not None:
            return problem
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


def local_folder(spec: ModelSpec) -> Path | None:
    """The member's weights folder when `model` names a path (None: a hub id)."""
    path = Path(spec.model).expanduser()
    return path if spec.model.startswith((".", "/", "~")) or path.exists() else None


def weights_problem(spec: ModelSpec) -> str | None:
    """Why a local member's weights (or adapter) cannot be read here, or None."""
    folder = local_folder(spec)
    if folder is not None and not (folder / "config.json").is_file():
        return f"no weights at {folder} (a folder with config.json is expected)"
    if folder is None and not hub_cached(spec.model):
        return (f"weights of {spec.model} are not in the local hub cache and cannot be "
                f"downloaded here; put them in a folder and name its path")
    if spec.adapter and not (Path(spec.adapter).expanduser() / "adapter_config.json").is_file():
        return f"no LoRA adapter at {spec.adapter} (adapter_config.json expected)"
    return None
