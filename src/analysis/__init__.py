"""career-outlook: BLS occupation data in, validated tables and career reports out."""

__version__ = "0.1.0"
