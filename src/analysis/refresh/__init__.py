"""New releases from BLS: settings, a polite HTTP client, the fetch (download, check, add), and the refresh
pipeline cron runs (fetch, data, what changed, catalogue)."""
