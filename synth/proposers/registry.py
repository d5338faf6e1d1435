"""Proposers by name, and the stage plan that orders them.

`PROPOSERS` is the single list of the proposers a solve can run: each entry has a name, its
default share of the remaining budget, a builder from `SearchOptions` and a doc line. A stage
plan is text such as `library,enumerative:0.5,beam` (names in running order, each with an
optional share); `parse_plan` checks it and fills in the default shares. `RESERVED` names
proposers announced but not built yet (none at present).
"""
from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

from synth.data.errors import InputError
from dsl.registry import default_registry
from synth.data.golden import library_scope
from synth.models.grammar import decoding_grammar
from synth.proposers.base import Proposer, SearchOptions
from synth.proposers.beam import BeamProposer
from synth.proposers.closure import ClosureProposer
from synth.proposers.enumerative import EnumerativeProposer
from synth.proposers.guidance import guidance, library_guide
from synth.proposers.library import LibraryProposer
from synth.proposers.llm import LLMProposer
from synth.proposers.lookup import LookupProposer
from synth.proposers.transduction import TransductionProposer
from synth.proposers.views import ViewsProposer, view_enumerator
from synth.proposers.sketch import SketchProposer


@dataclass(frozen=True)
class ProposerEntry:
    """A proposer the search loop can run; `model_role` is the models-file role of the
    members it uses (None for the symbolic proposers)."""

    name: str
    share: float
    build: Callable[[SearchOptions], Proposer]
    doc: str
    model_role: str | None = None


@dataclass(frozen=True)
class Stage:
    """A proposer and the share of the remaining budget it may use."""

    proposer: Proposer
    share: float


PROPOSERS: MappingProxyType[str, ProposerEntry] = MappingProxyType({e.name: e for e in (
    ProposerEntry("lookup", 0.01, lambda o: LookupProposer(),
                  "train outputs looked up by an input feature (colour and object counts, the "
                  "foreground's shape, symmetries) for classification tasks, as grid answers"),
    ProposerEntry("library", 0.1, lambda o: LibraryProposer(library_scope(o.library),
                                                            guide=library_guide(o)),
                  "golden programs of training tasks and their colour/connectivity variants "
                  "(leave-one-out; variants of the closest programs first, ties by the guide)"),
    ProposerEntry("enumerative", 0.67, lambda o: EnumerativeProposer(guidance=guidance(o)),
                  "bottom-up enumeration by cost with observational equivalence and a "
                  "colour-map finishing step"),
    ProposerEntry("sketch", 0.2, lambda o: SketchProposer(z3_timeout_ms=o.z3_timeout_ms,
                                                          enabled_z3=o.z3,
                                                          deterministic=o.deterministic),
                  "near misses with their constants as holes, filled by Z3 or enumeration"),
    ProposerEntry("views", 0.2,
                  lambda o: ViewsProposer(view_enumerator(guidance(o))),
                  "enumeration on the colour-normalised and rotated/reflected task, programs "
                  "mapped back and re-verified"),
    ProposerEntry("beam", 1.0, lambda o: BeamProposer(width=o.beam),
                  "beam search over Grid-to-Grid steps scored by train closeness"),
    ProposerEntry("closure", 0.15, lambda o: ClosureProposer(),
                  "native breadth-first closure of the inputs under unary Grid-to-Grid "
                  "transforms (icecuber style), exact and colour-mapped matches"),
    ProposerEntry("llm", 0.5, lambda o: LLMProposer(o.models, o.samples, o.refine, o.seed,
                                                   decoding_grammar(default_registry())),
                  "DSL programs sampled from the language models of --models, refined on "
                  "their mistakes", model_role="program"),
    ProposerEntry("transduction", 0.5,
                  lambda o: TransductionProposer(o.models, o.views, seed=o.seed,
                                                 mode=o.transduction),
                  "output grids written by the transduction models of --models over "
                  "augmented views, scored across views (product of experts)",
                  model_role="transduction"),
)})
RESERVED: MappingProxyType[str, str] = MappingProxyType({})
DEFAULT_PLAN = "lookup,library,enumerative,views,sketch,llm,transduction,closure,beam"


def _unknown(name: str) -> InputError:
    if name in RESERVED:
        return InputError(f"proposer '{name}' ({RESERVED[name]}) is not available in this "
                          f"version", field="--proposers")
    close = difflib.get_close_matches(name, list(PROPOSERS) + list(RESERVED), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return InputError(f"unknown proposer '{name}'{hint} (known: {', '.join(PROPOSERS)})",
                      field="--proposers")


def _share(text: str, name: str) -> float:
    try:
        share = float(text)
    except ValueError:
        share = -1.0
    if not 0 < share <= 1:
        raise InputError(f"share of '{name}' must be a number in (0, 1], got '{text}'",
                         field="--proposers")
    return share


def parse_plan(text: str) -> tuple[tuple[str, float], ...]:
    """`name[:share],...` as (name, share) pairs; unknown names and bad shares are InputErrors."""
    plan = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        name, sep, share = item.partition(":")
        if name not in PROPOSERS:
            raise _unknown(name)
        if any(name == seen for seen, _ in plan):
            raise InputError(f"proposer '{name}' is named twice", field="--proposers")
        plan.append((name, _share(share, name) if sep else PROPOSERS[name].share))
    if not plan:
        raise InputError("no proposer named", field="--proposers")
    return tuple(plan)


def plan_text(plan: tuple[tuple[str, float], ...]) -> str:
    """The canonical text of a plan (every share written out)."""
    return ",".join(f"{name}:{share:g}" for name, share in plan)


def build_stages(plan: str, options: SearchOptions) -> list[Stage]:
    """Fresh proposers for one solve, in plan order."""
    return [Stage(PROPOSERS[name].build(options), share) for name, share in parse_plan(plan)]
