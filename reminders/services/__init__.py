"""Writes of the reminder engine, one module per concern; import from the submodules."""
