solve(I: Grid) -> Grid:
    O = kron(trim(I))
