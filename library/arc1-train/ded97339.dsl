solve(I: Grid) -> Grid:
    O = connect_pairs(I, sky, sky)
