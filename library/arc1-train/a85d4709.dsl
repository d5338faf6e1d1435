solve(I: Grid) -> Grid:
    x1 = height(I)
    x2 = hconcat(canvas(red, x1, 1), canvas(yellow, x1, 1))
    x3 = hconcat(x2, canvas(green, x1, 1))
    x4 = fill_mask(x3, mask_not(mask_of(I, grey)), black)
    x5 = fill_rows_with(x4, red)
    x6 = fill_rows_with(x5, yellow)
    O = fill_rows_with(x6, green)
