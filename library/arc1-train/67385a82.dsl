solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = filter(x1, lambda o: gt(size(o), 1))
    x3 = map(x2, lambda o: recolor(o, sky))
    O = paint_all(I, x3)
