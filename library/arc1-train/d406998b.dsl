solve(I: Grid) -> Grid:
    x1 = width(I)
    x2 = range(x1)
    x3 = canvas(black, height(I), x1)
    x4 = fold(x2, x3, lambda g, c: branch(is_even(sub(sub(x1, 1), c)), vline(g, c, blue), g))
    x5 = mask_and(mask_of(x4, blue), mask_of(I, grey))
    O = fill_mask(I, x5, green)
