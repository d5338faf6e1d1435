solve(I: Grid) -> Grid:
    x1 = height(I)
    x2 = double(width(I))
    x3 = period_h(I)
    x4 = crop(I, 0, 0, x1, x3)
    x5 = tile(x4, 1, add(div(x2, x3), 1))
    O = crop(x5, 0, 0, x1, x2)
