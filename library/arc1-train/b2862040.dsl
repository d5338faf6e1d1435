solve(I: Grid) -> Grid:
    x1 = objects(I, bg=maroon)
    x2 = filter(x1, lambda o: has_hole(I, o))
    x3 = map(x2, lambda o: recolor(o, sky))
    O = paint_all(I, x3)
