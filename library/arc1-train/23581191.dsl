def cross_lines(g: Grid, c: Color) -> Grid:
    x1 = keep_color(g, c)
    x2 = fill_rows_with(x1, c)
    x3 = fill_cols_with(x1, c)
    x4 = overlay(x2, x3)

solve(I: Grid) -> Grid:
    x1 = cross_lines(I, sky)
    x2 = cross_lines(I, orange)
    x3 = overlay(x1, x2)
    x4 = cellwise_and(x1, x2, red)
    O = overlay(x3, x4)
