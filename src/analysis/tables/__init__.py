"""``data/processed``: derived measures, the build (load, process, validate, save), the query layer notebooks
and the catalogue read, and the comparison of two releases."""
