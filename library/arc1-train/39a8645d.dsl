solve(I: Grid) -> Grid:
    x1 = objects(I, connect=8)
    x2 = map(x1, obj_grid)
    O = most_common_grid(x2)
