solve(I: Grid) -> Grid:
    x1 = fill_cols_with(I, sky)
    x2 = fill_rows_with(I, red)
    x3 = mask_and(mask_of(x1, sky), mask_of(x2, red))
    O = fill_mask(overlay(x1, x2), x3, yellow)
