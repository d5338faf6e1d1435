solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = obj_color(unique_by(x1, lambda o: color_to_int(obj_color(o))))
    x3 = obj_color(most_common_by(x1, lambda o: color_to_int(obj_color(o))))
    x4 = first(filter(color_groups(I), lambda o: eq(obj_color(o), x3)))
    O = fill_bbox(I, x4, x3, bg=x2)
