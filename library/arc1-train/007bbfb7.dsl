solve(I: Grid) -> Grid:
    O = kron(I)
