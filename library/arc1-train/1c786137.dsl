solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = argmax(x1, size)
    x3 = subgrid(I, x2)
    O = remove_border(x3)
