"""Notebook in, report out: kernels (fresh or warm), papermill execution, nbconvert HTML, Chromium PDF, and
writing the three outputs of a report atomically."""
