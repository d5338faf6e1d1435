solve(I: Grid) -> Grid:
    x1 = mask_of(I, red)
    x2 = mask_to_grid(x1, blue)
    O = kron_with(x2, I)
