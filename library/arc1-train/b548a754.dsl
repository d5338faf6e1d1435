solve(I: Grid) -> Grid:
    x1 = objects(I, multicolor=true)
    x2 = argmax(x1, size)
    x3 = argmin(x1, size)
    x4 = cell(I, top(x2), left(x2))
    x5 = cell(I, add(top(x2), 1), add(left(x2), 1))
    x6 = mask_object(I, mask_or(object_mask(I, x2), object_mask(I, x3)))
    x7 = fill_bbox(cover(I, x6), x6, x5)
    O = box_inside(x7, x6, x4)
