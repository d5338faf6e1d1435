solve(I: Grid) -> Grid:
    x1 = first(objects_of_color(I, red))
    x2 = first(color_groups(keep_color(I, green)))
    x3 = gt(obj_width(x2), obj_height(x2))
    x4 = branch(x3, move(x1, 0, 2), move(x1, 2, 0))
    x5 = cover(I, x1)
    O = paint(x5, x4)
