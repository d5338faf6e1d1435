solve(I: Grid) -> Grid:
    x1 = most_common_color(I)
    x2 = mask_of(I, x1)
    x3 = mask_to_grid(x2, blue)
    O = kron_with(x3, I)
