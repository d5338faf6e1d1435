solve(I: Grid) -> Grid:
    x1 = canvas(black, height(I), width(I))
    x2 = vline(x1, half(width(I)), blue)
    x3 = mask_of(x2, blue)
    O = fill_mask(I, mask_not(x3), black)
