solve(I: Grid) -> Grid:
    x1 = most_common_fg(I)
    x2 = fill_cols_with(I, x1)
    x3 = overlay(replace(x2, x1, sky), I)
    O = tile(x3, 2, 2)
