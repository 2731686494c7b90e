"""The small generated shop the lake tests share (a module, not the conftest: another
directory's ``conftest`` may be the one ``import conftest`` finds)."""

GENERATE = ["generate", "--scale", "0.002", "--seed", "7", "--end", "2025-07-01", "--years", "2"]
"""A small generated shop: about 25,000 rows over two years."""
