"""Every occupation's report: jobs and their fingerprints, a worker's warm tools, where builds run (local
processes or a Dask cluster), the build loop with its manifest and lock, and the index and changes pages."""
