"""objects primitives (being written)."""
