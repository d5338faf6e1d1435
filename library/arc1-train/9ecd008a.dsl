solve(I: Grid) -> Grid:
    x1 = complete_symmetry(I, black)
    x2 = mask_object(I, mask_of(I, black))
    O = subgrid(x1, x2)
