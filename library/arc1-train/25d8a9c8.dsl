def rows_not_all(g: Grid, c: Color) -> Grid:
    x1 = mask_of(g, c)
    x2 = mask_not(x1)
    x3 = mask_to_grid(x2, blue)
    x4 = fill_rows_with(x3, blue)

solve(I: Grid) -> Grid:
    x1 = colors_of(I)
    x2 = canvas(blue, height(I), width(I))
    x3 = fold(x1, x2, lambda a, c: cellwise_and(a, rows_not_all(I, c), blue))
    x4 = replace(x3, black, grey)
    O = replace(x4, blue, black)
