"""The models file (`--models FILE`, TOML): the ensemble's members, one `[[model]]` table each.

```toml
[[model]]
name = "qwen-coder"            # unique; answers are credited to `llm:NAME`
backend = "openai"             # transformers | vllm | openai | anthropic | gemini | server
model = "Qwen/Qwen2.5-Coder-7B-Instruct"   # hub id, local path or API model name
role = "program"               # program (writes DSL) | transduction (writes grids)
weight = 0.2                   # added to every group this member supports
base_url = "http://127.0.0.1:8000/v1"      # HTTP backends
api_key_env = "OPENAI_API_KEY" # the variable holding the key (never the key itself)
temperatures = [0.3, 0.7, 1.0] # a sweep; samples are spread over it
samples = 8                    # per task (`--beam` overrides it)
max_new_tokens = 512
constrained = true             # grammar-constrained decoding where the backend has it
adapter = "adapters/task-lora" # a LoRA adapter (vllm, transformers)
price_in = 0.0                 # USD per million prompt tokens, for the ledger
price_out = 0.0                # USD per million completion tokens
timeout_s = 60.0
device = "auto"                # transformers: auto | cpu | cuda
ttt = "mit"                    # transduction + transformers: per-task LoRA (mit | roadmap)
dfs_threshold = 0.1            # transformers: depth-first decoding keeping every answer of
                               # probability >= 0.1 (at most `samples`) instead of sampling
```
Errors name the file, the member (`model[2]`) and the field, and are bad input (exit 2).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from synth.data.errors import InputError
from synth.models.ttt import PRESETS

BACKENDS: tuple[str, ...] = ("transformers", "vllm", "openai", "anthropic", "gemini", "server")
ROLES: tuple[str, ...] = ("program", "transduction")


@dataclass(frozen=True)
class ModelSpec:
    """One member of the ensemble (see the module docstring for each field)."""

    name: str
    backend: str
    model: str
    role: str = "program"
    weight: float = 1.0
    base_url: str | None = None
    api_key_env: str | None = None
    temperatures: tuple[float, ...] = (0.7,)
    samples: int = 8
    max_new_tokens: int = 512
    constrained: bool = True
    adapter: str | None = None
    price_in: float = 0.0
    price_out: float = 0.0
    timeout_s: float = 60.0
    device: str = "auto"
    ttt: str | None = None
    dfs_threshold: float | None = None


_TYPES: dict[str, type | tuple[type, ...]] = {
    "name": str, "backend": str, "model": str, "role": str, "weight": (int, float),
    "base_url": str, "api_key_env": str, "temperatures": list, "samples": int,
    "max_new_tokens": int, "constrained": bool, "adapter": str, "price_in": (int, float),
    "price_out": (int, float), "timeout_s": (int, float), "device": str, "ttt": str,
    "dfs_threshold": (int, float),
}


def _member(raw: Any, where: str, file: str) -> ModelSpec:
    if not isinstance(raw, dict):
        raise InputError("expected a table", file=file, field=where)
    known = {f.name for f in fields(ModelSpec)}
    for key, value in raw.items():
        if key not in known:
            raise InputError(f"unknown field (known: {', '.join(sorted(known))})", file=file,
                             field=f"{where}.{key}")
        expected = _TYPES[key]
        if isinstance(value, bool) and expected is not bool or not isinstance(value, expected):
            raise InputError(f"expected {getattr(expected, '__name__', 'a number')}, found "
                             f"{value!r}", file=file, field=f"{where}.{key}")
    for key in ("name", "backend", "model"):
        if key not in raw:
            raise InputError("missing field", file=file, field=f"{where}.{key}")
    values = dict(raw)
    if "temperatures" in values:
        temps = values["temperatures"]
        if not temps or not all(isinstance(t, (int, float)) and 0 <= t <= 2 for t in temps):
            raise InputError("expected a non-empty list of numbers in [0, 2]", file=file,
                             field=f"{where}.temperatures")
        values["temperatures"] = tuple(float(t) for t in temps)
    spec = ModelSpec(**values)
    if spec.backend not in BACKENDS:
        raise InputError(f"unknown backend '{spec.backend}' (known: {', '.join(BACKENDS)})",
                         file=file, field=f"{where}.backend")
    if spec.role not in ROLES:
        raise InputError(f"unknown role '{spec.role}' (known: {', '.join(ROLES)})",
                         file=file, field=f"{where}.role")
    if spec.ttt is not None and spec.ttt not in PRESETS:
        raise InputError(f"unknown test-time training preset '{spec.ttt}' (known: "
                         f"{', '.join(PRESETS)})", file=file, field=f"{where}.ttt")
    if spec.dfs_threshold is not None and not 0 < spec.dfs_threshold <= 1:
        raise InputError(f"expected a probability in (0, 1], found {spec.dfs_threshold!r}",
                         file=file, field=f"{where}.dfs_threshold")
    if spec.samples <= 0 or spec.max_new_tokens <= 0 or spec.weight < 0:
        raise InputError("samples and max_new_tokens must be > 0, weight >= 0", file=file,
                         field=where)
    return spec


def load_models_file(path: str | Path) -> tuple[ModelSpec, ...]:
    """The members of a models file; any problem is an InputError naming file and field."""
    file = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such file", file=file, field="--models") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read ({err})", file=file) from None
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"invalid TOML: {err}", file=file) from None
    members = data.get("model")
    if not isinstance(members, list) or not members:
        raise InputError("expected one or more [[model]] tables", file=file, field="model")
    specs = tuple(_member(raw, f"model[{i}]", file) for i, raw in enumerate(members))
    names = [s.name for s in specs]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate is not None:
        raise InputError(f"member name '{duplicate}' is used twice", file=file, field="model")
    return specs
