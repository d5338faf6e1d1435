solve(I: Grid) -> Grid:
    x1 = objects(I, connect=8)
    x2 = argmax(x1, size)
    O = subgrid(I, x2)
