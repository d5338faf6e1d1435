solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = sort_desc_by(x1, size)
    x3 = count(x2)
    x4 = range(x3)
    x5 = map(x4, lambda i: recolor(nth(x2, i), int_to_color(add(i, 1))))
    O = paint_all(I, x5)
