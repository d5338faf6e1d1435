"""synth: an ARC-AGI solver by neuro-symbolic program synthesis.

Sub-packages, lowest layer first: `data` (tasks, challenges, datasets, scoring, submission,
settings), `analysis` (task features, Z3 laws, invariants), `search` (enumeration, closeness,
finishing steps), `models` (model backends, prompts, grids as text), `proposers` (the protocol,
the registry, library, enumerative, sketch, beam, llm), `select` (verify, rank, votes, the
meta-voter), `run` (configuration, the solve loop, solvers, batch evaluation, report), `cli`
(the `synth` command). See docs/architecture.md.
"""
__version__ = "0.1.0"
