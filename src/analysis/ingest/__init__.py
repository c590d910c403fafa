"""``data/raw`` -> validated frames: what a file is, sidecars, one reader per source (Employment Projections,
OEWS, O*NET, curated facts, reference tables), and adding a new release."""
