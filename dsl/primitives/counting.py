"""counting primitives (being written)."""
