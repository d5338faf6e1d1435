solve(I: Grid) -> Grid:
    x1 = objects(I, connect=8, multicolor=true)
    x2 = argmax(x1, obj_n_colors)
    x3 = obj_grid(x2)
    x4 = remove_color(x3, grey)
    O = trim(x4)
