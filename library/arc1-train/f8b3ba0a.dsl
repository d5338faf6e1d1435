solve(I: Grid) -> Grid:
    x1 = color_groups(I)
    x2 = sort_desc_by(x1, size)
    x3 = drop(x2, 1)
    O = stack_v(map(x3, lambda o: canvas(obj_color(o), 1, 1)))
