solve(I: Grid) -> Grid:
    x1 = cell(I, 0, 0)
    x2 = cell(I, 1, 1)
    x3 = cell(I, 2, 2)
    x4 = fill_mask(I, mask_of(I, x1), x3)
    x5 = fill_mask(x4, mask_of(I, x2), x1)
    O = fill_mask(x5, mask_of(I, x3), x2)
