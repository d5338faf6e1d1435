solve(I: Grid) -> Grid:
    x1 = keep_color(I, red)
    x2 = fill_cols_with(x1, red)
    x3 = remove_color(I, red)
    x4 = fill_rows_with(x3, green)
    x5 = fill_rows_with(x4, blue)
    O = overlay(x2, x5)
