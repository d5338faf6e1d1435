solve(I: Grid) -> Grid:
    x1 = least_common_color(I)
    x2 = objects_of_color(I, x1)
    x3 = first(x2)
    O = subgrid(I, x3)
