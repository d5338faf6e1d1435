solve(I: Grid) -> Grid:
    x1 = first(color_groups(keep_color(I, blue)))
    x2 = first(color_groups(keep_color(I, red)))
    x3 = ray(I, ulcorner(x1), 7, blue)
    O = ray(x3, point(bottom(x2), right(x2)), 5, red)
