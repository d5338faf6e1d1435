def pad_ends_black(g: Grid) -> Grid:
    x1 = canvas(black, 1, width(g))
    O = vconcat(vconcat(x1, g), x1)

solve(I: Grid) -> Grid:
    x1 = height(I)
    x2 = width(I)
    x3 = crop(I, 0, 0, 1, x2)
    x4 = crop(I, sub(x1, 1), 0, 1, x2)
    x5 = vconcat(vconcat(x3, I), x4)
    x6 = pad_ends_black(crop(I, 0, 0, x1, 1))
    x7 = pad_ends_black(crop(I, 0, sub(x2, 1), x1, 1))
    O = hconcat(hconcat(x6, x5), x7)
