solve(I: Grid) -> Grid:
    x1 = complete_symmetry(I, green)
    x2 = first(objects_of_color(I, green))
    O = subgrid(x1, x2)
