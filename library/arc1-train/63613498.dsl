solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = exclude(x1, lambda o: eq(obj_color(o), grey))
    x3 = argmin(x2, lambda o: add(top(o), left(o)))
    x4 = filter(x2, lambda o: and(same_shape(o, x3), neq(o, x3)))
    x5 = map(x4, lambda o: recolor(o, grey))
    O = paint_all(I, x5)
