solve(I: Grid) -> Grid:
    x1 = exclude(color_groups(I), lambda o: eq(obj_color(o), grey))
    x2 = count(x1)
    x3 = first(x1)
    x4 = gt(obj_width(x3), obj_height(x3))
    x5 = sort_by(x1, lambda o: branch(x4, top(o), left(o)))
    x6 = stack_v(map(x5, lambda o: canvas(obj_color(o), 1, x2)))
    O = branch(x4, x6, transpose(x6))
