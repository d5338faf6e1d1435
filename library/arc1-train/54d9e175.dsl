solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = exclude(x1, lambda o: eq(obj_color(o), grey))
    x3 = map(x2, lambda o: recolor(o, int_to_color(add(color_to_int(obj_color(o)), 5))))
    x4 = paint_all(I, x3)
    O = fold(x3, x4, lambda g, o: box(g, o, obj_color(o)))
