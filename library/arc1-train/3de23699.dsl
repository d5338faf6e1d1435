solve(I: Grid) -> Grid:
    x1 = color_groups(I)
    x2 = argmax(x1, obj_width)
    x3 = subgrid(I, x2)
    x4 = remove_border(x3)
    O = recolor_all(x4, obj_color(x2))
