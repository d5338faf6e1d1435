solve(I: Grid) -> Grid:
    O = draw_border(I, sky)
