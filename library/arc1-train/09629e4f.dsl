solve(I: Grid) -> Grid:
    x1 = split_by_lines(I)
    x2 = argmax(x1, lambda g: color_count(g, black))
    x3 = height(x2)
    x4 = add(x3, 1)
    x5 = upscale(x2, x4)
    x6 = crop(x5, 0, 0, height(I), width(I))
    x7 = keep_color(I, grey)
    O = overlay(x6, x7)
