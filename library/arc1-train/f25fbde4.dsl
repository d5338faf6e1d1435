solve(I: Grid) -> Grid:
    O = upscale(trim(I), 2)
