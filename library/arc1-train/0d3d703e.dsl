solve(I: Grid) -> Grid:
    x1 = swap_colors(I, blue, grey)
    x2 = swap_colors(x1, red, magenta)
    x3 = swap_colors(x2, green, yellow)
    O = swap_colors(x3, sky, maroon)
