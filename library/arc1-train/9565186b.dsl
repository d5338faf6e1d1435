solve(I: Grid) -> Grid:
    x1 = most_common_color(I)
    x2 = mask_not(mask_of(I, x1))
    O = fill_mask(I, x2, grey)
