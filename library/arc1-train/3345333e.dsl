solve(I: Grid) -> Grid:
    x1 = color_groups(I)
    x2 = filter(x1, is_rectangle)
    x3 = first(x2)
    x4 = obj_color(x3)
    x5 = complete_symmetry(I, x4)
    O = replace(x5, x4, black)
