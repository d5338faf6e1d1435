solve(I: Grid) -> Grid:
    x1 = objects(I, connect=8)
    x2 = filter(x1, lambda o: eq(obj_color(o), blue))
    x3 = first(x2)
    x4 = top(x3)
    x5 = map(x1, lambda o: move_to(o, point(x4, left(o))))
    x6 = cover(I, to_object(I))
    O = paint_all(x6, x5)
