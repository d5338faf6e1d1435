solve(I: Grid) -> Grid:
    x1 = color_groups(I)
    x2 = argmin(x1, size)
    O = subgrid(I, x2)
