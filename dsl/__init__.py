"""The synth DSL: types, registry, primitives, parser, type checker, printer, interpreter."""
