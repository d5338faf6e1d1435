solve(I: Grid) -> Grid:
    x1 = crop(I, 0, 0, height(I), 1)
    x2 = upscale_hw(x1, 1, width(I))
    x3 = mask_of(I, grey)
    x4 = fill_mask(x2, mask_not(x3), black)
    x5 = remove_color(I, grey)
    O = overlay(x5, x4)
