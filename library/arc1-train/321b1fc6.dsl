solve(I: Grid) -> Grid:
    x1 = objects(I, multicolor=true)
    x2 = exclude(x1, lambda o: eq(obj_color(o), sky))
    x3 = first(x2)
    x4 = filter(x1, lambda o: eq(obj_color(o), sky))
    x5 = map(x4, lambda o: move_to(x3, ulcorner(o)))
    x6 = cover(I, x3)
    O = paint_all(x6, x5)
