"""``make bench``: our catalogue builder against the naive papermill + nbconvert loop, and the Dask executor
beside the local one, measured in the same run. Run as modules: ``python -m benchmarks.bench_catalogue``."""
