"""Primitive families, one module each: geometry, color, objects, sizing, drawing, counting,
logic, patterns. Each declares its primitives with `dsl.registry.primitive`."""
