def fill_hole(g: Grid, pieces: Objects, hole: Object) -> Grid:
    x1 = filter(pieces, lambda p: same_shape(p, hole))
    x2 = first(x1)
    x3 = cover(g, x2)
    x4 = move_to(x2, ulcorner(hole))
    x5 = paint(x3, x4)

solve(I: Grid) -> Grid:
    x1 = objects_of_color(I, black)
    x2 = exclude(x1, lambda o: touches_border(I, o))
    x3 = objects(I)
    x4 = exclude(x3, lambda o: eq(obj_color(o), grey))
    x5 = filter(x4, lambda o: eq(count_by(x4, lambda q: eq(obj_color(q), obj_color(o))), 1))
    O = fold(x2, I, lambda g, h: fill_hole(g, x5, h))
