solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = map(x1, lambda o: recolor(o, branch(eq(size(o), 6), red, blue)))
    O = paint_all(I, x2)
