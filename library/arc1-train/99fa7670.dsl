solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = sub(width(I), 1)
    x3 = fold(x1, I, lambda g, o: ray(g, ulcorner(o), 1, obj_color(o)))
    O = fold(x1, x3, lambda g, o: ray_until(g, point(top(o), x2), 2, obj_color(o)))
