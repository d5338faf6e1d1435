solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = fold(x1, I, lambda g, o: cover(g, o))
    x3 = map(x1, lambda o: move(o, sub(0, obj_height(o)), 0))
    O = paint_all(x2, x3)
