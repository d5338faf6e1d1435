solve(I: Grid) -> Grid:
    x1 = connect_pairs(I, yellow, red)
    x2 = fill_enclosed(x1, red)
    x3 = mask_and(mask_of(x2, red), mask_of(x1, black))
    O = fill_mask(I, x3, red)
