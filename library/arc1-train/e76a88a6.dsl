solve(I: Grid) -> Grid:
    x1 = objects(I, multicolor=true)
    x2 = first(exclude(x1, lambda o: eq(obj_color(o), grey)))
    x3 = filter(x1, lambda o: eq(obj_color(o), grey))
    x4 = map(x3, lambda o: move_to(x2, ulcorner(o)))
    O = paint_all(I, x4)
