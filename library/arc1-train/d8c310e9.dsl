solve(I: Grid) -> Grid:
    x1 = add(right(to_object(I)), 1)
    x2 = crop(I, 0, 0, height(I), x1)
    x3 = period_h(x2)
    x4 = crop(I, 0, 0, height(I), x3)
    x5 = tile(x4, 1, add(div(width(I), x3), 1))
    O = crop(x5, 0, 0, height(I), width(I))
