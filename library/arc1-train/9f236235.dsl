solve(I: Grid) -> Grid:
    x1 = dedupe_rows(I)
    x2 = dedupe_cols(x1)
    x3 = compress(x2)
    O = flip_h(x3)
