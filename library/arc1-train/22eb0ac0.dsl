solve(I: Grid) -> Grid:
    x1 = colors_of(I)
    x2 = exclude(x1, lambda c: eq(c, black))
    O = fold(x2, I, lambda g, c: connect_pairs(g, c, c))
