"""shopdb: a relational e-commerce database and the Python around it."""

__version__ = "0.1.0"
