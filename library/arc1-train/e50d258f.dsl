solve(I: Grid) -> Grid:
    x1 = objects(I, multicolor=true)
    x2 = argmax(x1, lambda o: color_count(obj_grid(o), red))
    O = subgrid(I, x2)
