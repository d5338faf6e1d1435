solve(I: Grid) -> Grid:
    x1 = height(I)
    x2 = width(I)
    x3 = range(x1)
    x4 = range(x2)
    x5 = fold(x3, I, lambda g, r: branch(all(x4, lambda c: eq(cell(I, r, c), black)), hline(g, r, red), g))
    O = fold(x4, x5, lambda g, c: branch(all(x3, lambda r: eq(cell(I, r, c), black)), vline(g, c, red), g))
