solve(I: Grid) -> Grid:
    x1 = first(filter(color_groups(I), lambda o: eq(obj_color(o), green)))
    x2 = first(filter(color_groups(I), lambda o: eq(obj_color(o), red)))
    x3 = point(add(top(x1), 1), add(left(x1), 1))
    O = paint(cover(I, x2), move_to(x2, x3))
