def fill_between(g: Grid, src: Grid, c: Color, dr: Int, dc: Int) -> Grid:
    far = shift(src, mul(-2, dr), mul(-2, dc))
    m = mask_and(mask_of(src, c), mask_of(far, c))
    t = mask_of(shift(mask_to_grid(m, blue, bg=black), dr, dc), blue)
    r = fill_mask(g, t, c)

solve(I: Grid) -> Grid:
    x1 = most_common_color(I)
    x2 = exclude(colors_of(I), lambda c: or(eq(c, black), eq(c, x1)))
    x3 = first(split_by_lines(I))
    x4 = add(height(x3), 1)
    x5 = add(width(x3), 1)
    x6 = fold(x2, I, lambda g, c: fill_between(g, I, c, 0, x5))
    O = fold(x2, x6, lambda g, c: fill_between(g, I, c, x4, 0))
