solve(I: Grid) -> Grid:
    x1 = objects(I, connect=8)
    x2 = sort_desc_by(x1, size)
    O = stack_v(map(x2, lambda o: canvas(obj_color(o), 1, 1)))
