"""The decoding grammar: `grammars/decode.lark` with its slots filled from the registry.

A constrained model can then only call real primitives, pass real keyword names and write
real colour names; the result is Lark syntax that llguidance (transformers on CPU, vLLM's
`guidance` structured-output backend) reads. Derived, never hand-copied: a new primitive is
in the grammar at once.
"""
from __future__ import annotations

from functools import cache

from dsl.parser import COLOR_NAMES
from dsl.registry import Registry
from grammars import grammar_text


def _alternatives(words: list[str]) -> str:
    """Longest first, so that no name is cut short by a shorter one that prefixes it."""
    return " | ".join(f'"{w}"' for w in sorted(set(words), key=lambda w: (-len(w), w)))


@cache
def decoding_grammar(registry: Registry) -> str:
    """The decoding grammar for this registry's primitives (cached per registry)."""
    names = [p.name for p in registry]
    keywords = [param.name for p in registry for param in p.params if param.has_default]
    return (grammar_text("decode.lark")
            .replace("%PRIMITIVES%", _alternatives(names))
            .replace("%KEYWORDS%", _alternatives(keywords or ["connect"]))
            .replace("%COLORS%", _alternatives(list(COLOR_NAMES))))
