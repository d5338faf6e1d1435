solve(I: Grid) -> Grid:
    x1 = trim(I)
    x2 = dedupe_rows(x1)
    O = dedupe_cols(x2)
