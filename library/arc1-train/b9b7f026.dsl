solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = first(filter(x1, lambda o: has_hole(I, o)))
    O = canvas(obj_color(x2), 1, 1)
