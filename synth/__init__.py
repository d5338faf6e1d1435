"""synth: an ARC-AGI solver by neuro-symbolic program synthesis.

Subpackages and modules: task (grids, examples, tasks, validation), datasets (loaders),
scoring (pass@2), solvers (named solvers), evaluate (batch runner), report (HTML),
render (terminal/PNG/SVG), cli (the `synth` command).
"""
__version__ = "0.1.0"
