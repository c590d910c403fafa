"""What the notebooks call: the career report's sections, the comparison, screening and release-change
sections, derived highlights, charts and HTML formatting. Reads ``data/processed`` only."""
