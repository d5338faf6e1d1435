solve(I: Grid) -> Grid:
    O = denoise(I, 2)
