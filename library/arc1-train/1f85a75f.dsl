solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = argmax(x1, size)
    O = obj_grid(x2)
