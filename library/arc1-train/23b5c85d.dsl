solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = argmin(x1, size)
    O = obj_grid(x2)
