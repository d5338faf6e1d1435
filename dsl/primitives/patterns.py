"""patterns primitives (being written)."""
