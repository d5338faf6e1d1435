solve(I: Grid) -> Grid:
    x1 = split_by_lines(I)
    x2 = argmin(x1, lambda g: mul(height(g), width(g)))
    x3 = argmax(x1, lambda g: mul(height(g), width(g)))
    x4 = resize_to(x2, x3)
    x5 = mask_not(mask_of(x3, green))
    O = fill_mask(x4, x5, black)
