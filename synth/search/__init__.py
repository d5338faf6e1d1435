"""Program search: bottom-up enumeration over the registry (enumerate.py), parameter options
(options.py) and turning found expressions into canonical programs (program.py)."""
