"""The decoding grammar: `grammars/decode.lark` with its slots filled from the registry.

A constrained model can then only call real primitives, pass real keyword names and write
real colour names; the result is Lark syntax that llguidance (transformers on CPU, vLLM's
`guidance` structured-output backend) reads, and that Python Lark reads too. Derived, never
hand-copied: a new primitive is in the grammar at once. `grammar_problem` asks llguidance
whether it compiles (the backends call it before decoding).
"""
from __future__ import annotations

from functools import cache

from dsl.parser import COLOR_NAMES
from dsl.registry import Registry
from grammars import grammar_text

# Words the DSL parser never reads as a name (see NAME in dsl.lark).
RESERVED = frozenset({"lambda", "true", "false", "def"})


def _alternatives(words: list[str]) -> str:
    """Longest first, so that no name is cut short by a shorter one that prefixes it."""
    return " | ".join(f'"{w}"' for w in sorted(set(words), key=lambda w: (-len(w), w)))


@cache
def decoding_grammar(registry: Registry) -> str:
    """The decoding grammar for this registry's primitives (cached per registry).

    A primitive named like a colour is left out (the parser reads that word as the colour),
    and so is one named like a reserved word, which the parser cannot call."""
    names = [p.name for p in registry if p.name not in COLOR_NAMES and p.name not in RESERVED]
    keywords = [param.name for p in registry for param in p.params if param.has_default]
    return (grammar_text("decode.lark")
            .replace("%PRIMITIVES%", _alternatives(names))
            .replace("%KEYWORDS%", _alternatives(keywords or ["connect"]))
            .replace("%COLORS%", _alternatives(list(COLOR_NAMES))))


def grammar_problem(grammar: str) -> str | None:
    """llguidance's error for a Lark grammar (one line), or None when it compiles.
    Needs the `llguidance` package (the `neural` extra)."""
    from llguidance import LLMatcher

    is_error, messages = LLMatcher.validate_grammar_with_warnings(
        LLMatcher.grammar_from_lark(grammar))
    if is_error:
        return " ".join(" ".join(messages).split())
    return None
