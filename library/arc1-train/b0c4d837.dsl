solve(I: Grid) -> Grid:
    x1 = first(objects_of_color(I, grey))
    x2 = first(objects_of_color(I, sky))
    x3 = sub(top(x2), top(x1))
    x4 = shift(canvas(sky, 1, 9), 0, sub(x3, 9))
    x5 = crop(x4, 0, 0, 1, 3)
    x6 = flip_h(crop(x4, 0, 3, 1, 3))
    x7 = crop(x4, 0, 6, 1, 3)
    O = vconcat(vconcat(x5, x6), x7)
