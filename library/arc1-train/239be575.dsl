solve(I: Grid) -> Grid:
    x1 = objects(I, connect=8, multicolor=true)
    x2 = count_by(x1, lambda o: gt(color_count(obj_grid(o), red), 0))
    x3 = eq(x2, 1)
    x4 = canvas(sky, 1, 1)
    x5 = canvas(black, 1, 1)
    O = branch(x3, x4, x5)
