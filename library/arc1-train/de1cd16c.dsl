solve(I: Grid) -> Grid:
    x1 = least_common_color(I)
    x2 = objects(I, bg=x1)
    x3 = argmax(x2, lambda o: color_count(subgrid(I, o), x1))
    O = canvas(obj_color(x3), 1, 1)
