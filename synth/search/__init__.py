"""Program search: bottom-up enumeration over the registry (enumerate.py), parameter options
(options.py), canonical programs from found expressions (program.py), the one train-closeness
scorer (closeness.py) and finishing steps such as the colour map (finishing.py)."""
