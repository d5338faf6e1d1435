def spread_diagonal_pattern(g: Grid) -> Grid:
    x1 = height(g)
    x2 = add(x1, width(g))
    x3 = range(x2)
    x4 = sub(n_colors(g), 1)
    x5 = fold(x3, g, lambda a, k: overlay(a, overlay(shift(g, 0, mul(x4, k)), shift(g, 0, mul(x4, sub(0, k))))))
    x6 = fold(x3, x5, lambda a, k: overlay(a, shift(x5, sub(k, x1), sub(x1, k))))

solve(I: Grid) -> Grid:
    O = iterate(spread_diagonal_pattern, I, 2)
