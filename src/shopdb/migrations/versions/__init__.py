"""One module per schema revision; ``0001`` is the schema ``shopdb init`` creates."""
