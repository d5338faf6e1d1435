solve(I: Grid) -> Grid:
    x1 = dedupe_rows(I)
    O = dedupe_cols(x1)
