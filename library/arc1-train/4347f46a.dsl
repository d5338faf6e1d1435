solve(I: Grid) -> Grid:
    x1 = objects(I)
    O = fold(x1, I, lambda g, o: box_inside(cover(g, o), o, obj_color(o)))
