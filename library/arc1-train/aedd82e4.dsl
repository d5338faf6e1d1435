solve(I: Grid) -> Grid:
    x1 = objects(I, connect=4)
    x2 = filter(x1, lambda o: eq(size(o), 1))
    x3 = map(x2, lambda o: recolor(o, blue))
    O = paint_all(I, x3)
