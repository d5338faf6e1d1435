solve(I: Grid) -> Grid:
    x1 = complete_symmetry(I, blue)
    x2 = first(objects_of_color(I, blue))
    O = subgrid(x1, x2)
