solve(I: Grid) -> Grid:
    x1 = range(width(I))
    x2 = filter(x1, lambda c: eq(mod(c, 3), 0))
    x3 = canvas(black, height(I), width(I))
    x4 = fold(x2, x3, lambda g, c: vline(g, c, magenta))
    x5 = cellwise_and(I, x4, magenta)
    O = overlay(I, x5)
