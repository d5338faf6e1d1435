def fill_rows_by_color(g: Grid) -> Grid:
    x1 = colors_of(g)
    x2 = exclude(x1, lambda c: eq(c, black))
    x3 = fold(x2, g, lambda h, c: fill_rows_with(h, c))

solve(I: Grid) -> Grid:
    x1 = left_half(I)
    x2 = fill_rows_by_color(x1)
    x3 = right_half(I)
    x4 = fill_rows_by_color(x3)
    x5 = fill_rows_by_color(I)
    x6 = recolor_all(x5, grey)
    x7 = width(x1)
    x8 = height(I)
    x9 = crop(x6, 0, x7, x8, 1)
    x10 = hconcat(x2, x9)
    O = hconcat(x10, x4)
