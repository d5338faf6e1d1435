solve(I: Grid) -> Grid:
    x1 = trim(I)
    x2 = downscale(x1, 3)
    O = kron(x2)
