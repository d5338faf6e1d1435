solve(I: Grid) -> Grid:
    O = swap_colors(I, grey, sky)
